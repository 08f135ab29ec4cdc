"""Signed, expiring links for staff invitations, as for organisation invitations: the token
names the invitation by its random reference and address; the database says whether it is
still open, so each link works once."""

import datetime as dt

from django.utils.translation import gettext as _

from commissioning.accounts.models import OfficeInvitation
from commissioning.core import invitations

INVITATION_DAYS = 14
SALT = "commissioning.accounts.office_invitation"


class OfficeInvitationLinkError(invitations.InvitationLinkError):
    """A staff invitation link that cannot be used. `reason` is one of the constants."""

    def messages(self) -> dict[str, str]:
        return {
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


LINKS = invitations.InvitationLinks(
    model=OfficeInvitation,
    salt=SALT,
    url_name="accounts:invitation",
    error=OfficeInvitationLinkError,
    related=("office", "created_by"),
    max_age_days=INVITATION_DAYS,
)


def office_invitation_token(invitation: OfficeInvitation) -> str:
    return LINKS.token(invitation)


def office_invitation_url(invitation: OfficeInvitation) -> str:
    """The absolute link sent by e-mail."""
    return LINKS.url(invitation)


def office_invitation_for_token(token: str, *, now: dt.datetime | None = None):
    """The open invitation a link names, or OfficeInvitationLinkError saying why not."""
    return LINKS.invitation_for(token, now=now)


def check_office_invitation_open(invitation: OfficeInvitation, *, now: dt.datetime) -> None:
    LINKS.check_open(invitation, now=now)
