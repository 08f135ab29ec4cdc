"""SE2: only members see or change an organisation and its files. Anyone else gets the same 404
as for a page that does not exist, in pages and in the API."""

import pytest

from commissioning.organisations.permissions import (
    VIEW,
    can_add_documents,
    can_change_organisation,
    can_manage_members,
    can_view_organisation,
    organisation_for,
)
from tests.accounts.factories import UserFactory, sign_in
from tests.organisations.factories import (
    AccountsFactory,
    AdminMemberFactory,
    InvitationFactory,
    MemberFactory,
    PolicyDocumentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    admin = AdminMemberFactory()
    organisation = admin.organisation
    organisation.admin = admin
    organisation.policy = PolicyDocumentFactory(organisation=organisation)
    organisation.accounts = AccountsFactory(organisation=organisation)
    organisation.invitation = InvitationFactory(organisation=organisation)
    return organisation


def pages(organisation) -> list[tuple[str, str]]:
    ref = organisation.ref
    return [
        ("get", f"/organisations/{ref}/"),
        ("get", f"/organisations/{ref}/change/"),
        ("post", f"/organisations/{ref}/change/"),
        ("get", f"/organisations/{ref}/policies/add/"),
        ("post", f"/organisations/{ref}/policies/add/"),
        ("get", f"/organisations/{ref}/policies/{organisation.policy.ref}/download/"),
        ("get", f"/organisations/{ref}/documents/add/"),
        ("get", f"/organisations/{ref}/documents/{organisation.accounts.ref}/download/"),
        ("get", f"/organisations/{ref}/members/invite/"),
        ("post", f"/organisations/{ref}/members/invite/"),
        ("get", f"/organisations/{ref}/members/{organisation.admin.ref}/remove/"),
        ("post", f"/organisations/{ref}/members/{organisation.admin.ref}/remove/"),
        ("post", f"/organisations/{ref}/invitations/{organisation.invitation.ref}/withdraw/"),
    ]


def test_someone_else_gets_404_everywhere_exactly_like_a_missing_page(client, organisation):
    sign_in(client, UserFactory())
    missing = client.get("/organisations/nosuchref2/")
    assert missing.status_code == 404
    for method, path in pages(organisation):
        response = getattr(client, method)(path)
        assert response.status_code == 404, path
        assert response.content == missing.content, path
    assert organisation.admin.user.email not in client.get("/organisations/").content.decode()


def test_a_superuser_who_is_not_a_member_gets_404_too(client, organisation):
    sign_in(client, UserFactory(is_superuser=True, is_staff=True))
    for method, path in pages(organisation)[:2]:
        assert getattr(client, method)(path).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, organisation):
    for method, path in pages(organisation):
        response = getattr(client, method)(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/")


def test_members_see_and_download_but_do_not_manage(client, organisation):
    member = MemberFactory(organisation=organisation)
    sign_in(client, member.user)
    allowed = {
        f"/organisations/{organisation.ref}/",
        f"/organisations/{organisation.ref}/policies/add/",
        f"/organisations/{organisation.ref}/documents/add/",
        f"/organisations/{organisation.ref}/policies/{organisation.policy.ref}/download/",
        f"/organisations/{organisation.ref}/documents/{organisation.accounts.ref}/download/",
    }
    for method, path in pages(organisation):
        status = getattr(client, method)(path).status_code
        if path in allowed:
            assert status in (200, 302), path
        else:
            assert status == 404, path


def test_files_of_another_organisation_cannot_be_reached_through_yours(client, organisation):
    mine = MemberFactory()
    sign_in(client, mine.user)
    ref = mine.organisation.ref
    assert (
        client.get(f"/organisations/{ref}/policies/{organisation.policy.ref}/download/").status_code
        == 404
    )
    assert (
        client.get(
            f"/organisations/{ref}/documents/{organisation.accounts.ref}/download/"
        ).status_code
        == 404
    )


def test_api_hides_other_organisations(client, organisation):
    mine = MemberFactory()
    sign_in(client, mine.user)
    listed = client.get("/api/v1/organisations/").json()
    assert [o["ref"] for o in listed] == [mine.organisation.ref]
    response = client.get(f"/api/v1/organisations/{organisation.ref}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert client.get("/api/v1/organisations/nosuchref2").json() == {"detail": "Not found."}


def test_predicates(organisation):
    admin = organisation.admin.user
    member = MemberFactory(organisation=organisation).user
    stranger = UserFactory()
    assert can_view_organisation(admin, organisation) and can_view_organisation(
        member, organisation
    )
    assert not can_view_organisation(stranger, organisation)
    assert can_change_organisation(admin, organisation) and not can_change_organisation(
        member, organisation
    )
    assert can_manage_members(admin, organisation) and not can_manage_members(member, organisation)
    assert can_add_documents(member, organisation) and not can_add_documents(stranger, organisation)
    assert not can_view_organisation(admin, None)
    assert organisation_for(member, organisation.ref, VIEW) == organisation
