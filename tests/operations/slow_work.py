"""Background work for the task-worker fault test: it records an e-mail in the outbox (in the
job's transaction), then, the first time only, waits long enough to be killed in the middle."""

import time
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from commissioning.core.jobs import background_job
from commissioning.core.models import OutboxMessage


@background_job(label=_("Slow test work"))
def slow_note(*, marker: str) -> None:
    OutboxMessage.objects.create(
        from_email="no-reply@example.org", to="someone@example.org", subject=marker, body="Once"
    )
    path = Path(marker)
    if not path.exists():
        path.write_text("started")
        time.sleep(120)
