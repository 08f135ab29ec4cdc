"""The agreement pages (issue 10, items 3 and 8): the staff award page's agreement section and
the agreement page with send and countersign; the organisation's awards and the award page to
read, download and sign. Another office's staff and another organisation's users get 404; the
lists cost a constant number of queries. And the agreement status in the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import Role
from commissioning.awards.agreements.document import sha256_of
from commissioning.awards.agreements.models import Agreement, AgreementStatus
from commissioning.awards.agreements.services import agreement_issue
from commissioning.awards.models import AwardStatus
from commissioning.organisations.models import OrganisationMember
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import OrganisationFactory, member_of
from tests.awards.agreement_helpers import (
    countersigned,
    countersigner,
    one_award,
    provider_signed,
    sent,
    signer_of,
)
from tests.awards.test_api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(office, officer, round_, signatories):
    return one_award(office, officer, round_, signatories)


def staff_url(award, path=""):
    return f"/staff/{award.office.slug}/awards/{award.reference}/{path}"


def org_url(award, path=""):
    return f"/organisations/{award.organisation.ref}/awards/{award.reference}/{path}"


def test_staff_draw_up_check_and_send_the_agreement_from_the_award_page(
    client, office, officer, award, django_capture_on_commit_callbacks
):
    sign_in(client, officer)
    page = client.get(staff_url(award))
    html = page.content.decode()
    assert page.status_code == 200 and "Grant agreement" in html
    assert "No agreement has been drawn up yet" in html
    drawn = client.post(staff_url(award, "agreement/new/"), {"reason": "The award"})
    assert drawn.status_code == 302 and drawn["Location"].endswith("/agreement/v1/")
    page = client.get(staff_url(award, "agreement/v1/"))
    html = page.content.decode()
    assert "Send the agreement" in html and "How to claim the grant" in html
    draft_pdf = client.get(staff_url(award, "agreement/v1.pdf"))
    assert draft_pdf.status_code == 200 and draft_pdf.content.startswith(b"%PDF-")
    with django_capture_on_commit_callbacks(execute=True):
        sent_page = client.post(staff_url(award, "agreement/v1/send/"))
    assert sent_page.status_code == 302
    award.refresh_from_db()
    assert award.status == AwardStatus.SENT
    agreement = award.agreements.get()
    pdf = client.get(staff_url(award, "agreement/v1.pdf"))
    assert sha256_of(pdf.content) == agreement.document_sha256
    assert (
        agreement.document_sha256 in client.get(staff_url(award, "agreement/v1/")).content.decode()
    )


def test_a_blank_reason_is_refused_with_a_message(client, office, officer, award):
    sign_in(client, officer)
    response = client.post(staff_url(award, "agreement/new/"), {"reason": ""}, follow=True)
    assert "Say why this version of the agreement is drawn up." in response.content.decode()
    assert not Agreement.objects.filter(award=award).exists()


def test_the_office_countersigns_with_a_current_code(client, office, officer, award):
    agreement = provider_signed(award, officer)
    commissioner = countersigner(office)
    sign_in(client, commissioner)
    page = client.get(staff_url(award, "agreement/v1/"))
    assert "Countersign the agreement" in page.content.decode()
    url = staff_url(award, "agreement/v1/countersign/")
    wrong = client.post(url, {"code": "000000", "document_sha256": agreement.document_sha256})
    assert wrong.status_code == 400
    assert "Enter the current 6-digit code" in wrong.content.decode()
    bad = client.post(url, {"code": "12", "document_sha256": agreement.document_sha256})
    assert bad.status_code == 400 and "6 digits" in bad.content.decode()
    ok = client.post(
        url, {"code": totp_current_code(commissioner), "document_sha256": agreement.document_sha256}
    )
    assert ok.status_code == 302
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE


def test_countersigning_needs_an_mfa_session(client, office, officer, award):
    agreement = provider_signed(award, officer)
    commissioner = countersigner(office)
    sign_in(client, commissioner)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": 0}]
    session.save()
    response = client.post(
        staff_url(award, "agreement/v1/countersign/"),
        {"code": totp_current_code(commissioner), "document_sha256": agreement.document_sha256},
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED_BY_PROVIDER
    assert response.status_code in (302, 400)


def test_staff_without_the_role_cannot_send_or_countersign(client, office, officer, award):
    agreement_issue(award=award, actor=officer, reason="The award")
    reader = staff_user(office, Role.AUDITOR)
    sign_in(client, reader)
    assert client.get(staff_url(award, "agreement/v1/")).status_code == 200
    assert client.post(staff_url(award, "agreement/v1/send/")).status_code == 404
    assert client.post(staff_url(award, "agreement/new/"), {"reason": "x"}).status_code == 404
    assert client.post(staff_url(award, "agreement/v1/countersign/")).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["", "agreement/v1/", "agreement/v1.pdf"],
)
def test_another_offices_staff_get_404(client, office, other_office, officer, award, path):
    sent(award, officer)
    sign_in(client, staff_user(other_office, Role.COMMISSIONER))
    other = f"/staff/{other_office.slug}/awards/{award.reference}/{path}"
    assert client.get(staff_url(award, path)).status_code == 404
    assert client.get(other).status_code == 404


def test_another_offices_staff_cannot_post(client, office, other_office, officer, award):
    agreement = provider_signed(award, officer)
    intruder = staff_user(other_office, Role.COMMISSIONER)
    sign_in(client, intruder)
    for path in ["agreement/new/", "agreement/v1/send/", "agreement/v1/countersign/"]:
        response = client.post(
            staff_url(award, path),
            {"reason": "x", "code": totp_current_code(intruder), "document_sha256": "a" * 64},
        )
        assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED_BY_PROVIDER


def test_the_organisation_reads_downloads_and_signs(client, office, officer, award):
    agreement = sent(award, officer)
    admin = signer_of(award)
    sign_in(client, admin, mfa=False)
    listing = client.get(f"/organisations/{award.organisation.ref}/awards/")
    assert listing.status_code == 200 and "Waiting for your signature" in listing.content.decode()
    page = client.get(org_url(award))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Sign the agreement" in html and "Payments received" in html and "Claims" in html
    assert "Monitoring schedule" in html and award.organisation.name in html
    pdf = client.get(org_url(award, "agreement/v1.pdf"))
    assert sha256_of(pdf.content) == agreement.document_sha256
    form = {
        "name": "Pat Signer",
        "role": "Chair",
        "signature": "Pat Signer",
        "confirmed": "on",
        "document_sha256": agreement.document_sha256,
    }
    missing = client.post(org_url(award, "agreement/v1/sign/"), {**form, "confirmed": ""})
    assert missing.status_code == 400
    assert "Confirm that you are authorised" in missing.content.decode()
    other_name = client.post(org_url(award, "agreement/v1/sign/"), {**form, "signature": "X"})
    assert other_name.status_code == 400 and "typed signature" in other_name.content.decode()
    signed = client.post(org_url(award, "agreement/v1/sign/"), form)
    assert signed.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED_BY_PROVIDER
    assert agreement.provider_signed_by == admin and agreement.provider_role == "Chair"


def test_a_member_who_is_not_an_admin_reads_but_cannot_sign(client, office, officer, award):
    agreement = sent(award, officer)
    member = member_of(award.organisation)
    OrganisationMember.objects.filter(user=member).update(role=OrganisationMember.Role.MEMBER)
    sign_in(client, member, mfa=False)
    html = client.get(org_url(award)).content.decode()
    assert "An administrator of the organisation signs" in html
    response = client.post(
        org_url(award, "agreement/v1/sign/"),
        {
            "name": "M",
            "role": "R",
            "signature": "M",
            "confirmed": "on",
            "document_sha256": agreement.document_sha256,
        },
    )
    assert response.status_code == 404


def test_a_draft_is_the_offices_alone(client, office, officer, award):
    agreement_issue(award=award, actor=officer, reason="The award")
    sign_in(client, signer_of(award), mfa=False)
    assert "Not yet sent" in client.get(org_url(award)).content.decode()
    assert client.get(org_url(award, "agreement/v1.pdf")).status_code == 404


@pytest.mark.parametrize("path", ["", "agreement/v1.pdf"])
def test_another_organisations_users_and_staff_get_404(client, office, officer, award, path):
    sent(award, officer)
    stranger = member_of(OrganisationFactory())
    sign_in(client, stranger, mfa=False)
    assert client.get(org_url(award, path)).status_code == 404
    assert client.get(f"/organisations/{award.organisation.ref}/awards/").status_code == 404
    sign_in(client, officer)
    assert client.get(org_url(award, path)).status_code == 404


def test_another_organisations_admin_cannot_sign(client, office, officer, award):
    agreement = sent(award, officer)
    stranger = member_of(OrganisationFactory())
    sign_in(client, stranger, mfa=False)
    response = client.post(
        org_url(award, "agreement/v1/sign/"),
        {
            "name": "S",
            "role": "R",
            "signature": "S",
            "confirmed": "on",
            "document_sha256": agreement.document_sha256,
        },
    )
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_organisations_awards_list_costs_constant_queries(
    client, office, officer, round_, signatories, django_assert_max_num_queries
):
    organisation = OrganisationFactory(applicant_type="charity")
    admin = member_of(organisation)
    first = one_award(office, officer, round_, signatories, organisation=organisation)
    sent(first, officer)
    sign_in(client, admin, mfa=False)
    url = f"/organisations/{organisation.ref}/awards/"
    one = _count(client, url)
    for _ in range(3):
        provider_signed(
            one_award(office, officer, round_, signatories, organisation=organisation), officer
        )
    with django_assert_max_num_queries(one):
        client.get(url)


def test_the_award_pages_cost_constant_queries_whatever_the_versions(
    client, office, officer, award, django_assert_max_num_queries
):
    countersigned(award, officer, countersigner(office))
    sign_in(client, officer)
    staff_one = _count(client, staff_url(award))
    agreement_page_one = _count(client, staff_url(award, "agreement/v1/"))
    for n in range(3):
        agreement_issue(award=award, actor=officer, reason=f"Variation {n}")
    with django_assert_max_num_queries(staff_one):
        client.get(staff_url(award))
    with django_assert_max_num_queries(agreement_page_one):
        client.get(staff_url(award, "agreement/v1/"))


def test_the_api_gives_the_agreement_status(client, office, other_office, officer, award):
    agreement = countersigned(award, officer, countersigner(office))
    auth = bearer(officer)
    base = f"/api/v1/offices/{office.slug}/awards"
    listed = client.get(base, **auth).json()
    assert listed[0]["agreement_status"] == "countersigned"
    detail = client.get(f"{base}/{award.reference}", **auth).json()
    assert detail["status"] == "active"
    assert detail["agreement"]["status"] == "countersigned"
    assert detail["agreement"]["document_sha256"] == agreement.document_sha256
    versions = client.get(f"{base}/{award.reference}/agreements", **auth).json()
    assert [(v["version"], v["status"]) for v in versions] == [(1, "countersigned")]
    assert versions[0]["organisation_signatory"] == "Pat Signer"
    intruder = bearer(staff_user(other_office, Role.COMMISSIONER))
    assert client.get(f"{base}/{award.reference}/agreements", **intruder).status_code == 404


def test_the_organisations_page_links_to_its_awards(client, office, officer, award):
    sign_in(client, signer_of(award), mfa=False)
    html = client.get(f"/organisations/{award.organisation.ref}/").content.decode()
    assert f'href="/organisations/{award.organisation.ref}/awards/"' in html
