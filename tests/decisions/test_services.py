"""Decision records: numbering, sign-off, immutability, letters (DE1, DE3)."""

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from commissioning.accounts.models import Role
from commissioning.applications.models import Status
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.decisions import services
from commissioning.decisions.models import (
    DecisionRecord,
    DecisionSequence,
    DecisionStatus,
    ImmutableRecord,
    Letter,
    Signature,
)
from commissioning.decisions.services import (
    decision_publish,
    decision_sign,
    decision_submit_for_signature,
    decision_update,
    decision_withdraw,
)
from tests.accounts.factories import staff_user
from tests.decisions.conftest import (
    CONTACT_DOMAIN,
    approve,
    decline,
    draft,
    recommended,
    sign_all,
)

pytestmark = pytest.mark.django_db


def test_numbers_follow_the_pack_and_count_up(office, officer, round_, settings):
    first = draft(office, officer, [approve(recommended(round_))])
    second = draft(office, officer, [approve(recommended(round_))])
    year = first.created_at.year
    assert first.number == f"TST/{year}/001" and second.number == f"TST/{year}/002"
    assert first.slug == f"tst-{year}-001"
    office.policy.sign_off["decision_number_format"] = "{office}-D{number:05d}-{year}"
    office.policy.save()
    third = draft(office, officer, [approve(recommended(round_))])
    assert third.number == f"TST-D00003-{year}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_concurrent_drafts_never_share_a_number(office, round_):
    officer = staff_user(office, Role.COMMISSIONING_OFFICER)
    applications = [recommended(round_) for _ in range(6)]
    barrier = threading.Barrier(len(applications))
    errors = []

    def go(application):
        try:
            barrier.wait()
            draft(office, officer, [approve(application)])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = list(DecisionRecord.objects.values_list("number", flat=True))
    assert len(numbers) == 6 == len(set(numbers))
    assert DecisionSequence.objects.get().last == 6


def test_only_recommended_applications_of_the_office_can_be_decided(
    office, other_office, officer, round_
):
    with pytest.raises(DomainError, match="only applications the panel has recommended"):
        draft(office, officer, [approve(recommended(round_, status="eligible"))])
    from tests.applications.factories import RoundFactory

    elsewhere = RoundFactory(fund=other_office.funds.first())
    with pytest.raises(DomainError, match="another office"):
        draft(office, officer, [approve(recommended(elsewhere))])
    application = recommended(round_)
    with pytest.raises(DomainError, match="cannot be more"):
        draft(office, officer, [approve(application, amount="2000.01")])
    draft(office, officer, [approve(application)])
    with pytest.raises(DomainError, match="already in decision"):
        draft(office, officer, [decline(application)])
    assert DecisionRecord.objects.count() == 1


def test_exempt_parts_need_a_reason(office, officer, round_):
    with pytest.raises(DomainError, match="reason the marked parts"):
        draft(office, officer, [approve(recommended(round_))], exemption_reason="")


def test_submission_fixes_the_signatories_from_the_tiers(office, officer, round_):
    """DE1: over the threshold, the Commissioner, Monitoring Officer and CFO must sign."""
    small = draft(office, officer, [approve(recommended(round_))])
    small = decision_submit_for_signature(decision=small, actor=officer)
    assert small.required_roles == ["commissioner"]
    a, b = recommended(round_, amount="1500"), recommended(round_, amount="1000")
    large = draft(office, officer, [approve(a), approve(b)])
    large = decision_submit_for_signature(decision=large, actor=officer)
    assert large.total == Decimal("2500.00")
    assert large.required_roles == ["commissioner", "monitoring_officer", "chief_finance_officer"]
    a.refresh_from_db()
    assert a.status == Status.AWAITING_DECISION
    with pytest.raises(DomainError, match="Only a draft"):
        decision_submit_for_signature(decision=large, actor=officer)


