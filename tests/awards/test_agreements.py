"""Grant agreements (issue 10, item 3; AG1): drawn up from the pack's template, sent with a
frozen document and its hash, signed by the organisation's administrator, countersigned by the
office with a fresh authenticator code, then immutable. Countersigning makes the award active."""

import io

import pytest
from django.core import mail

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import Role
from commissioning.awards.agreements.document import agreement_payment_schedule, sha256_of
from commissioning.awards.agreements.models import (
    Agreement,
    AgreementStatus,
    SignedAgreement,
)
from commissioning.awards.agreements.services import (
    agreement_countersign,
    agreement_issue,
    agreement_send,
    agreement_sign_by_provider,
)
from commissioning.awards.models import AwardStatus
from commissioning.core.errors import DomainError
from tests.accounts.factories import staff_user
from tests.applications.factories import member_of
from tests.awards.agreement_helpers import (
    countersigned,
    countersigner,
    one_award,
    provider_signed,
    sent,
    signer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(office, officer, round_, signatories):
    return one_award(office, officer, round_, signatories)


def _sign(agreement, user, **overrides):
    fields = {
        "name": "Pat Signer",
        "role": "Chair of trustees",
        "signature": "Pat Signer",
        "confirmed": True,
        "document_sha256": agreement.document_sha256,
        **overrides,
    }
    return agreement_sign_by_provider(agreement=agreement, signatory=user, **fields)


def _countersign(agreement, user, **overrides):
    fields = {"mfa_verified": True, "document_sha256": agreement.document_sha256, **overrides}
    if "code" not in fields:
        fields["code"] = totp_current_code(user)
    return agreement_countersign(agreement=agreement, signatory=user, **fields)


def pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(bytes(data)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_whole_workflow_moves_the_award_to_active(office, officer, award):
    """AG1: offered -> sent -> signed_by_provider -> countersigned (active)."""
    agreement = agreement_issue(award=award, actor=officer, reason="The award")
    assert (agreement.version, agreement.status) == (1, AgreementStatus.DRAFT)
    assert agreement.template_code == "grant" and agreement.template_version == 1
    award.refresh_from_db()
    assert award.status == AwardStatus.OFFERED
    agreement = agreement_send(agreement=agreement, actor=officer)
    award.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT and award.status == AwardStatus.SENT
    assert agreement.document_sha256 == sha256_of(bytes(agreement.document_pdf))
    agreement = _sign(agreement, signer_of(award))
    award.refresh_from_db()
    assert award.status == AwardStatus.SIGNED_BY_PROVIDER
    assert agreement.provider_sha256 == agreement.document_sha256
    commissioner = countersigner(office)
    agreement = _countersign(agreement, commissioner)
    award.refresh_from_db()
    assert agreement.status == AgreementStatus.COUNTERSIGNED
    assert award.status == AwardStatus.ACTIVE
    assert agreement.countersigned_by == commissioner
    assert agreement.countersigned_role == Role.COMMISSIONER
    assert agreement.countersigned_sha256 == agreement.document_sha256
    assert [c.new for c in agreement.status_changes.order_by("at", "id")] == [
        "draft",
        "sent",
        "signed_by_provider",
        "countersigned",
    ]


def test_sending_emails_the_award_contact_with_the_pdf(
    office, officer, award, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = sent(award, officer)
    messages = [m for m in mail.outbox if award.reference in m.subject]
    assert len(messages) == 1
    message = messages[0]
    assert message.to == [award.contact_email]
    assert f"/organisations/{award.organisation.ref}/awards/{award.reference}/" in message.body
    name, data, kind = message.attachments[0]
    assert kind == "application/pdf" and sha256_of(data) == agreement.document_sha256


def test_the_hash_both_signed_is_the_hash_of_the_pdf_bytes(office, officer, award):
    agreement = countersigned(award, officer, countersigner(office))
    data = bytes(agreement.document_pdf)
    assert data.startswith(b"%PDF-")
    assert sha256_of(data) == agreement.provider_sha256 == agreement.countersigned_sha256


def test_the_pdf_holds_every_term(office, officer, award):
    """AG1: parties, project, amount, period, outcomes, monitoring, payments, how to claim and
    the conditions, in the PDF's own text."""
    agreement = countersigned(award, officer, countersigner(office))
    text = pdf_text(agreement.document_pdf)
    application = award.application
    for term in [
        office.name,
        award.organisation.name,
        award.reference,
        award.title,
        "£1,500",
        "1 April 2026",
        "31 March 2027",
        "Monitoring schedule",
        "A monitoring return every 6 months",
        "Payment schedule",
        "No payment is made before this agreement has been signed by both parties",
        "How to claim the grant",
        "Data protection",
        "Equality Act 2010",
        "Safeguarding",
        "Publicity",
        "at least 6 years after the end of the funding period",
        "no commitment to renew",
        "Repayment (clawback)",
        award.contact_name,
    ]:
        assert term in text, term
    for outcome in application.outcomes.all():
        assert outcome.description in text
    # The page shows the same frozen content the PDF was made from.
    assert agreement.content["clauses"][0]["text"].split()[0] in text


def test_the_organisation_cannot_sign_for_another_and_members_who_are_not_admins_cannot(
    office, officer, award
):
    agreement = sent(award, officer)
    member = member_of(award.organisation)
    award.organisation.members.filter(user=member).update(role="member")
    with pytest.raises(DomainError, match="Only an administrator"):
        _sign(agreement, member)
    stranger = staff_user(office, Role.COMMISSIONING_OFFICER)
    with pytest.raises(DomainError, match="Only an administrator"):
        _sign(agreement, stranger)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": " "}, "name"),
        ({"role": ""}, "role"),
        ({"signature": "Someone Else"}, "signature"),
        ({"confirmed": False}, "confirmed"),
        ({"document_sha256": "0" * 64}, "document_sha256"),
    ],
)
def test_the_provider_signature_needs_every_part(office, officer, award, overrides, field):
    agreement = sent(award, officer)
    with pytest.raises(DomainError) as refused:
        _sign(agreement, signer_of(award), **overrides)
    assert refused.value.field == field
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT and agreement.provider_signed_at is None


def test_no_countersignature_before_the_organisation_signs(office, officer, award):
    agreement = sent(award, officer)
    with pytest.raises(DomainError, match="has not been signed by the organisation yet"):
        _countersign(agreement, countersigner(office))
    award.refresh_from_db()
    assert award.status == AwardStatus.SENT


def test_no_countersignature_without_a_current_code_or_mfa(office, officer, award):
    agreement = provider_signed(award, officer)
    commissioner = countersigner(office)
    with pytest.raises(DomainError) as refused:
        _countersign(agreement, commissioner, code="000000")
    assert refused.value.field == "code"
    with pytest.raises(DomainError, match="authenticator app code"):
        _countersign(agreement, commissioner, mfa_verified=False)
    no_app = staff_user(office, Role.COMMISSIONER, mfa=False)
    with pytest.raises(DomainError) as refused:
        _countersign(agreement, no_app, code="123456")
    assert refused.value.field == "code"
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED_BY_PROVIDER


def test_a_code_is_used_once(office, officer, round_, signatories):
    first = provider_signed(one_award(office, officer, round_, signatories), officer)
    second = provider_signed(one_award(office, officer, round_, signatories), officer)
    commissioner = countersigner(office)
    code = totp_current_code(commissioner)
    _countersign(first, commissioner, code=code)
    with pytest.raises(DomainError) as refused:
        _countersign(second, commissioner, code=code)
    assert refused.value.field == "code"


def test_wrong_codes_lock_countersigning_for_a_while_even_with_the_right_code(
    office, officer, award
):
    from django.core.cache import cache

    from commissioning.accounts.mfa import FRESH_CODE_ATTEMPTS

    cache.clear()
    agreement = provider_signed(award, officer)
    commissioner = countersigner(office)
    for _attempt in range(FRESH_CODE_ATTEMPTS):
        with pytest.raises(DomainError, match="current 6-digit code"):
            _countersign(agreement, commissioner, code="000000")
    with pytest.raises(DomainError, match="Too many wrong codes") as refused:
        _countersign(agreement, commissioner, code=totp_current_code(commissioner))
    assert refused.value.field == "code"
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED_BY_PROVIDER
    cache.clear()  # the window has passed
    assert _countersign(agreement, commissioner).status == AgreementStatus.COUNTERSIGNED


def test_only_the_packs_countersigning_roles_countersign(office, officer, award):
    agreement = provider_signed(award, officer)
    with pytest.raises(DomainError, match="countersigned by: Commissioner, Chief Executive"):
        _countersign(agreement, officer)
    chief_executive = staff_user(office, Role.CHIEF_EXECUTIVE)
    assert _countersign(agreement, chief_executive).status == AgreementStatus.COUNTERSIGNED


def test_another_offices_staff_cannot_countersign(office, other_office, officer, award):
    agreement = provider_signed(award, officer)
    with pytest.raises(DomainError, match="countersigned by"):
        _countersign(agreement, staff_user(other_office, Role.COMMISSIONER))


def test_a_signed_agreement_never_changes(office, officer, award):
    agreement = countersigned(award, officer, countersigner(office))
    agreement.provider_name = "Someone else"
    with pytest.raises(SignedAgreement):
        agreement.save()
    with pytest.raises(SignedAgreement):
        Agreement.objects.filter(pk=agreement.pk).update(content={})
    with pytest.raises(SignedAgreement):
        agreement.delete()
    with pytest.raises(DomainError):
        _countersign(agreement, countersigner(office))
    with pytest.raises(DomainError):
        agreement_send(agreement=agreement, actor=officer)


def test_a_sent_document_cannot_be_rewritten(office, officer, award):
    agreement = sent(award, officer)
    agreement.content = {"amount": "£1,000,000"}
    with pytest.raises(SignedAgreement):
        agreement.save(update_fields=["content"])


def test_a_reissue_is_a_new_version_and_the_signed_one_stays_in_force(office, officer, award):
    """A variation issues version 2 through agreement_issue with its reason; version 1, signed
    by both, is untouched and the award stays active."""
    first = countersigned(award, officer, countersigner(office))
    second = agreement_issue(award=award, actor=officer, reason="Variation: dates extended")
    assert second.version == 2 and second.status == AgreementStatus.DRAFT
    assert second.reason == "Variation: dates extended"
    first.refresh_from_db()
    assert first.status == AgreementStatus.COUNTERSIGNED
    second = agreement_send(agreement=second, actor=officer)
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
    third = agreement_issue(award=award, actor=officer, reason="Correction")
    second.refresh_from_db()
    assert second.status == AgreementStatus.WITHDRAWN and third.version == 3
    assert "Replaced by version 3: Correction" in second.status_changes.last().note


def test_an_issue_needs_a_reason_and_a_template(office, officer, award):
    with pytest.raises(DomainError) as refused:
        agreement_issue(award=award, actor=officer, reason=" ")
    assert refused.value.field == "reason"
    policy = office.policy
    policy.agreements = {}
    policy.save(update_fields=["agreements"])
    with pytest.raises(DomainError, match="names no grant agreement template"):
        agreement_issue(award=award, actor=officer, reason="The award")
    assert not Agreement.objects.filter(award=award).exists()


def test_a_pilot_is_held_to_the_funds_pilot_length_with_its_evaluation_due_at_the_end(
    office, officer, round_, signatories
):
    """AG1, CUM: a pilot at most the pack's pilot length, with an evaluation due at its end."""
    fund = round_.fund
    fund.pilot_max_months, fund.pilot_evaluation_required = 12, True
    fund.save(update_fields=["pilot_max_months", "pilot_evaluation_required"])
    award = one_award(office, officer, round_, signatories, is_pilot=True)
    agreement = sent(award, officer)
    pilot = agreement.content["pilot"]
    assert pilot["max_months"] == 12 and pilot["evaluation_due"] == "31 March 2027"
    assert "An evaluation of the pilot is due at its end, on 31 March 2027." in (
        agreement.document_html
    )
    assert any("evaluation of the pilot" in line for line in agreement.content["monitoring"])
    fund.pilot_max_months = 6
    fund.save(update_fields=["pilot_max_months"])
    with pytest.raises(DomainError, match="longer than the 6 months a pilot"):
        agreement_issue(award=award, actor=officer, reason="Again")


def test_the_payment_schedule_states_each_instalment_the_payments_plan(office, officer, award):
    """AG1: the agreement's payment schedule is the award's instalments, in words."""
    from commissioning.awards.payments.selectors import payment_schedule_rows

    lines = agreement_payment_schedule(award)
    assert "No payment is made before this agreement has been signed by both parties." in lines
    rows = payment_schedule_rows(award)
    assert rows
    for row in rows:
        assert any(line.startswith(f"{row.label}: ") and row.condition in line for line in lines)
