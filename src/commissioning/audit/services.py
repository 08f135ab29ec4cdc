from typing import Any

from django.db import models

from commissioning.audit.models import AuditEvent


def audit_event_record(
    *,
    actor,
    verb: str,
    target: models.Model,
    office=None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail. Call it inside the transaction of the change."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        office=office,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        data=data or {},
    )
