"""Signed, expiring links for invitations. The token names the invitation by its random reference
and address; the database says whether it is still open, so each link works once."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError
from commissioning.organisations.models import Invitation

INVITATION_DAYS = 14
SALT = "commissioning.organisations.invitation"


class InvitationLinkError(DomainError):
    """An invitation link that cannot be used. `reason` is one of REASONS."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    WITHDRAWN = "withdrawn"

    def __init__(self, reason: str, invitation: Invitation | None = None):
        messages = {
            self.INVALID: _(
                "This invitation link is not valid. Check that you copied the whole link from "
                "the e-mail, or ask the organisation's administrator to invite you again."
            ),
            self.EXPIRED: _(
                "This invitation has expired. Ask the organisation's administrator to invite "
                "you again."
            ),
            self.USED: _(
                "This invitation has already been used. If you accepted it, the organisation is "
                "on your account page."
            ),
            self.WITHDRAWN: _(
                "This invitation was withdrawn. Ask the organisation's administrator if you "
                "still need to join."
            ),
        }
        super().__init__(messages[reason])
        self.reason = reason
        self.invitation = invitation


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"r": invitation.ref, "e": invitation.email.lower()}, salt=SALT)


def invitation_url(invitation: Invitation) -> str:
    """The absolute link sent by e-mail."""
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("organisations:invitation", args=[invitation_token(invitation)])


def invitation_for_token(token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The open invitation a link names, or InvitationLinkError saying why it cannot be used."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired:
        raise InvitationLinkError(InvitationLinkError.EXPIRED) from None
    except signing.BadSignature:
        raise InvitationLinkError(InvitationLinkError.INVALID) from None
    if not isinstance(data, dict):
        raise InvitationLinkError(InvitationLinkError.INVALID)
    invitation = (
        Invitation.objects.select_related("organisation", "created_by")
        .filter(ref=str(data.get("r", "")))
        .first()
    )
    if invitation is None or invitation.email.lower() != data.get("e"):
        raise InvitationLinkError(InvitationLinkError.INVALID)
    check_invitation_open(invitation, now=now)
    return invitation


def check_invitation_open(invitation: Invitation, *, now: dt.datetime) -> None:
    state = invitation.state_at(now)
    if state == Invitation.State.ACCEPTED:
        raise InvitationLinkError(InvitationLinkError.USED, invitation)
    if state == Invitation.State.WITHDRAWN:
        raise InvitationLinkError(InvitationLinkError.WITHDRAWN, invitation)
    if state == Invitation.State.EXPIRED:
        raise InvitationLinkError(InvitationLinkError.EXPIRED, invitation)
