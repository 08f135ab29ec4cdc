"""SE2: staff of one office cannot see or change another office's records: admin, pages, API."""

import pytest

from commissioning.accounts.models import Role
from commissioning.offices.models import Area, Budget, Fund
from tests.accounts.factories import sign_in, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_of(client, office):
    user = staff_user(office, Role.OFFICE_ADMIN)
    sign_in(client, user)
    return client


def test_admin_lists_only_own_office(admin_client_of, office, other_office):
    page = admin_client_of.get("/admin/offices/fund/")
    assert page.status_code == 200
    assert b"Community Fund" in page.content
    assert b"Otherton Fund" not in page.content


@pytest.mark.parametrize("model", [Fund, Area])
def test_admin_change_page_of_another_office_is_404(admin_client_of, other_office, model):
    obj = model.objects.filter(office=other_office).first()
    url = f"/admin/offices/{model._meta.model_name}/{obj.pk}/change/"
    assert admin_client_of.get(url).status_code == 404
    assert admin_client_of.post(url, {"name": "Hijacked"}).status_code == 404
    obj.refresh_from_db()
    assert obj.name != "Hijacked"


def test_admin_budget_of_another_office_is_404(admin_client_of, other_office):
    budget = Budget.objects.filter(fund__office=other_office).first()
    assert admin_client_of.get(f"/admin/offices/budget/{budget.pk}/change/").status_code == 404


def test_admin_office_of_another_office_is_404(admin_client_of, other_office):
    assert (
        admin_client_of.get(f"/admin/offices/office/{other_office.pk}/change/").status_code == 404
    )


def test_office_admin_can_change_own_fund(admin_client_of, office):
    fund = office.funds.get()
    page = admin_client_of.get(f"/admin/offices/fund/{fund.pk}/change/")
    assert page.status_code == 200


def test_non_admin_staff_cannot_use_the_admin(client, office):
    sign_in(client, staff_user(office, Role.COMMISSIONING_OFFICER))
    assert client.get("/admin/offices/fund/").status_code == 302


def test_staff_home_shows_only_own_office(client, office, other_office):
    sign_in(client, staff_user(office))
    page = client.get("/staff/")
    assert page.status_code == 200
    assert office.name.encode() in page.content
    assert other_office.name.encode() not in page.content


@pytest.mark.parametrize(
    "path",
    ["", "/plans", "/plans/plan-2024", "/areas", "/funds", "/funds/OF", "/budgets"],
)
def test_api_records_of_another_office_are_404(client, office, other_office, path):
    sign_in(client, staff_user(office))
    response = client.get(f"/api/v1/offices/{other_office.slug}{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_api_office_list_is_scoped(client, office, other_office):
    sign_in(client, staff_user(office))
    slugs = [o["slug"] for o in client.get("/api/v1/offices/").json()]
    assert slugs == [office.slug]


def test_office_admin_cannot_change_a_person_who_also_works_for_another_office(
    admin_client_of, office, other_office
):
    shared = staff_user(office, Role.COMMISSIONING_OFFICER)
    from commissioning.accounts.services import membership_grant

    membership_grant(user=shared, office=other_office, role=Role.COMMISSIONER)
    own = staff_user(office, Role.FINANCE_OFFICER)
    elsewhere = staff_user(other_office, Role.FINANCE_OFFICER)
    page = admin_client_of.get(f"/admin/accounts/user/{shared.pk}/change/")
    assert page.status_code == 200
    assert b'name="email"' not in page.content  # read-only view
    assert admin_client_of.get(f"/admin/accounts/user/{own.pk}/change/").status_code == 200
    assert admin_client_of.get(f"/admin/accounts/user/{elsewhere.pk}/change/").status_code == 404


def test_admin_audit_trail_shows_only_own_office(admin_client_of, office, other_office):
    """The audit trail's admin asks accounts, through core.registry, which offices the user
    administers (issue 8, item 2): its own office's events only, another's is a 404."""
    from commissioning.audit.services import audit_event_record

    own = audit_event_record(actor=None, verb="test.own", target=office, office=office)
    theirs = audit_event_record(
        actor=None, verb="test.theirs", target=other_office, office=other_office
    )
    page = admin_client_of.get("/admin/audit/auditevent/")
    assert page.status_code == 200
    assert b"test.own" in page.content and b"test.theirs" not in page.content
    assert admin_client_of.get(f"/admin/audit/auditevent/{own.pk}/change/").status_code == 200
    assert admin_client_of.get(f"/admin/audit/auditevent/{theirs.pk}/change/").status_code == 404


def test_non_admin_staff_cannot_see_the_audit_trail_in_the_admin(client, office):
    sign_in(client, staff_user(office, Role.COMMISSIONING_OFFICER))
    assert client.get("/admin/audit/auditevent/").status_code == 302
