"""Issue 7 item 1: nobody takes over an account through office membership. Staff join an
office only by accepting an invitation sent to their own address; an office administrator
changes or ends roles in their own office only, through services with audit events; nobody
sets another person's password or e-mail address, in the admin or anywhere else."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from commissioning.accounts.invitations import office_invitation_token
from commissioning.accounts.models import OfficeInvitation, OfficeMembership, Role, User
from commissioning.accounts.services import (
    membership_end,
    membership_grant,
    membership_role_change,
    office_invitation_accept,
    office_invitation_send,
)
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from tests.accounts.factories import PASSWORD, UserFactory, sign_in, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_admin(office):
    return staff_user(office, Role.OFFICE_ADMIN)


@pytest.fixture
def admin_client(client, office_admin):
    sign_in(client, office_admin)
    return client


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root@example.org", PASSWORD)


# The attack as reported


def test_office_admin_cannot_add_any_account_to_their_office_in_the_admin(
    admin_client, office, superuser
):
    victim = UserFactory()
    for target in (victim, superuser):
        response = admin_client.post(
            "/admin/accounts/officemembership/add/",
            {
                "user": target.pk,
                "office": office.pk,
                "role": Role.FINANCE_OFFICER,
                "is_active": "on",
            },
        )
        assert response.status_code == 403
    assert not OfficeMembership.objects.filter(user__in=[victim, superuser]).exists()


def test_nobody_sets_another_persons_password_in_the_admin(admin_client, office, superuser):
    member = staff_user(office, Role.FINANCE_OFFICER)
    old_hash = member.password
    response = admin_client.post(
        f"/admin/accounts/user/{member.pk}/password/",
        {"password1": "New-password-12345", "password2": "New-password-12345"},
    )
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.password == old_hash
    # Not even a superuser, and not for a superuser.
    admin_client.logout()
    sign_in(admin_client, superuser)
    for target in (member, superuser):
        response = admin_client.post(
            f"/admin/accounts/user/{target.pk}/password/",
            {"password1": "New-password-12345", "password2": "New-password-12345"},
        )
        assert response.status_code == 404
    member.refresh_from_db()
    assert member.password == old_hash


def test_nobody_changes_another_persons_e_mail_address_in_the_admin(admin_client, office):
    member = staff_user(office, Role.FINANCE_OFFICER)
    page = admin_client.get(f"/admin/accounts/user/{member.pk}/change/")
    assert page.status_code == 200
    assert b'name="email"' not in page.content
    assert b"/password/" not in page.content
    response = admin_client.post(
        f"/admin/accounts/user/{member.pk}/change/",
        {"email": "attacker@example.org", "full_name": "x", "is_active": "on"},
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.email != "attacker@example.org"


def test_the_admin_adds_no_accounts(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.org").exists()


# Invitations


def test_an_invited_person_joins_only_by_accepting(
    admin_client, office, office_admin, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/staff/{office.slug}/people/invite/",
            {"email": "Sam@example.org", "role": Role.FINANCE_OFFICER},
        )
    assert response.status_code == 302
    assert not OfficeMembership.objects.filter(user=invitee).exists()  # not yet
    invitation = OfficeInvitation.objects.get(email="sam@example.org")
    assert AuditEvent.objects.filter(verb="office.invitation_sent", actor=office_admin).exists()
    page = admin_client.get(f"/staff/{office.slug}/people/")
    assert b"sam@example.org" in page.content and b"Invitations waiting" in page.content

    (message,) = mail.outbox
    assert message.to == ["sam@example.org"]
    link = re.search(r"http\S+/staff/invitations/\S+/", message.body).group(0)
    path = link.split("127.0.0.1:8000")[-1] if "127.0.0.1:8000" in link else link
    invited = Client()
    assert b"sign in with that e-mail address" in invited.get(path).content
    sign_in(invited, invitee)
    assert invited.get(path).status_code == 200
    assert not OfficeMembership.objects.filter(user=invitee).exists()  # following is not saying yes
    response = invited.post(path)
    assert response.status_code == 302
    membership = OfficeMembership.objects.get(user=invitee, office=office)
    assert membership.role == Role.FINANCE_OFFICER and membership.is_active
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    assert AuditEvent.objects.filter(verb="office.invitation_accepted", actor=invitee).exists()
    assert invited.post(path).status_code == 410  # works once


def test_an_invitation_cannot_be_accepted_by_someone_else(office, office_admin, client):
    invitation = office_invitation_send(
        office=office, email="sam@example.org", role=Role.OFFICE_ADMIN, actor=office_admin
    )
    intruder = UserFactory()
    with pytest.raises(DomainError, match="Sign in with that address"):
        office_invitation_accept(invitation=invitation, user=intruder)
    sign_in(client, intruder)
    path = f"/staff/invitations/{office_invitation_token(invitation)}/"
    assert client.post(path).status_code == 403
    assert not OfficeMembership.objects.filter(user=intruder).exists()


def test_only_the_offices_administrators_invite(office, other_office):
    officer = staff_user(office, Role.COMMISSIONING_OFFICER)
    other_admin = staff_user(other_office, Role.OFFICE_ADMIN)
    for actor in (officer, other_admin):
        with pytest.raises(DomainError):
            office_invitation_send(
                office=office, email="x@example.org", role=Role.AUDITOR, actor=actor
            )


def test_people_page_of_another_office_is_404(admin_client, other_office):
    membership = OfficeMembership.objects.create(
        user=UserFactory(), office=other_office, role=Role.AUDITOR
    )
    slug = other_office.slug
    assert admin_client.get(f"/staff/{slug}/people/").status_code == 404
    assert admin_client.post(f"/staff/{slug}/people/invite/", {}).status_code == 404
    assert admin_client.post(f"/staff/{slug}/people/{membership.pk}/end/").status_code == 404
    membership.refresh_from_db()
    assert membership.is_active


def test_invitation_form_errors_are_plain(admin_client, office):
    page = admin_client.post(f"/staff/{office.slug}/people/invite/", {"email": "nope"})
    assert page.status_code == 200
    assert b"Enter an e-mail address in the correct format" in page.content
    assert b"Select the role they will hold" in page.content


def test_an_expired_invitation_does_not_work(office, office_admin, client, time_machine):
    invitation = office_invitation_send(
        office=office, email="sam@example.org", role=Role.AUDITOR, actor=office_admin
    )
    sign_in(client, UserFactory(email="sam@example.org"))
    time_machine.move_to(invitation.expires_at + dt.timedelta(minutes=1))
    response = client.post(f"/staff/invitations/{office_invitation_token(invitation)}/")
    assert response.status_code == 410
    assert not OfficeMembership.objects.filter(user__email="sam@example.org").exists()


# Changing and ending roles


def test_office_admin_changes_and_ends_roles_in_their_own_office(admin_client, office):
    member = staff_user(office, Role.FINANCE_OFFICER)
    membership = member.memberships.get()
    response = admin_client.post(
        f"/staff/{office.slug}/people/{membership.pk}/change/", {"role": Role.AUDITOR}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.AUDITOR
    assert AuditEvent.objects.get(verb="membership.role_changed").data["after"] == Role.AUDITOR
    response = admin_client.post(f"/staff/{office.slug}/people/{membership.pk}/end/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert AuditEvent.objects.filter(verb="membership.ended").exists()


def test_ending_a_role_leaves_the_persons_other_ties_alone(office, other_office, office_admin):
    shared = staff_user(other_office, Role.COMMISSIONER)
    membership = membership_grant(user=shared, office=office, role=Role.AUDITOR)
    membership_end(membership=membership, actor=office_admin)
    assert shared.memberships.active().get().office == other_office
    shared.refresh_from_db()
    assert shared.is_active


def test_the_last_office_administrator_cannot_be_removed(office, office_admin):
    membership = office_admin.memberships.get(role=Role.OFFICE_ADMIN)
    with pytest.raises(DomainError, match="only office administrator"):
        membership_end(membership=membership, actor=office_admin)
    with pytest.raises(DomainError, match="only office administrator"):
        membership_role_change(membership=membership, role=Role.AUDITOR, actor=office_admin)


def test_an_office_admin_cannot_change_roles_in_another_office(office, other_office, office_admin):
    membership = staff_user(other_office, Role.FINANCE_OFFICER).memberships.get()
    with pytest.raises(DomainError):
        membership_role_change(membership=membership, role=Role.OFFICE_ADMIN, actor=office_admin)
    with pytest.raises(DomainError):
        membership_end(membership=membership, actor=office_admin)


def test_losing_the_office_admin_role_closes_the_admin_site(office, office_admin):
    second = staff_user(office, Role.OFFICE_ADMIN)
    second.refresh_from_db()
    assert second.is_staff
    membership_role_change(
        membership=second.memberships.get(), role=Role.AUDITOR, actor=office_admin
    )
    second.refresh_from_db()
    assert not second.is_staff


def test_a_superuser_keeps_their_admin_access_whatever_their_roles(office, superuser):
    membership = membership_grant(user=superuser, office=office, role=Role.OFFICE_ADMIN)
    staff_user(office, Role.OFFICE_ADMIN)
    membership_end(membership=membership, actor=superuser)
    superuser.refresh_from_db()
    assert superuser.is_staff and superuser.is_superuser


# The admin is not a side door


def test_api_token_revoked_at_is_read_only_and_revoking_is_audited(client, office, superuser):
    from commissioning.accounts.services import api_token_create

    owner = staff_user(office)
    token, _raw = api_token_create(user=owner, name="Export")
    sign_in(client, superuser)
    url = f"/admin/accounts/apitoken/{token.pk}/change/"
    assert client.post(url, {"revoked_at_0": "", "revoked_at_1": ""}).status_code == 403
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(verb="api_token.revoked", actor=superuser).exists()


def test_office_set_up_inlines_are_read_only(admin_client, office):
    from commissioning.offices.models import Budget, Fund, Plan

    plan = Plan.objects.filter(office=office).first()
    page = admin_client.get(f"/admin/offices/plan/{plan.pk}/change/")
    assert page.status_code == 200
    assert b'name="priorities-0-title"' not in page.content
    fund = Fund.objects.filter(office=office).first()
    page = admin_client.get(f"/admin/offices/fund/{fund.pk}/change/")
    assert b'name="budgets-0-allocation"' not in page.content
    budget = Budget.objects.filter(fund__office=office).first()
    page = admin_client.get(f"/admin/offices/budget/{budget.pk}/change/")
    assert b'name="top_slices-0-amount"' not in page.content


def test_not_even_a_superuser_adds_an_address_or_removes_an_authenticator_for_someone(
    client, office, superuser
):
    """A verified address added for someone would let a password reset go to it."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    member = staff_user(office, Role.FINANCE_OFFICER)
    sign_in(client, superuser)
    response = client.post(
        "/admin/account/emailaddress/add/",
        {"user": member.pk, "email": "attacker@example.org", "verified": "on", "primary": "on"},
    )
    assert response.status_code == 403
    assert not EmailAddress.objects.filter(email="attacker@example.org").exists()
    authenticator = Authenticator.objects.get(user=member, type="totp")
    page = client.get(f"/admin/mfa/authenticator/{authenticator.pk}/change/")
    assert page.status_code == 200
    assert b"secret" not in page.content
    assert (
        client.post(
            f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
