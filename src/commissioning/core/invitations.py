"""Signed, expiring links for invitations (to an organisation, to an office's staff). The token
names the invitation by its random reference and address; the database says whether it is still
open, so each link works once. Each kind of invitation has its own salt, page and wording."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError


class InvitationLinkError(DomainError):
    """An invitation link that cannot be used. `reason` is one of the constants; a subclass
    may word `messages()` for its kind of invitation (who to ask for a new one)."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    WITHDRAWN = "withdrawn"

    def __init__(self, reason: str, invitation=None):
        super().__init__(self.messages()[reason])
        self.reason = reason
        self.invitation = invitation

    def messages(self) -> dict[str, str]:
        return {
            self.INVALID: _(
                "This invitation link is not valid. Check that you copied the whole link from "
                "the e-mail, or ask for a new invitation."
            ),
            self.EXPIRED: _("This invitation has expired. Ask for a new invitation."),
            self.USED: _("This invitation has already been used."),
            self.WITHDRAWN: _("This invitation has been withdrawn."),
        }


class InvitationLinks:
    """Make and read the signed links of one kind of invitation.

    `model` is an EmailInvitation (core.models) with a unique `ref`;
    `related` are the relations to load with it; `url_name` is the page a link opens;
    `error` is the InvitationLinkError subclass raised when a link cannot be used."""

    def __init__(
        self,
        *,
        model,
        salt: str,
        url_name: str,
        error: type[InvitationLinkError],
        related: tuple[str, ...] = (),
        max_age_days: int = 14,
    ):
        self.model = model
        self.salt = salt
        self.url_name = url_name
        self.error = error
        self.related = related
        self.max_age_days = max_age_days

    def token(self, invitation) -> str:
        return signing.dumps({"r": invitation.ref, "e": invitation.email.lower()}, salt=self.salt)

    def url(self, invitation) -> str:
        """The absolute link sent by e-mail."""
        base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
        return base + reverse(self.url_name, args=[self.token(invitation)])

    def invitation_for(self, token: str, *, now: dt.datetime | None = None):
        """The open invitation a link names, or the error saying why it cannot be used."""
        now = now or timezone.now()
        try:
            data = signing.loads(
                token, salt=self.salt, max_age=dt.timedelta(days=self.max_age_days)
            )
        except signing.SignatureExpired:
            raise self.error(self.error.EXPIRED) from None
        except signing.BadSignature:
            raise self.error(self.error.INVALID) from None
        if not isinstance(data, dict):
            raise self.error(self.error.INVALID)
        invitation = (
            self.model.objects.select_related(*self.related)
            .filter(ref=str(data.get("r", "")))
            .first()
        )
        if invitation is None or invitation.email.lower() != data.get("e"):
            raise self.error(self.error.INVALID)
        self.check_open(invitation, now=now)
        return invitation

    def lock_open(self, invitation, *, related: tuple[str, ...] = ()):
        """The invitation read again and locked for the current transaction, or the error if
        it is no longer open (accepted, withdrawn or expired meanwhile)."""
        invitation = (
            self.model.objects.select_for_update(of=("self",))
            .select_related(*related)
            .get(pk=invitation.pk)
        )
        self.check_open(invitation, now=timezone.now())
        return invitation

    def check_open(self, invitation, *, now: dt.datetime) -> None:
        state = invitation.state_at(now)
        if state == self.model.State.ACCEPTED:
            raise self.error(self.error.USED, invitation)
        if state == self.model.State.WITHDRAWN:
            raise self.error(self.error.WITHDRAWN, invitation)
        if state == self.model.State.EXPIRED:
            raise self.error(self.error.EXPIRED, invitation)
