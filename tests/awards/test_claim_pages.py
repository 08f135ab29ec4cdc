"""Claim pages and the claims API (issue 10, items 6, 8 and 9): the organisation's pages and
the staff pages, with every refusal shown plainly, evidence through the upload checks, 404 for
other organisations and other offices, and constant queries on the lists."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.models import Role
from commissioning.awards.claims.models import Claim, ClaimEvidence, ClaimStatus
from commissioning.awards.claims.services import claim_approve
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import OrganisationFactory, member_of
from tests.awards.claim_factories import (
    YEAR_2026,
    active_award,
    add_evidence,
    admin_of,
    draft_claim,
    pdf_upload,
    plain_member_of,
    submitted_claim,
)
from tests.awards.factories import award_by_decision
from tests.awards.test_api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(office, officer, round_, signatories):
    return active_award(office, officer, round_, signatories, amount="2000")


@pytest.fixture
def finance(office):
    return staff_user(office, Role.FINANCE_OFFICER)


def org_url(award, path=""):
    return f"/organisations/{award.organisation.ref}/awards/{award.reference}/claims/{path}"


def staff_url(office, award, claim, path=""):
    return f"/staff/{office.slug}/awards/{award.reference}/claims/{claim.number}/{path}"


def claim_post(award, **overrides):
    line = award.application.budget_lines.first()
    data = {
        "period_start_0": "1",
        "period_start_1": "4",
        "period_start_2": "2026",
        "period_end_0": "30",
        "period_end_1": "6",
        "period_end_2": "2026",
        "amount": "600",
        f"line_{line.pk}": "600",
    }
    data.update(overrides)
    return data


# The organisation ----------------------------------------------------------------------------


def test_the_organisation_makes_a_claim_adds_evidence_and_submits(client, award):
    admin = admin_of(award)
    client.force_login(admin)
    page = client.get(org_url(award))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Make a claim" in html and "£2,000" in html
    form = client.get(org_url(award, "new/"))
    assert "Torches and hi-vis" in form.content.decode()
    made = client.post(org_url(award, "new/"), claim_post(award))
    claim = Claim.objects.get(award=award)
    assert made.status_code == 302 and made["Location"] == org_url(award, "1/")
    added = client.post(
        org_url(award, "1/evidence/add/"),
        {"kind": "invoice", "description": "Invoice 1042", "file": pdf_upload()},
    )
    assert added.status_code == 302
    evidence = claim.evidence.get()
    assert evidence.filename == "invoice.pdf" and evidence.content_type == "application/pdf"
    assert evidence.file_path.startswith("awards/claims/")
    download = client.get(org_url(award, f"1/evidence/{evidence.public_id}/"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    submitted = client.post(org_url(award, "1/submit/"), {"confirm": "on"})
    assert submitted.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    page = client.get(org_url(award, "1/")).content.decode()
    assert "Being checked" in page and "Add evidence" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "700"}, "The lines add up to £600.00, but the claim is for £700.00."),
        (
            {"amount": "2500", "LINE": "2500"},
            "£2,500.00 is more than the £2,000.00 of the award that remains unclaimed.",
        ),
        (
            {"period_end_1": "5", "period_end_2": "2027"},
            "The period must be within the award, which runs from 1 April 2026 to 31 March 2027.",
        ),
        ({"LINE": ""}, "Enter an amount against at least one cost"),
        ({"amount": "lots"}, "Enter an amount in pounds and pence"),
        ({"period_start_0": "31", "period_start_1": "2"}, "The date must be a real date"),
    ],
)
def test_the_claim_form_shows_each_refusal_plainly(client, award, overrides, message):
    client.force_login(admin_of(award))
    line = award.application.budget_lines.first()
    if "LINE" in overrides:
        overrides[f"line_{line.pk}"] = overrides.pop("LINE")
    page = client.post(org_url(award, "new/"), claim_post(award, **overrides))
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert message.replace("'", "&#x27;") in html
    assert not Claim.objects.exists()


def test_an_award_that_is_not_active_takes_no_claim(client, office, officer, round_, signatories):
    [award] = award_by_decision(office, officer, round_, signatories, **YEAR_2026)
    client.force_login(admin_of(award))
    page = client.get(org_url(award)).content.decode()
    assert "Make a claim" not in page and "You can claim once the grant agreement" in page
    refused = client.post(org_url(award, "new/"), claim_post(award))
    assert "You can claim once the grant agreement" in refused.content.decode()
    assert not Claim.objects.exists()


def test_a_disguised_file_is_refused_as_evidence(client, award):
    """A program renamed invoice.pdf is read by its content and refused."""
    claim = draft_claim(award)
    client.force_login(admin_of(award))
    page = client.post(
        org_url(award, "1/evidence/add/"),
        {
            "kind": "invoice",
            "description": "Invoice",
            "file": pdf_upload("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert "invoice.pdf&#x27; is not any of these." in html
    assert not claim.evidence.exists()


def test_submitting_without_evidence_or_the_declaration_is_refused(client, award):
    draft_claim(award)
    client.force_login(admin_of(award))
    page = client.post(org_url(award, "1/submit/"), {})
    assert "Confirm the declaration to submit the claim" in page.content.decode()
    page = client.post(org_url(award, "1/submit/"), {"confirm": "on"})
    assert "Add evidence of the spending" in page.content.decode()
    assert Claim.objects.get().status == ClaimStatus.DRAFT


def test_a_plain_member_prepares_but_an_administrator_submits(client, award):
    member = plain_member_of(award.organisation)
    claim = draft_claim(award, member)
    add_evidence(claim, member)
    client.force_login(member)
    page = client.get(org_url(award, "1/")).content.decode()
    assert "must submit the claim" in page and "Submit claim" not in page
    refused = client.post(org_url(award, "1/submit/"), {"confirm": "on"})
    assert "Only an administrator of" in refused.content.decode()
    assert Claim.objects.get().status == ClaimStatus.DRAFT


def test_a_returned_claim_shows_finance_comments_and_is_resubmitted(client, award, finance):
    from commissioning.awards.claims.services import claim_return

    claim = submitted_claim(award, amount="600")
    claim_return(claim=claim, actor=finance, comments="Add the receipt for the torches.")
    client.force_login(admin_of(award))
    html = client.get(org_url(award, "1/")).content.decode()
    assert "Returned to you" in html and "Add the receipt for the torches." in html
    changed = client.post(org_url(award, "1/change/"), claim_post(award))
    assert changed.status_code == 302
    client.post(org_url(award, "1/submit/"), {"confirm": "on"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_evidence_is_removed_from_a_draft_only(client, award):
    claim = draft_claim(award)
    evidence = add_evidence(claim)
    client.force_login(admin_of(award))
    url = org_url(award, f"1/evidence/{evidence.public_id}/remove/")
    assert "Remove invoice.pdf?" in client.get(url).content.decode()
    client.post(url)
    assert not ClaimEvidence.objects.exists()


def test_another_organisation_gets_404_on_every_claim_page(client, award):
    claim = submitted_claim(award)
    evidence = claim.evidence.get()
    outsider = member_of(OrganisationFactory())
    client.force_login(outsider)
    for path in (
        "",
        "new/",
        "1/",
        "1/change/",
        f"1/evidence/{evidence.public_id}/",
        "1/evidence/add/",
    ):
        assert client.get(org_url(award, path)).status_code == 404, path
    assert client.post(org_url(award, "1/submit/"), {"confirm": "on"}).status_code == 404
    # Its own organisation's reference does not open another's award either.
    own = outsider.organisation_memberships.get().organisation
    url = f"/organisations/{own.ref}/awards/{award.reference}/claims/"
    assert client.get(url).status_code == 404


def test_staff_get_404_on_the_organisations_pages(client, office, award, finance):
    submitted_claim(award)
    sign_in(client, finance)
    assert client.get(org_url(award, "1/")).status_code == 404


def test_the_organisations_claims_list_costs_constant_queries(
    client, award, django_assert_max_num_queries
):
    client.force_login(admin_of(award))
    submitted_claim(award, amount="100")
    with CaptureQueriesContext(connection) as one:
        client.get(org_url(award))
    for n in range(2, 6):
        submitted_claim(
            award, amount="100", period=(dt.date(2026, n + 5, 1), dt.date(2026, n + 5, 28))
        )
    with django_assert_max_num_queries(len(one)):
        assert client.get(org_url(award)).status_code == 200


# Staff ---------------------------------------------------------------------------------------


def test_finance_lists_claims_to_check_and_approves_one(client, office, award, finance):
    claim = submitted_claim(award, amount="600")
    sign_in(client, finance)
    listed = client.get(f"/staff/{office.slug}/claims/").content.decode()
    assert claim.reference in listed and award.organisation.name in listed
    page = client.get(staff_url(office, award, claim)).content.decode()
    assert "Approve claim" in page and "Return claim" in page
    assert "invoice.pdf" in page
    evidence = claim.evidence.get()
    download = client.get(staff_url(office, award, claim, f"evidence/{evidence.public_id}/"))
    assert download.status_code == 200
    refused = client.post(staff_url(office, award, claim, "approve/"), {"amount": "500"})
    assert (
        "Give the reason for approving less than the £600.00 claimed." in refused.content.decode()
    )
    done = client.post(
        staff_url(office, award, claim, "approve/"),
        {"amount": "500", "reason": "One receipt is missing."},
    )
    assert done.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (ClaimStatus.APPROVED, Decimal("500.00"))
    award_page = client.get(f"/staff/{office.slug}/awards/{award.reference}/").content.decode()
    assert "Claims" in award_page and "C1" in award_page and "£1,500" in award_page


def test_finance_returns_a_claim_with_comments(client, office, award, finance):
    claim = submitted_claim(award)
    sign_in(client, finance)
    refused = client.post(staff_url(office, award, claim, "return/"), {"comments": ""})
    assert "Say what the organisation must correct" in refused.content.decode()
    client.post(staff_url(office, award, claim, "return/"), {"comments": "Wrong period."})
    claim.refresh_from_db()
    assert (claim.status, claim.finance_comments) == (ClaimStatus.RETURNED, "Wrong period.")


def test_staff_who_are_not_finance_read_claims_but_cannot_check_them(
    client, office, award, officer
):
    claim = submitted_claim(award)
    sign_in(client, officer)
    page = client.get(staff_url(office, award, claim))
    assert page.status_code == 200 and "Approve claim" not in page.content.decode()
    assert (
        client.post(staff_url(office, award, claim, "approve/"), {"amount": "1"}).status_code == 404
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_another_office_gets_404_on_every_staff_claim_page(client, office, other_office, award):
    claim = submitted_claim(award)
    evidence = claim.evidence.get()
    sign_in(client, staff_user(other_office, Role.FINANCE_OFFICER))
    for slug in (office.slug, other_office.slug):
        base = f"/staff/{slug}/awards/{award.reference}/claims/1/"
        assert client.get(base).status_code == 404
        assert client.get(f"{base}evidence/{evidence.public_id}/").status_code == 404
        assert client.post(f"{base}approve/", {"amount": "500"}).status_code == 404
    assert client.get(f"/staff/{office.slug}/claims/").status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_panel_members_and_organisation_users_get_404_on_staff_pages(client, office, award):
    claim = submitted_claim(award)
    for user in (staff_user(office, Role.PANEL_MEMBER), admin_of(award)):
        client.logout()
        sign_in(client, user) if user.memberships.exists() else client.force_login(user)
        assert client.get(f"/staff/{office.slug}/claims/").status_code in (302, 404)
        assert client.get(staff_url(office, award, claim)).status_code in (302, 404)


def test_a_draft_is_not_shown_to_staff(client, office, award, finance):
    claim = draft_claim(award)
    sign_in(client, finance)
    assert client.get(staff_url(office, award, claim)).status_code == 404
    assert (
        claim.reference not in client.get(f"/staff/{office.slug}/claims/?status=").content.decode()
    )


def test_bad_list_filters_get_a_plain_message(client, office, finance):
    sign_in(client, finance)
    page = client.get(f"/staff/{office.slug}/claims/", {"status": "paid"})
    assert page.status_code == 400
    assert "Choose a status from the list." in page.content.decode()
    page = client.get(f"/staff/{office.slug}/claims/", {"page": "x"})
    assert page.status_code == 400


def test_the_claims_to_check_list_costs_constant_queries(
    client, office, officer, round_, signatories, finance, django_assert_max_num_queries
):
    award = active_award(office, officer, round_, signatories, amount="2000")
    submitted_claim(award, amount="100")
    sign_in(client, finance)
    with CaptureQueriesContext(connection) as one:
        client.get(f"/staff/{office.slug}/claims/")
    for n in range(2, 6):
        submitted_claim(
            award, amount="100", period=(dt.date(2026, n + 5, 1), dt.date(2026, n + 5, 28))
        )
    with django_assert_max_num_queries(len(one)):
        page = client.get(f"/staff/{office.slug}/claims/")
    assert "5 claims" in page.content.decode()


# API -----------------------------------------------------------------------------------------


def test_the_api_lists_an_awards_claims_for_staff(client, office, award, finance, officer):
    first = submitted_claim(award, amount="600")
    claim_approve(claim=first, actor=finance, amount=Decimal("550"), reason="Receipt missing")
    submitted_claim(award, amount="300", period=(dt.date(2026, 7, 1), dt.date(2026, 9, 30)))
    draft_claim(award, amount="10", period=(dt.date(2026, 10, 1), dt.date(2026, 10, 31)))
    body = client.get(
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/claims", **bearer(officer)
    ).json()
    assert (body["amount"], body["unclaimed"]) == ("2000.00", "1150.00")
    assert [(c["number"], c["status"]) for c in body["claims"]] == [
        (1, "approved"),
        (2, "submitted"),
    ]
    assert body["claims"][0]["approved_amount"] == "550.00"
    assert body["claims"][0]["lines"] == [
        {"description": "Torches and hi-vis", "budget_category": "equipment", "amount": "600.00"}
    ]
    [evidence] = body["claims"][0]["evidence"]
    assert evidence["filename"] == "invoice.pdf"
    sign_in(client, officer)
    assert client.get(evidence["download_url"]).status_code == 200


def test_the_api_is_404_for_another_office_and_403_for_a_panel_member(
    client, office, other_office, award
):
    submitted_claim(award)
    url = f"/api/v1/offices/{office.slug}/awards/{award.reference}/claims"
    assert client.get(url, **bearer(staff_user(other_office))).status_code == 404
    assert client.get(url, **bearer(staff_user(office, Role.PANEL_MEMBER))).status_code == 403
    missing = f"/api/v1/offices/{office.slug}/awards/NOPE-1/claims"
    assert client.get(missing, **bearer(staff_user(office))).status_code == 404