def test_due_diligence_blocks_an_award(office, officer, round_, monkeypatch):
    monkeypatch.setattr(
        services, "due_diligence_blocker", lambda *, application: "Due diligence has not passed."
    )
    decision = draft(office, officer, [approve(recommended(round_))])
    with pytest.raises(DomainError, match="Due diligence has not passed"):
        decision_submit_for_signature(decision=decision, actor=officer)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_signing_needs_a_required_role_and_multi_factor_sign_in(
    office, officer, round_, signatories
):
    decision = draft(office, officer, [approve(recommended(round_, amount="2500"))])
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    commissioner = signatories[Role.COMMISSIONER]
    with pytest.raises(DomainError, match="authenticator"):
        decision_sign(decision=decision, signatory=commissioner, mfa_verified=False)
    with pytest.raises(DomainError, match="You do not hold one of those roles"):
        decision_sign(decision=decision, signatory=officer, mfa_verified=True)
    finance = staff_user(office, Role.FINANCE_OFFICER)
    with pytest.raises(DomainError, match="Chief Finance Officer"):
        decision_sign(decision=decision, signatory=finance, mfa_verified=True)
    decision_sign(decision=decision, signatory=commissioner, mfa_verified=True)
    with pytest.raises(DomainError, match="already signed"):
        decision_sign(decision=decision, signatory=commissioner, mfa_verified=True)
    assert Signature.objects.filter(decision=decision).count() == 1
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_SIGNATURES


def test_one_person_cannot_sign_twice_under_two_roles(office, officer, round_, signatories):
    decision = draft(office, officer, [approve(recommended(round_, amount="2500"))])
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    both = signatories[Role.COMMISSIONER]
    from commissioning.accounts.services import membership_grant

    membership_grant(user=both, office=office, role=Role.MONITORING_OFFICER)
    decision_sign(decision=decision, signatory=both, mfa_verified=True)
    with pytest.raises(DomainError, match="already signed"):
        decision_sign(decision=decision, signatory=both, mfa_verified=True)


def test_the_last_signature_decides_and_sends_letters(signed_decision):
    decision = signed_decision
    assert decision.status == DecisionStatus.SIGNED and decision.signed_at
    statuses = {
        link.outcome: link.application.status
        for link in decision.decided_applications.select_related("application")
    }
    assert statuses == {"approve": Status.APPROVED, "decline": Status.DECLINED}
    letters = {letter.kind: letter for letter in Letter.objects.filter(decision=decision)}
    assert set(letters) == {"award", "decline"}
    assert all(letter.sent_at and letter.pdf_path for letter in letters.values())
    award, refusal = letters["award"], letters["decline"]
    assert "£2,500" in award.body and decision.number in award.body
    assert "Scored below the funding line." in refusal.body
    sent = {m.subject: m for m in mail.outbox if "application" in m.subject}
    message = sent[award.subject]
    assert message.to == [award.sent_to] and award.sent_to.endswith(CONTACT_DOMAIN)
    name, content, kind = message.attachments[0]
    assert kind == "application/pdf" and content.startswith(b"%PDF")
    assert f"/letters/{award.public_id}/" in message.body


def test_decline_letter_draws_on_screening_and_panel_feedback(
    office, officer, round_, signatories, monkeypatch, django_capture_on_commit_callbacks
):
    """ESX 3.3: a clear rationale, from screening results and the panel's feedback."""
    from commissioning.applications.models import ScreeningResult

    application = recommended(round_, status="not_recommended")
    ScreeningResult.objects.create(
        application=application, rule="match_funding", outcome="refer", reason="No match funding."
    )
    ScreeningResult.objects.create(
        application=application, rule="area", outcome="pass", reason="Serves the area."
    )
    monkeypatch.setattr(
        services, "panel_feedback_for", lambda application: "The outcomes were not measurable."
    )
    decision = draft(office, officer, [decline(application, reason="")])
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_submit_for_signature(decision=decision, actor=officer)
        sign_all(decision, signatories)
    body = Letter.objects.get(application=application).body
    assert "No match funding." in body and "The outcomes were not measurable." in body
    assert "Serves the area." not in body


