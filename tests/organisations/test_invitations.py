"""AP2: inviting people by e-mail with a signed, expiring, one-time link."""

import datetime as dt
import re

import pytest
from django.core import mail, signing

from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.organisations.models import Invitation, OrganisationMember
from commissioning.organisations.services import invitation_accept, invitation_send
from commissioning.organisations.tokens import SALT, invitation_for_token, invitation_token
from tests.accounts.factories import UserFactory, sign_in
from tests.organisations.factories import AdminMemberFactory, InvitationFactory, MemberFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/organisations/invitations/(\S+)/")


@pytest.fixture
def admin():
    return AdminMemberFactory()


def send(admin, email="new.person@example.org", role=OrganisationMember.Role.MEMBER):
    return invitation_send(
        organisation=admin.organisation, email=email, role=role, actor=admin.user
    )


def test_an_invitation_is_e_mailed_after_commit(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = send(admin, email="New.Person@Example.org")
        assert len(mail.outbox) == 0
    assert len(callbacks) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert admin.organisation.name in message.subject
    token = LINK.search(message.body).group(1)
    assert invitation_for_token(token) == invitation
    payload = signing.loads(token, salt=SALT)
    assert payload == {"r": invitation.ref, "e": "new.person@example.org"}, "no database ids"
    assert "expires on" in message.body
    assert AuditEvent.objects.filter(verb="organisation.invitation_sent").count() == 1


def test_only_administrators_invite(admin):
    member = MemberFactory(organisation=admin.organisation)
    with pytest.raises(DomainError, match="Only the organisation's administrators"):
        invitation_send(organisation=admin.organisation, email="x@example.org", actor=member.user)


def test_inviting_a_member_is_refused(admin):
    member = MemberFactory(organisation=admin.organisation)
    with pytest.raises(DomainError, match="is already a member") as refusal:
        send(admin, email=member.user.email.upper())
    assert refusal.value.field == "email"


def test_inviting_again_replaces_the_earlier_link(admin, client):
    first = send(admin)
    second = send(admin)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    sign_in(client, UserFactory(email="new.person@example.org"))
    page = client.get(f"/organisations/invitations/{invitation_token(first)}/")
    assert page.status_code == 410
    assert "This invitation was withdrawn" in page.content.decode()


def test_following_the_link_signed_in_with_that_address_joins(admin, client):
    invitation = send(admin, role=OrganisationMember.Role.ADMIN)
    user = UserFactory(email="new.person@example.org")
    sign_in(client, user)
    url = f"/organisations/invitations/{invitation_token(invitation)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Accept and join" in page.content.decode()
    assert not OrganisationMember.objects.filter(user=user).exists(), "a GET changes nothing"
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{admin.organisation.ref}/"
    member = OrganisationMember.objects.get(user=user)
    assert member.role == OrganisationMember.Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert "You are now a member" in client.get(response["Location"]).content.decode()


def test_a_used_link_does_not_work_again(admin, client):
    invitation = send(admin)
    user = UserFactory(email="new.person@example.org")
    invitation_accept(invitation=invitation, user=user)
    sign_in(client, user)
    url = f"/organisations/invitations/{invitation_token(invitation)}/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert "This invitation has already been used" in response.content.decode()
    assert OrganisationMember.objects.filter(user=user).count() == 1


def test_an_expired_link_does_not_work(admin, client, time_machine):
    time_machine.move_to("2026-03-01 10:00 +00:00")
    invitation = send(admin)
    user = UserFactory(email="new.person@example.org")
    sign_in(client, user)
    url = f"/organisations/invitations/{invitation_token(invitation)}/"
    time_machine.move_to("2026-03-14 10:00 +00:00")
    assert client.get(url).status_code == 200
    time_machine.move_to("2026-03-15 10:01 +00:00")
    page = client.post(url)
    assert page.status_code == 410
    assert "This invitation has expired" in page.content.decode()
    assert not OrganisationMember.objects.filter(user=user).exists()


def test_the_expiry_in_the_database_counts_too(client):
    invitation = InvitationFactory(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    sign_in(client, UserFactory(email=invitation.email))
    page = client.get(f"/organisations/invitations/{invitation_token(invitation)}/")
    assert page.status_code == 410


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" + token,
        lambda token: token.split(":")[0],
        lambda token: "nonsense",
    ],
)
def test_a_tampered_link_is_not_valid(admin, client, tamper):
    invitation = send(admin)
    sign_in(client, UserFactory(email="new.person@example.org"))
    page = client.post(f"/organisations/invitations/{tamper(invitation_token(invitation))}/")
    assert page.status_code == 404
    assert "This invitation link is not valid" in page.content.decode()
    assert OrganisationMember.objects.filter(organisation=admin.organisation).count() == 1


