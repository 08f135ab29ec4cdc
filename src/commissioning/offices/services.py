"""Changes to an office's set-up (plans, priorities, areas, funds, budgets, top-slices, its
policy, and records that hang off an office such as existing provision) made on the admin site.
Each runs in one transaction and writes an audit event naming the fields changed."""

from django.db import models, transaction

from commissioning.audit.services import audit_event_record
from commissioning.offices.models import Office


def setup_record_save(
    *, record: models.Model, actor, fields: list[str], related: dict | None = None
) -> models.Model:
    """Create or change one set-up record, and set its many-to-many choices (`related`, a field
    name to the chosen rows), with an audit event listing the fields that changed."""
    created = record._state.adding
    with transaction.atomic():
        if hasattr(record, "updated_by_id"):
            record.updated_by = actor
            if created:
                record.created_by = actor
        record.save()
        for name, chosen in (related or {}).items():
            getattr(record, name).set(chosen)
        office = record if isinstance(record, Office) else getattr(record, "office", None)
        audit_event_record(
            actor=actor,
            verb=f"{record._meta.model_name}.{'created' if created else 'changed'}",
            target=record,
            office=office if isinstance(office, Office) else None,
            data={"fields": list(fields)},
        )
    return record
