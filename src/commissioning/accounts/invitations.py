"""Signed, expiring links for staff invitations, as for organisation invitations: the token
names the invitation by its random reference and address; the database says whether it is
still open, so each link works once."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.accounts.models import OfficeInvitation
from commissioning.core.errors import DomainError

INVITATION_DAYS = 14
SALT = "commissioning.accounts.office_invitation"


class OfficeInvitationLinkError(DomainError):
    """A staff invitation link that cannot be used. `reason` is one of the constants."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    WITHDRAWN = "withdrawn"

    def __init__(self, reason: str, invitation: OfficeInvitation | None = None):
        messages = {
            self.INVALID: _(
                "This invitation link is not valid. Check that you copied the whole link from "
                "the e-mail, or ask your office administrator to invite you again."
            ),
            self.EXPIRED: _(
                "This invitation has expired. Ask your office administrator to invite you again."
            ),
            self.USED: _(
                "This invitation has already been used. If you accepted it, the office is on "
                "your account page."
            ),
            self.WITHDRAWN: _(
                "This invitation was withdrawn. Ask your office administrator if you still "
                "need to join."
            ),
        }
        super().__init__(messages[reason])
        self.reason = reason
        self.invitation = invitation


def office_invitation_token(invitation: OfficeInvitation) -> str:
    return signing.dumps({"r": invitation.ref, "e": invitation.email.lower()}, salt=SALT)


def office_invitation_url(invitation: OfficeInvitation) -> str:
    """The absolute link sent by e-mail."""
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("accounts:invitation", args=[office_invitation_token(invitation)])


def office_invitation_for_token(token: str, *, now: dt.datetime | None = None):
    """The open invitation a link names, or OfficeInvitationLinkError saying why not."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired:
        raise OfficeInvitationLinkError(OfficeInvitationLinkError.EXPIRED) from None
    except signing.BadSignature:
        raise OfficeInvitationLinkError(OfficeInvitationLinkError.INVALID) from None
    if not isinstance(data, dict):
        raise OfficeInvitationLinkError(OfficeInvitationLinkError.INVALID)
    invitation = (
        OfficeInvitation.objects.select_related("office", "created_by")
        .filter(ref=str(data.get("r", "")))
        .first()
    )
    if invitation is None or invitation.email.lower() != data.get("e"):
        raise OfficeInvitationLinkError(OfficeInvitationLinkError.INVALID)
    check_office_invitation_open(invitation, now=now)
    return invitation


def check_office_invitation_open(invitation: OfficeInvitation, *, now: dt.datetime) -> None:
    state = invitation.state_at(now)
    if state == OfficeInvitation.State.ACCEPTED:
        raise OfficeInvitationLinkError(OfficeInvitationLinkError.USED, invitation)
    if state == OfficeInvitation.State.WITHDRAWN:
        raise OfficeInvitationLinkError(OfficeInvitationLinkError.WITHDRAWN, invitation)
    if state == OfficeInvitation.State.EXPIRED:
        raise OfficeInvitationLinkError(OfficeInvitationLinkError.EXPIRED, invitation)
