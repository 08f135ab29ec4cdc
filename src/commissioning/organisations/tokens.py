"""Signed, expiring links for invitations. The token names the invitation by its random reference
and address; the database says whether it is still open, so each link works once."""

import datetime as dt

from django.utils.translation import gettext as _

from commissioning.core import invitations
from commissioning.organisations.models import Invitation

INVITATION_DAYS = 14
SALT = "commissioning.organisations.invitation"


class InvitationLinkError(invitations.InvitationLinkError):
    """An invitation link that cannot be used. `reason` is one of the constants."""

    def messages(self) -> dict[str, str]:
        return {
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


LINKS = invitations.InvitationLinks(
    model=Invitation,
    salt=SALT,
    url_name="organisations:invitation",
    error=InvitationLinkError,
    related=("organisation", "created_by"),
    max_age_days=INVITATION_DAYS,
)


def invitation_token(invitation: Invitation) -> str:
    return LINKS.token(invitation)


def invitation_url(invitation: Invitation) -> str:
    """The absolute link sent by e-mail."""
    return LINKS.url(invitation)


def invitation_for_token(token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The open invitation a link names, or InvitationLinkError saying why it cannot be used."""
    return LINKS.invitation_for(token, now=now)


def check_invitation_open(invitation: Invitation, *, now: dt.datetime) -> None:
    LINKS.check_open(invitation, now=now)
