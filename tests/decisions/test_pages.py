"""Staff pages, the public decision pages and PDFs, letters and the API: who may see what, and
no personal data in public (DE1-DE3)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from commissioning.accounts.models import Role
from commissioning.audit.models import AuditEvent
from commissioning.decisions.models import DecisionRecord, DecisionStatus, Letter
from commissioning.decisions.services import decision_publish, decision_submit_for_signature
from commissioning.decisions.views import _record_html
from tests.accounts.factories import UserFactory, sign_in, staff_user
from tests.applications.factories import member_of
from tests.decisions.conftest import (
    CONTACT_DOMAIN,
    CONTACT_SURNAME,
    approve,
    draft,
    login_with_mfa,
    recommended,
)

pytestmark = pytest.mark.django_db


def staff(office, slug=""):
    return f"/staff/{office.slug}/decisions/{slug}"


def test_officer_drafts_a_decision_from_recommended_applications(client, office, officer, round_):
    office.policy.assessment = {"funds": {"CF": {"partial_funding_min_fraction": 0.5}}}
    office.policy.save(update_fields=["assessment"])
    award = recommended(round_, amount="2500")
    refused = recommended(round_, status="not_recommended")
    login_with_mfa(client, officer)
    page = client.get(staff(office, "new/"))
    assert page.status_code == 200 and award.reference.encode() in page.content
    bad = client.post(staff(office, "new/"), {"title": "", f"outcome_{award.pk}": "approve"})
    assert b"There is a problem" in bad.content and b"Enter a title" in bad.content
    assert not DecisionRecord.objects.exists()
    fields = {
        "title": "Spring awards",
        "summary": "Two applications decided.",
        "rationale": "As the panel recommended.",
        f"outcome_{award.pk}": "approve",
    }
    # Issue 9 item 4: below the fund's minimum share, as the panel and the allocation refuse.
    below = client.post(staff(office, "new/"), {**fields, f"amount_{award.pk}": "1,249.99"})
    html = below.content.decode()
    assert "There is a problem" in html
    assert "a part award from this fund must be at least £1,250.00" in html
    assert f'href="#id_amount_{award.pk}"' in html
    assert not DecisionRecord.objects.exists()
    response = client.post(
        staff(office, "new/"),
        {
            "title": "Spring awards",
            "summary": "Two applications decided.",
            "rationale": "As the panel recommended.",
            "exempt_parts": ["legal_implications"],
            "exemption_reason": "Privileged advice.",
            "legal_implications": "Privileged.",
            f"outcome_{award.pk}": "approve",
            f"amount_{award.pk}": "2,400",
            f"outcome_{refused.pk}": "decline",
            f"reason_{refused.pk}": "Below the funding line.",
        },
    )
    decision = DecisionRecord.objects.get()
    assert response["Location"] == staff(office, f"{decision.slug}/")
    assert decision.total == 2400
    edit = client.post(
        staff(office, f"{decision.slug}/edit/"),
        {
            "title": "Spring awards (revised)",
            "summary": "One application decided.",
            "rationale": "As the panel recommended.",
            f"outcome_{award.pk}": "approve",
            f"amount_{award.pk}": "2500",
        },
    )
    assert edit.status_code == 302
    decision.refresh_from_db()
    assert decision.title == "Spring awards (revised)" and decision.total == 2500
    client.post(staff(office, f"{decision.slug}/submit/"))
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_SIGNATURES
    assert client.get(staff(office, f"{decision.slug}/edit/")).status_code == 302


def test_signing_in_the_page_needs_the_role_and_mfa(client, office, officer, round_, signatories):
    decision = draft(office, officer, [approve(recommended(round_, amount="2500"))])
    decision_submit_for_signature(decision=decision, actor=officer)
    url = staff(office, f"{decision.slug}/sign/")
    commissioner = signatories[Role.COMMISSIONER]

    # A session that skipped the code is signed out and sent to sign in again (issue 7).
    login_with_mfa(client, commissioner, mfa=False)
    detail = client.get(staff(office, f"{decision.slug}/"))
    assert detail.status_code == 302
    assert detail["Location"].startswith("/accounts/login/")
    login_with_mfa(client, commissioner, mfa=False)
    client.post(url)
    assert not decision.signatures.exists()

    login_with_mfa(client, officer)
    client.post(url)
    assert not decision.signatures.exists()

    login_with_mfa(client, commissioner)
    detail = client.get(staff(office, f"{decision.slug}/"))
    assert b"Sign this decision" in detail.content
    home = client.get("/staff/")
    assert decision.number.encode() in home.content
    client.post(url)
    assert decision.signatures.get().user == commissioner
    for role in (Role.MONITORING_OFFICER, Role.CHIEF_FINANCE_OFFICER):
        login_with_mfa(client, signatories[role])
        client.post(url)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED
    home = client.get("/staff/")
    assert decision.number.encode() not in home.content


def test_a_signed_record_refuses_edits_in_the_page(client, office, officer, signed_decision):
    login_with_mfa(client, officer)
    page = client.get(staff(office, f"{signed_decision.slug}/edit/"))
    assert page.status_code == 302
    client.post(staff(office, f"{signed_decision.slug}/edit/"), {"title": "Rewritten"})
    signed_decision.refresh_from_db()
    assert signed_decision.title != "Rewritten"
    refused = AuditEvent.objects.get(verb="decision.change_refused")
    assert refused.actor == officer and refused.target_id == str(signed_decision.pk)
    assert b"Change the draft" not in client.get(staff(office, f"{signed_decision.slug}/")).content


def test_public_pages_and_pdf_carry_no_personal_data(client, office, officer, signed_decision):
    slug = signed_decision.slug
    assert client.get(f"/{office.slug}/decisions/{slug}/").status_code == 404
    decision_publish(decision=signed_decision, actor=officer)
    listing = client.get(f"/{office.slug}/decisions/")
    detail = client.get(f"/{office.slug}/decisions/{slug}/")
    api = client.get(f"/api/v1/public/offices/{office.slug}/decisions")
    assert signed_decision.number.encode() in listing.content
    decision = DecisionRecord.objects.get(pk=signed_decision.pk)
    from commissioning.decisions.selectors import decision_with_parts

    html = _record_html(decision_with_parts(decision.pk), public=True)
    signer = decision.signatures.first().user
    for text in (detail.content.decode(), listing.content.decode(), api.content.decode(), html):
        assert CONTACT_SURNAME not in text and CONTACT_DOMAIN not in text
        assert "CONFIDENTIAL-LEGAL-ADVICE" not in text
        assert signer.full_name not in text and escape(signer.full_name) not in text
        assert signer.email not in text
    assert "Exempt from publication" in detail.content.decode()
    assert "Commissioner" in detail.content.decode()
    assert "£2,500" in detail.content.decode()
    pdf = client.get(f"/{office.slug}/decisions/{slug}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    staff_html = _record_html(decision_with_parts(decision.pk), public=False)
    assert "CONFIDENTIAL-LEGAL-ADVICE" in staff_html


def test_panel_report_by_period(client, office, officer, signed_decision):
    decision_publish(decision=signed_decision, actor=officer)
    day = signed_decision.signed_at.date().isoformat()
    url = f"/{office.slug}/decisions/panel-report/"
    report = client.get(url, {"from": day, "to": day}).content.decode()
    assert signed_decision.number in report and "£2,500" in report
    empty = client.get(url, {"from": "2001-01-01", "to": "2001-12-31"}).content.decode()
    assert signed_decision.number not in empty
    bad = client.get(url, {"from": "yesterday", "to": "2001-01-01"})
    assert bad.status_code == 200 and b"There is a problem" in bad.content
    office.policy.publication["report_to_panel"] = False
    office.policy.save()
    assert client.get(url).status_code == 404


def test_letters_are_seen_by_staff_and_the_applicant_only(
    client, office, other_office, signed_decision
):
    letter = Letter.objects.get(decision=signed_decision, kind="award")
    url = reverse("decisions:letter", args=[letter.public_id])
    applicant = member_of(letter.application.organisation)
    sign_in(client, applicant)
    assert letter.subject.encode() in client.get(url).content
    assert client.get(url + "pdf/").content.startswith(b"%PDF")
    receipt = client.get(reverse("applications:receipt", args=[letter.application.public_id]))
    assert url.encode() in receipt.content
    sign_in(client, UserFactory())
    assert client.get(url).status_code == 404
    sign_in(client, member_of(Letter.objects.get(kind="decline").application.organisation))
    assert client.get(url).status_code == 404
    login_with_mfa(client, staff_user(other_office))
    assert client.get(url).status_code == 404
    login_with_mfa(client, staff_user(office, Role.AUDITOR))
    assert client.get(url).status_code == 200


def test_another_office_gets_404_in_pages_and_api(client, office, other_office, signed_decision):
    outsider = staff_user(other_office, Role.COMMISSIONING_OFFICER)
    login_with_mfa(client, outsider)
    slug = signed_decision.slug
    for path in ("", "new/", f"{slug}/", f"{slug}/edit/", f"{slug}/pdf/"):
        assert client.get(staff(office, path)).status_code == 404, path
    assert client.post(staff(office, f"{slug}/sign/")).status_code == 404
    assert client.get(f"/api/v1/offices/{office.slug}/decisions").status_code == 404
    assert client.get(f"/api/v1/offices/{office.slug}/decisions/{slug}").status_code == 404
    panel = staff_user(office, Role.PANEL_MEMBER)
    login_with_mfa(client, panel)
    assert client.get(staff(office)).status_code == 404
    reader = staff_user(office, Role.AUDITOR)
    login_with_mfa(client, reader)
    assert client.get(staff(office, "new/")).status_code == 404
    assert client.get(staff(office)).status_code == 200
    assert client.post(staff(office, f"{slug}/publish/")).status_code == 404


def test_api_for_staff(client, office, officer, signed_decision):
    login_with_mfa(client, officer)
    listing = client.get(f"/api/v1/offices/{office.slug}/decisions").json()
    assert [d["number"] for d in listing] == [signed_decision.number]
    detail = client.get(f"/api/v1/offices/{office.slug}/decisions/{signed_decision.slug}").json()
    assert detail["status"] == "signed" and len(detail["signatures"]) == 3
    assert {line["outcome"] for line in detail["applications"]} == {"approve", "decline"}
    assert client.get(f"/api/v1/public/offices/{office.slug}/decisions").json() == []


def test_lists_cost_a_fixed_number_of_queries(
    client, office, officer, round_, signatories, django_assert_max_num_queries
):
    from tests.decisions.conftest import sign_all

    for _ in range(4):
        decision = draft(office, officer, [approve(recommended(round_, amount="2500"))])
        decision = sign_all(
            decision_submit_for_signature(decision=decision, actor=officer), signatories
        )
        decision_publish(decision=decision, actor=officer)
    login_with_mfa(client, officer)
    with django_assert_max_num_queries(14):
        assert client.get(staff(office)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/{office.slug}/decisions/").status_code == 200
    with django_assert_max_num_queries(10):
        client.get(f"/{office.slug}/decisions/panel-report/")
    with django_assert_max_num_queries(14):
        assert client.get(f"/api/v1/offices/{office.slug}/decisions").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/api/v1/public/offices/{office.slug}/decisions").status_code == 200


def test_application_page_shows_its_decision_and_letters(client, office, officer, signed_decision):
    link = signed_decision.decided_applications.select_related("application").first()
    login_with_mfa(client, officer)
    page = client.get(f"/staff/{office.slug}/applications/{link.application.reference}/")
    assert signed_decision.number.encode() in page.content
    assert b"Award notification" in page.content or b"Decline letter" in page.content


def test_demo_decisions_are_added_once(office, round_, django_capture_on_commit_callbacks):
    from commissioning.decisions import demo

    for prefix, role in [
        ("officer", Role.COMMISSIONING_OFFICER),
        ("commissioner", Role.COMMISSIONER),
        ("monitoring", Role.MONITORING_OFFICER),
        ("cfo", Role.CHIEF_FINANCE_OFFICER),
    ]:
        staff_user(office, role, email=f"{prefix}@{office.slug}.example")
    recommended(round_, status="eligible")
    recommended(round_, status="screening")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            demo.seed_office(office)
    records = {d.status: d for d in DecisionRecord.objects.filter(office=office)}
    assert set(records) == {DecisionStatus.PUBLISHED, DecisionStatus.AWAITING_SIGNATURES}
    assert records[DecisionStatus.AWAITING_SIGNATURES].signatures.count() == 1
    kinds = set(Letter.objects.filter(sent_at__isnull=False).values_list("kind", flat=True))
    assert kinds == {"award", "decline"}


def test_the_decision_page_says_why_these_people_sign(client, office, officer, round_):
    """Issue 9, item 11: the page states the pack's sign-off tier in words."""
    decision = draft(office, officer, [approve(recommended(round_, amount="2500"))])
    decision_submit_for_signature(decision=decision, actor=officer)
    login_with_mfa(client, officer)
    page = client.get(staff(office, f"{decision.slug}/")).content.decode()
    assert (
        "Over £2,000: the Commissioner, the Monitoring Officer and the Chief Finance Officer"
        in page
    )
