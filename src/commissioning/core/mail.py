from django.core.mail.backends.base import BaseEmailBackend

from commissioning.core.models import OutboxMessage


class OutboxEmailBackend(BaseEmailBackend):
    """Keeps every message in the database; staff read them on the outbox page (demo only)."""

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
