"""AP2: policies on file with review dates, documents such as accounts, and their pages."""

import datetime as dt

import pytest

from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.core.uploads import validate_upload
from commissioning.organisations.models import OrganisationDocument, PolicyDocument
from commissioning.organisations.selectors import (
    PolicyStatus,
    latest_accounts,
    policy_on_file,
    policy_statuses,
)
from commissioning.organisations.services import organisation_document_add, policy_document_add
from tests.accounts.factories import sign_in
from tests.core.files import docx_bytes, pdf_bytes, pdf_upload, upload
from tests.organisations.factories import (
    AccountsFactory,
    AdminMemberFactory,
    MemberFactory,
    OrganisationFactory,
    PolicyDocumentFactory,
    PolicyOverdueFactory,
)

pytestmark = pytest.mark.django_db

Kind = PolicyDocument.Kind
TODAY = dt.date(2026, 11, 23)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def test_policy_on_file_is_the_latest_in_force():
    organisation = OrganisationFactory()
    old = PolicyDocumentFactory(
        organisation=organisation, adopted_on=days(-900), review_due_on=days(-100)
    )
    new = PolicyDocumentFactory(
        organisation=organisation, adopted_on=days(-50), review_due_on=days(300)
    )
    assert policy_on_file(organisation, Kind.SAFEGUARDING, on=TODAY) == new
    assert policy_on_file(organisation, Kind.SAFEGUARDING, on=days(-200)) == old
    assert policy_on_file(organisation, Kind.SAFEGUARDING, on=days(300)) == new, "review day counts"
    assert policy_on_file(organisation, Kind.SAFEGUARDING, on=days(301)) is None
    assert policy_on_file(organisation, Kind.EQUALITY, on=TODAY) is None


def test_an_overdue_policy_is_not_on_file():
    policy = PolicyOverdueFactory()
    assert policy_on_file(policy.organisation, Kind.SAFEGUARDING) is None


def test_another_organisations_policy_does_not_count():
    PolicyDocumentFactory()
    assert policy_on_file(OrganisationFactory(), Kind.SAFEGUARDING) is None


def test_statuses_show_what_is_missing_overdue_or_due():
    organisation = OrganisationFactory()
    PolicyDocumentFactory(organisation=organisation, adopted_on=days(-10), review_due_on=days(30))
    PolicyDocumentFactory(
        organisation=organisation,
        kind=Kind.EQUALITY,
        adopted_on=days(-1000),
        review_due_on=days(-1),
    )
    PolicyDocumentFactory(
        organisation=organisation,
        kind=Kind.OTHER,
        title="Lone working",
        adopted_on=days(-10),
        review_due_on=days(400),
    )
    statuses = {s.kind: s for s in policy_statuses(organisation, on=TODAY)}
    assert list(statuses) == ["safeguarding", "data_protection", "equality", "other"]
    assert statuses["safeguarding"].state == PolicyStatus.DUE_SOON
    assert statuses["safeguarding"].is_satisfied
    assert statuses["data_protection"].state == PolicyStatus.MISSING
    assert statuses["equality"].state == PolicyStatus.OVERDUE
    assert not statuses["equality"].is_satisfied
    assert statuses["other"].state == PolicyStatus.CURRENT
    assert statuses["other"].policy.name == "Lone working"


def test_adding_a_policy_stores_the_file_and_records_it(media):
    member = MemberFactory()
    policy = policy_document_add(
        organisation=member.organisation,
        kind=Kind.DATA_PROTECTION,
        upload=validate_upload(upload("GDPR policy.docx", docx_bytes())),
        adopted_on=days(-5),
        review_due_on=days(360),
        actor=member.user,
        today=TODAY,
    )
    assert policy.filename == "GDPR policy.docx"
    assert policy.file_path.startswith("organisations/policies/")
    assert (media / policy.file_path).read_bytes() == docx_bytes()
    assert policy.created_by == member.user
    assert AuditEvent.objects.filter(verb="organisation.policy_added").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"adopted_on": days(1)}, "adopted_on", "must be today or in the past"),
        ({"review_due_on": days(-5)}, "review_due_on", "must be after the date"),
        ({"kind": Kind.OTHER}, "title", "Enter the name of the policy"),
        ({"kind": "fire_safety"}, "kind", "Select which policy"),
    ],
)
def test_policy_dates_and_kind_are_checked(changes, field, message):
    member = MemberFactory()
    arguments = {
        "organisation": member.organisation,
        "kind": Kind.SAFEGUARDING,
        "upload": validate_upload(pdf_upload()),
        "adopted_on": days(-5),
        "review_due_on": days(360),
        "actor": member.user,
        "today": TODAY,
    }
    with pytest.raises(DomainError, match=message) as refusal:
        policy_document_add(**{**arguments, **changes})
    assert refusal.value.field == field
    assert not PolicyDocument.objects.exists()


def test_accounts_need_the_end_of_their_period():
    member = MemberFactory()
    with pytest.raises(DomainError, match="Enter the date the period ended"):
        organisation_document_add(
            organisation=member.organisation,
            kind=OrganisationDocument.Kind.ANNUAL_ACCOUNTS,
            upload=validate_upload(pdf_upload()),
            actor=member.user,
        )


