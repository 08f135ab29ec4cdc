"""Staff roles, staff invitations and API tokens. Each write runs in one transaction, writes an
audit event and raises DomainError with a plain-English message.

Nobody changes another person's sign-in: there is no service here (or anywhere) that sets
someone else's password or e-mail address. Staff join an office only by accepting an
invitation sent to their own address; an office administrator changes or ends roles in their
own office only, which gives them no hold over the person's account."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.accounts.invitations import (
    INVITATION_DAYS,
    LINKS,
    office_invitation_url,
)
from commissioning.accounts.models import (
    ApiToken,
    OfficeInvitation,
    OfficeMembership,
    Role,
    User,
)
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue, job_kind, job_start
from commissioning.core.models import Job

MANAGE_STAFF = "offices.change_office_setup"


def membership_grant(*, user: User, office, role: str, actor=None) -> OfficeMembership:
    """Give a user a staff role in an office. Office administrators may use the admin site.

    For set-up and demo data run by the system (no person chose this in a page); people join
    an office through `office_invitation_accept`."""
    if role not in Role.values:
        raise DomainError(f"'{role}' is not a staff role.")
    with transaction.atomic():
        membership, created = OfficeMembership.objects.get_or_create(
            user=user, office=office, role=role, defaults={"created_by": actor}
        )
        if not created and not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active", "updated_at"])
            created = True
        if role == Role.OFFICE_ADMIN and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        if created:
            audit_event_record(
                actor=actor,
                verb="membership.granted",
                target=membership,
                office=office,
                data={"user": user.email, "role": role},
            )
    return membership


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for a staff integration. The raw token is returned once, never stored."""
    name = name.strip()
    if not name:
        raise DomainError(
            "Give the token a name, such as the system that will use it.", field="name"
        )
    if not user.memberships.active().exists():
        raise DomainError("Only office staff can create API tokens.")
    raw = "pcc_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=raw[4:12], token_hash=_hash(raw), created_by=user
        )
        audit_event_record(actor=user, verb="api_token.created", target=token)
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.revoked_at:
        raise DomainError("This token has already been revoked.")
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_event_record(actor=actor, verb="api_token.revoked", target=token)


