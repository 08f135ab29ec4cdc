import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.accounts.models import ApiToken, OfficeMembership, Role, User
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.jobs import job_kind, job_start
from commissioning.core.models import Job


def membership_grant(*, user: User, office, role: str, actor=None) -> OfficeMembership:
    """Give a user a staff role in an office. Office administrators may use the admin site."""
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