def test_latest_accounts():
    organisation = OrganisationFactory()
    AccountsFactory(organisation=organisation, period_end=dt.date(2024, 3, 31))
    latest = AccountsFactory(organisation=organisation, period_end=dt.date(2025, 3, 31))
    AccountsFactory(period_end=dt.date(2026, 3, 31))
    assert latest_accounts(organisation) == latest
    assert latest_accounts(OrganisationFactory()) is None


# Pages


def test_detail_page_shows_policies_documents_and_members(client):
    member = MemberFactory()
    organisation = member.organisation
    PolicyOverdueFactory(organisation=organisation, kind=Kind.EQUALITY)
    PolicyDocumentFactory(organisation=organisation)
    AccountsFactory(organisation=organisation)
    sign_in(client, member.user)
    html = client.get(f"/organisations/{organisation.ref}/").content.decode()
    assert "Review overdue" in html and "On file" in html and "Missing" in html
    assert "Add the data protection policy" in html
    assert "Annual accounts" in html and "31 March 2025" in html
    assert member.user.email in html
    assert "Invite someone to join" not in html, "members do not manage members"


def test_uploading_a_policy_through_the_page(client):
    member = MemberFactory()
    sign_in(client, member.user)
    url = f"/organisations/{member.organisation.ref}/policies/add/"
    page = client.get(url + "?kind=equality")
    assert page.status_code == 200
    assert 'value="equality" checked' in page.content.decode()
    response = client.post(
        url,
        {
            "kind": "equality",
            "title": "",
            "adopted_on_0": "1",
            "adopted_on_1": "4",
            "adopted_on_2": "2025",
            "review_due_on_0": "1",
            "review_due_on_1": "4",
            "review_due_on_2": "2027",
            "file": pdf_upload("Equality & diversity.pdf"),
        },
    )
    assert response.status_code == 302
    policy = PolicyDocument.objects.get()
    assert (policy.kind, policy.adopted_on, policy.filename) == (
        "equality",
        dt.date(2025, 4, 1),
        "Equality - diversity.pdf",
    )


def test_a_bad_upload_shows_the_error_summary_and_saves_nothing(client):
    member = MemberFactory()
    sign_in(client, member.user)
    response = client.post(
        f"/organisations/{member.organisation.ref}/policies/add/",
        {
            "kind": "safeguarding",
            "adopted_on_0": "31",
            "adopted_on_1": "2",
            "adopted_on_2": "2025",
            "review_due_on_0": "",
            "review_due_on_1": "4",
            "review_due_on_2": "",
            "file": upload("report.pdf", b"just some text", "application/pdf"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Date adopted must be a real date" in html
    assert "Review date must include a day and year" in html
    assert "&#x27;report.pdf&#x27; is not any of these." in html
    assert 'href="#id_file"' in html and 'href="#id_adopted_on_0"' in html
    assert not PolicyDocument.objects.exists()


def test_adding_accounts_through_the_page(client):
    member = MemberFactory()
    sign_in(client, member.user)
    url = f"/organisations/{member.organisation.ref}/documents/add/"
    assert client.get(url).status_code == 200
    data = {"kind": "annual_accounts", "title": "", "file": pdf_upload("accounts.pdf")}
    page = client.post(url, data)
    assert "Enter the date the period ended" in page.content.decode()
    data.update(
        period_end_0="31", period_end_1="3", period_end_2="2025", file=pdf_upload("accounts.pdf")
    )
    assert client.post(url, data).status_code == 302
    assert OrganisationDocument.objects.get().period_end == dt.date(2025, 3, 31)


def test_members_download_their_files(client):
    member = MemberFactory()
    policy = PolicyDocumentFactory(organisation=member.organisation)
    accounts = AccountsFactory(organisation=member.organisation)
    sign_in(client, member.user)
    ref = member.organisation.ref
    response = client.get(f"/organisations/{ref}/policies/{policy.ref}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="safeguarding-policy.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()
    response = client.get(f"/organisations/{ref}/documents/{accounts.ref}/download/")
    assert response.status_code == 200


def test_list_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    admin = AdminMemberFactory()
    sign_in(client, admin.user)
    for _ in range(4):
        organisation = OrganisationFactory()
        AdminMemberFactory(organisation=organisation, user=admin.user)
        PolicyDocumentFactory(organisation=organisation)
        PolicyOverdueFactory(organisation=organisation, kind=Kind.EQUALITY)
    with django_assert_max_num_queries(8):
        page = client.get("/organisations/")
    assert page.content.decode().count("Review overdue") == 4


def test_detail_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    admin = AdminMemberFactory()
    for _ in range(5):
        MemberFactory(organisation=admin.organisation)
        PolicyDocumentFactory(organisation=admin.organisation)
        AccountsFactory(organisation=admin.organisation)
    sign_in(client, admin.user)
    with django_assert_max_num_queries(14):
        assert client.get(f"/organisations/{admin.organisation.ref}/").status_code == 200
