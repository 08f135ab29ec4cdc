import ipaddress

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

from commissioning.core import registry
from commissioning.core.models import OutboxMessage

# Headers a proxy adds: a request that carries one did not come from this machine itself.
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


class OutboxEmailBackend(BaseEmailBackend):
    """Keeps every message in the database, to read on the demo outbox page (demo only)."""

    def send_messages(self, email_messages):
        OutboxMessage.objects.bulk_create(
            OutboxMessage(
                from_email=message.from_email,
                to=", ".join(message.recipients()),
                subject=message.subject,
                body=message.body,
            )
            for message in email_messages
        )
        return len(email_messages)


def outbox_open_to(request) -> bool:
    """Whether the demo outbox may be shown: only in the demo, and only to the machine running
    it or to signed-in staff. The outbox holds one-time links and people's names.

    "The machine itself" is read from REMOTE_ADDR alone. A request that came through a proxy
    (one that carries a forwarding header, or any request when BEHIND_PROXY is set) is never
    counted as local, even from a loopback address, and forwarding headers are never trusted
    to say where a request came from.
    """
    if not settings.DEMO_MODE:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if registry.is_office_staff(user):
            return True
    return _from_this_machine(request)


def _from_this_machine(request) -> bool:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return False
    if any(request.META.get(header) for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