def api_token_authenticate(raw: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    if not raw or not raw.startswith("pcc_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def job_retry(*, job: Job, actor: User) -> Job:
    """Run a failed background job again, with a fresh set of attempts, after commit."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != Job.Status.FAILED:
            raise DomainError(_("This job is no longer waiting to be retried."))
        kind = job_kind(locked.name)
        if kind is None:
            raise DomainError(_("This job's work no longer exists, so it cannot be retried."))
        locked.status = Job.Status.QUEUED
        locked.max_attempts = locked.attempts + kind.max_attempts
        locked.finished_at = None
        locked.save(update_fields=["status", "max_attempts", "finished_at", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="job.retried",
            target=locked,
            office=locked.office,
            data={"job": locked.name, "attempts": locked.attempts, "error": locked.last_error},
        )
        transaction.on_commit(lambda: job_start(locked.pk))
    return locked


def _forget_roles(user) -> None:
    for cached in ("_office_roles", "_has_totp"):
        user.__dict__.pop(cached, None)


def _sync_admin_site_access(user: User) -> None:
    """Office administrators may open the admin site; others (bar superusers) may not."""
    if user.is_superuser:
        return
    is_admin = user.memberships.active().filter(role=Role.OFFICE_ADMIN).exists()
    if user.is_staff != is_admin:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])


def _require_staff_manager(actor, office, message: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(MANAGE_STAFF, office):
        raise DomainError(message)


def user_owns_address(user, email: str) -> bool:
    """Whether the address is the user's own: their sign-in address or another verified one."""
    from allauth.account.models import EmailAddress

    email = (email or "").strip().lower()
    if not getattr(user, "is_authenticated", False) or not email:
        return False
    if user.email.lower() == email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def office_invitation_send(*, office, email: str, role: str, actor) -> OfficeInvitation:
    """Invite someone by e-mail to hold a role in the office. They get a link that works once,
    for 14 days, and join only if they sign in with that address and accept. Inviting the same
    address to the same role again replaces the earlier invitation."""
    _require_staff_manager(actor, office, _("Only the office's administrators can invite staff."))
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(_("Enter the e-mail address of the person to invite"), field="email")
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("Enter an e-mail address in the correct format, like name@example.org"),
            field="email",
        ) from None
    if role not in Role.values:
        raise DomainError(_("Select the role they will hold"), field="role")
    if (
        OfficeMembership.objects.active()
        .filter(office=office, role=role, user__email__iexact=email)
        .exists()
    ):
        raise DomainError(
            _("%(email)s is already %(role)s in %(office)s.")
            % {"email": email, "role": Role(role).label.lower(), "office": office.name},
            field="email",
        )
    now = timezone.now()
    with transaction.atomic():
        OfficeInvitation.objects.filter(
            office=office,
            email=email,
            role=role,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
        ).update(withdrawn_at=now, updated_at=now, updated_by=actor)
        invitation = OfficeInvitation.objects.create(
            office=office,
            email=email,
            role=role,
            expires_at=now + dt.timedelta(days=INVITATION_DAYS),
            created_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="office.invitation_sent",
            target=invitation,
            office=office,
            data={"email": email, "role": role, "invitation": invitation.ref},
        )
        job_enqueue(send_office_invitation, office=office, invitation_id=invitation.pk)
    return invitation


@background_job(label=gettext_lazy("Staff invitation e-mail"))
def send_office_invitation(*, invitation_id: int) -> None:
    """E-mail a staff invitation's link, unless it has been accepted, withdrawn or has expired."""
    invitation = (
        OfficeInvitation.objects.select_related("office", "created_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.state_at(timezone.now()) != OfficeInvitation.State.PENDING:
        return
    subject, body = _office_invitation_email(invitation, invitation.created_by)
    send_mail(subject, body, None, [invitation.email])


def _office_invitation_email(invitation: OfficeInvitation, actor) -> tuple[str, str]:
    subject = _("Join %(office)s on the commissioning and grants service") % {
        "office": invitation.office.name
    }
    body = render_to_string(
        "accounts/email/office_invitation.txt",
        {
            "invitation": invitation,
            "inviter": actor.get_full_name() if actor else invitation.office.name,
            "office": invitation.office,
            "role": Role(invitation.role).label,
            "url": office_invitation_url(invitation),
            "expires": timezone.localtime(invitation.expires_at),
        },
    )
    return subject, body


def office_invitation_withdraw(*, invitation: OfficeInvitation, actor) -> None:
    _require_staff_manager(
        actor, invitation.office, _("Only the office's administrators can withdraw invitations.")
    )
    with transaction.atomic():
        invitation = LINKS.lock_open(invitation)
        invitation.withdrawn_at = timezone.now()
        invitation.updated_by = actor
        invitation.save(update_fields=["withdrawn_at", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="office.invitation_withdrawn",
            target=invitation,
            office=invitation.office,
            data={"email": invitation.email, "invitation": invitation.ref},
        )


def office_invitation_accept(*, invitation: OfficeInvitation, user: User) -> OfficeMembership:
    """Take up the role an invitation offers. Only the person it was sent to can: they are
    signed in with that address, and they say yes themself."""
    with transaction.atomic():
        invitation = LINKS.lock_open(invitation, related=("office",))
        if not user_owns_address(user, invitation.email):
            raise DomainError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invitation.email}
            )
        membership, created = OfficeMembership.objects.get_or_create(
            user=user,
            office=invitation.office,
            role=invitation.role,
            defaults={"created_by": invitation.created_by},
        )
        if not created and not membership.is_active:
            membership.is_active = True
            membership.updated_by = user
            membership.save(update_fields=["is_active", "updated_by", "updated_at"])
        _sync_admin_site_access(user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        audit_event_record(
            actor=user,
            verb="office.invitation_accepted",
            target=membership,
            office=invitation.office,
            data={
                "email": invitation.email,
                "role": invitation.role,
                "invitation": invitation.ref,
                "invited_by": getattr(invitation.created_by, "email", None),
            },
        )
    _forget_roles(user)
    return membership


def _refuse_losing_last_admin(membership: OfficeMembership) -> None:
    if membership.role != Role.OFFICE_ADMIN or not membership.is_active:
        return
    admins = list(
        OfficeMembership.objects.select_for_update()
        .filter(office=membership.office, role=Role.OFFICE_ADMIN, is_active=True)
        .values_list("pk", flat=True)
    )
    if admins == [membership.pk]:
        raise DomainError(
            _(
                "%(name)s is the only office administrator of %(office)s. Invite another "
                "administrator first."
            )
            % {"name": membership.user.get_full_name(), "office": membership.office.name}
        )


def membership_role_change(*, membership: OfficeMembership, role: str, actor) -> OfficeMembership:
    """Move a member of staff to another role in the same office."""
    _require_staff_manager(
        actor, membership.office, _("Only the office's administrators can change staff roles.")
    )
    if role not in Role.values:
        raise DomainError(_("Select the role they will hold"), field="role")
    with transaction.atomic():
        # The person's row too (their admin-site access is worked out again and saved), never
        # the office's: that would hold up every other change in the office.
        membership = (
            OfficeMembership.objects.select_for_update(of=("self", "user"))
            .select_related("user", "office")
            .get(pk=membership.pk)
        )
        if not membership.is_active:
            raise DomainError(_("This role has already ended."))
        if role == membership.role:
            raise DomainError(_("They already hold that role."), field="role")
        _refuse_losing_last_admin(membership)
        user, office, before = membership.user, membership.office, membership.role
        existing = OfficeMembership.objects.filter(user=user, office=office, role=role).first()
        if existing is not None and existing.is_active:
            raise DomainError(
                _("%(name)s already holds that role. End this role instead.")
                % {"name": user.get_full_name()},
                field="role",
            )
        if existing is not None:
            existing.is_active = True
            existing.updated_by = actor
            existing.save(update_fields=["is_active", "updated_by", "updated_at"])
            membership.is_active = False
            membership.updated_by = actor
            membership.save(update_fields=["is_active", "updated_by", "updated_at"])
            membership = existing
        else:
            membership.role = role
            membership.updated_by = actor
            membership.save(update_fields=["role", "updated_by", "updated_at"])
        _sync_admin_site_access(user)
        audit_event_record(
            actor=actor,
            verb="membership.role_changed",
            target=membership,
            office=office,
            data={"user": user.email, "before": before, "after": role},
        )
    _forget_roles(user)
    return membership


def membership_end(*, membership: OfficeMembership, actor) -> None:
    """End someone's role in the office. Their account, and any other ties it has, are theirs
    and stay as they are. The last office administrator cannot be removed."""
    _require_staff_manager(
        actor, membership.office, _("Only the office's administrators can end staff roles.")
    )
    with transaction.atomic():
        membership = (
            OfficeMembership.objects.select_for_update(of=("self", "user"))
            .select_related("user", "office")
            .get(pk=membership.pk)
        )
        if not membership.is_active:
            raise DomainError(_("This role has already ended."))
        _refuse_losing_last_admin(membership)
        membership.is_active = False
        membership.updated_by = actor
        membership.save(update_fields=["is_active", "updated_by", "updated_at"])
        _sync_admin_site_access(membership.user)
        audit_event_record(
            actor=actor,
            verb="membership.ended",
            target=membership,
            office=membership.office,
            data={"user": membership.user.email, "role": membership.role},
        )
    _forget_roles(membership.user)
    if getattr(actor, "pk", None) == membership.user_id:
        _forget_roles(actor)