def test_a_signed_record_cannot_change_and_attempts_are_audited(signed_decision, officer):
    decision = signed_decision
    with pytest.raises(DomainError, match="has been signed"):
        decision_update(decision=decision, actor=officer, fields={"title": "Changed"})
    refused = AuditEvent.objects.filter(verb="decision.change_refused", target_id=str(decision.pk))
    assert refused.count() == 1 and refused.get().actor == officer
    decision.refresh_from_db()
    assert decision.title != "Changed"
    decision.title = "Changed behind the services"
    with pytest.raises(ImmutableRecord):
        decision.save()
    with pytest.raises(ImmutableRecord):
        decision.delete()
    with pytest.raises(DomainError):
        decision_withdraw(decision=decision, actor=officer)


def test_publication_follows_the_pack(office, officer, round_, signatories):
    office.policy.publication["decisions_published_over"] = 2000
    office.policy.save()
    small = draft(office, officer, [approve(recommended(round_, amount="2000"))])
    small = sign_all(decision_submit_for_signature(decision=small, actor=officer), signatories)
    with pytest.raises(DomainError, match="does not publish"):
        decision_publish(decision=small, actor=officer)
    large = draft(office, officer, [approve(recommended(round_, amount="2500"))])
    large = sign_all(decision_submit_for_signature(decision=large, actor=officer), signatories)
    published = decision_publish(decision=large, actor=officer)
    assert published.status == DecisionStatus.PUBLISHED and published.published_at
    with pytest.raises(DomainError, match="Only a fully signed"):
        decision_publish(decision=published, actor=officer)


def test_withdrawn_draft_frees_its_applications(office, officer, round_):
    application = recommended(round_)
    first = draft(office, officer, [approve(application)])
    decision_withdraw(decision=first, actor=officer)
    second = draft(office, officer, [decline(application)])
    assert second.number != first.number
    assert DecisionRecord.objects.count() == 2


def _min_share(office, fraction):
    office.policy.assessment = {
        **office.policy.assessment,
        "funds": {"CF": {"partial_funding_min_fraction": fraction}},
    }
    office.policy.save(update_fields=["assessment"])


def test_a_decision_cannot_award_less_than_the_funds_minimum_share(office, officer, round_):
    """Issue 9 item 4: GBP 200.01 of a GBP 1,600 request, against a minimum of half, was
    accepted by a decision although the panel and the allocation refuse it."""
    _min_share(office, 0.5)
    application = recommended(round_, amount="1600")
    for amount in ("200.01", "799.99"):
        with pytest.raises(DomainError) as caught:
            draft(office, officer, [approve(application, amount=amount)])
        assert caught.value.message == (
            f"{application.reference} asked for £1,600: a part award from this fund must be at "
            "least £800.00."
        )
        assert caught.value.field == f"amount_{application.pk}"
    assert not DecisionRecord.objects.exists()
    decision = draft(office, officer, [approve(application, amount="800")])
    assert decision.total == Decimal("800")


def test_a_decision_on_a_fund_that_does_not_fund_in_part_awards_all_or_nothing(
    office, officer, round_
):
    application = recommended(round_, amount="1600")
    with pytest.raises(DomainError, match="this fund does not award part of what was asked"):
        draft(office, officer, [approve(application, amount="1500")])
    assert draft(office, officer, [approve(application)]).total == Decimal("1600")


def test_changing_a_draft_decision_keeps_to_the_minimum_share(office, officer, round_):
    _min_share(office, 0.5)
    application = recommended(round_, amount="1600")
    decision = draft(office, officer, [approve(application)])
    with pytest.raises(DomainError, match="at least £800.00"):
        decision_update(
            decision=decision,
            actor=officer,
            fields={},
            lines=[approve(application, amount="200.01")],
        )
    decision.refresh_from_db()
    assert decision.total == Decimal("1600")
