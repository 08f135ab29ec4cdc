"""AP2: administrators remove members, but never the last administrator."""

import pytest

from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.organisations.models import OrganisationMember
from commissioning.organisations.permissions import is_organisation_member
from commissioning.organisations.services import member_remove
from tests.accounts.factories import sign_in
from tests.organisations.factories import AdminMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_the_last_administrator_cannot_be_removed():
    admin = AdminMemberFactory()
    MemberFactory(organisation=admin.organisation)
    with pytest.raises(DomainError, match="is the only administrator") as refusal:
        member_remove(membership=admin, actor=admin.user)
    assert "Invite another administrator first" in refusal.value.message
    assert OrganisationMember.objects.filter(pk=admin.pk).exists()


def test_an_administrator_can_be_removed_when_another_remains():
    admin = AdminMemberFactory()
    second = AdminMemberFactory(organisation=admin.organisation)
    member_remove(membership=second, actor=admin.user)
    assert not OrganisationMember.objects.filter(pk=second.pk).exists()
    event = AuditEvent.objects.get(verb="organisation.member_removed")
    assert event.data == {"email": second.user.email, "role": "admin"}


def test_a_removed_member_loses_access_at_once():
    admin = AdminMemberFactory()
    member = MemberFactory(organisation=admin.organisation)
    assert is_organisation_member(member.user, admin.organisation)
    member_remove(membership=member, actor=admin.user)
    assert not is_organisation_member(member.user, admin.organisation)


def test_members_cannot_remove_anyone():
    admin = AdminMemberFactory()
    member = MemberFactory(organisation=admin.organisation)
    with pytest.raises(DomainError, match="Only the organisation's administrators"):
        member_remove(membership=admin, actor=member.user)


def test_remove_page_asks_then_removes(client):
    admin = AdminMemberFactory()
    member = MemberFactory(organisation=admin.organisation)
    sign_in(client, admin.user)
    url = f"/organisations/{admin.organisation.ref}/members/{member.ref}/remove/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Are you sure you want to remove" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not OrganisationMember.objects.filter(pk=member.pk).exists()


def test_remove_page_refuses_the_last_administrator(client):
    admin = AdminMemberFactory()
    sign_in(client, admin.user)
    url = f"/organisations/{admin.organisation.ref}/members/{admin.ref}/remove/"
    page = client.post(url)
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem" in html and "is the only administrator" in html
    assert OrganisationMember.objects.filter(pk=admin.pk).exists()


def test_a_member_of_another_organisation_cannot_be_removed_through_this_one(client):
    admin = AdminMemberFactory()
    stranger = MemberFactory()
    sign_in(client, admin.user)
    url = f"/organisations/{admin.organisation.ref}/members/{stranger.ref}/remove/"
    assert client.post(url).status_code == 404
    assert OrganisationMember.objects.filter(pk=stranger.pk).exists()