def test_a_link_for_another_address_is_not_valid(admin, client):
    """A token signed for one invitation cannot be re-pointed at another address."""
    invitation = send(admin)
    forged = signing.dumps({"r": invitation.ref, "e": "attacker@example.org"}, salt="other")
    sign_in(client, UserFactory(email="attacker@example.org"))
    assert client.get(f"/organisations/invitations/{forged}/").status_code == 404
    wrong = signing.dumps({"r": invitation.ref, "e": "attacker@example.org"}, salt=SALT)
    assert client.post(f"/organisations/invitations/{wrong}/").status_code == 404
    assert not OrganisationMember.objects.filter(user__email="attacker@example.org").exists()


def test_signed_in_as_someone_else_explains_what_to_do(admin, client):
    invitation = send(admin)
    other = UserFactory(email="someone.else@example.org")
    sign_in(client, other)
    url = f"/organisations/invitations/{invitation_token(invitation)}/"
    for response in (client.get(url), client.post(url)):
        html = response.content.decode()
        assert response.status_code == 403
        assert "You are signed in with a different e-mail address" in html
        assert "new.person@example.org" in html and "someone.else@example.org" in html
    assert not OrganisationMember.objects.filter(user=other).exists()
    with pytest.raises(DomainError, match="Sign in with that address"):
        invitation_accept(invitation=invitation, user=other)


def test_a_verified_second_address_of_the_user_counts(admin):
    from allauth.account.models import EmailAddress

    invitation = send(admin, email="work@example.org")
    user = UserFactory(email="home@example.org")
    EmailAddress.objects.create(user=user, email="work@example.org", verified=False)
    with pytest.raises(DomainError):
        invitation_accept(invitation=invitation, user=user)
    EmailAddress.objects.filter(email="work@example.org").update(verified=True)
    assert invitation_accept(invitation=invitation, user=user).user == user


def test_signed_out_explains_how_to_sign_in(admin, client):
    invitation = send(admin)
    url = f"/organisations/invitations/{invitation_token(invitation)}/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "sign in with that e-mail address" in html
    assert "new.person@example.org" in html
    assert "/accounts/login/?next=/organisations/invitations/" in html
    assert "/accounts/signup/?next=%2Forganisations%2Finvitations%2F" in html
    assert client.post(url).status_code == 200
    assert Invitation.objects.get().accepted_at is None


def test_administrators_withdraw_invitations(admin, client):
    invitation = send(admin)
    sign_in(client, admin.user)
    page = client.get(f"/organisations/{admin.organisation.ref}/")
    assert "new.person@example.org" in page.content.decode()
    response = client.post(
        f"/organisations/{admin.organisation.ref}/invitations/{invitation.ref}/withdraw/"
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None


def test_invite_page(admin, client, django_capture_on_commit_callbacks):
    sign_in(client, admin.user)
    url = f"/organisations/{admin.organisation.ref}/members/invite/"
    assert client.get(url).status_code == 200
    page = client.post(url, {"email": "not an address", "role": "member"})
    assert "There is a problem" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "treasurer@example.org", "role": "member"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["treasurer@example.org"]
