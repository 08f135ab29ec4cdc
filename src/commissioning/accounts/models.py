from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import EmailInvitation, TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    is_staff = models.BooleanField(
        _("can use the admin site"),
        default=False,
        help_text=_("Office administrators and system administrators only."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    """Staff roles within an office (SE1). Applicants act through their organisation instead."""

    COMMISSIONING_OFFICER = "commissioning_officer", _("Commissioning officer")
    PANEL_MEMBER = "panel_member", _("Panel member")
    COMMISSIONER = "commissioner", _("Commissioner")
    DEPUTY_COMMISSIONER = "deputy_commissioner", _("Deputy Commissioner")
    CHIEF_EXECUTIVE = "chief_executive", _("Chief Executive")
    MONITORING_OFFICER = "monitoring_officer", _("Monitoring Officer")
    CHIEF_FINANCE_OFFICER = "chief_finance_officer", _("Chief Finance Officer")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    OFFICE_ADMIN = "office_admin", _("Office administrator")
    AUDITOR = "auditor", _("Auditor (read only)")


SIGNATORY_ROLES = frozenset(
    {
        Role.COMMISSIONER,
        Role.DEPUTY_COMMISSIONER,
        Role.CHIEF_EXECUTIVE,
        Role.MONITORING_OFFICER,
        Role.CHIEF_FINANCE_OFFICER,
    }
)


class OfficeMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class OfficeMembership(TimeStampedModel):
    """A user holds a role in an office. One row per role; a person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OfficeMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")
        ordering = ["office__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "office", "role"], name="unique_membership_per_role"
            )
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.office}"


class ApiToken(TimeStampedModel):
    """A bearer token for a staff integration. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"


def new_invitation_ref() -> str:
    """A short random reference for an invitation's links; database ids stay private."""
    return get_random_string(10, allowed_chars="23456789abcdefghjkmnpqrstuvwxyz")


class OfficeInvitation(EmailInvitation):
    """An invitation by e-mail to hold a role in an office. Nobody is added to an office
    without saying yes: the person signs in with the invited address and accepts. Its link is
    signed, works once and expires; `created_by` is the administrator who sent it."""

    ref = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_invitation_ref, editable=False
    )
    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="staff_invitations"
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        indexes = [models.Index(fields=["office", "email"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.office})"
