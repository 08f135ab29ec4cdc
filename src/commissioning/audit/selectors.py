"""Reads of the audit trail (TR6): a record's events with its field-by-field history where the
model keeps one (django-simple-history), and the office-wide log with its filters. Each a
fixed number of queries."""

import datetime as dt
import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from commissioning.audit.models import AuditEvent


@dataclass
class Change:
    """One field's value before and after."""

    name: str
    before: object
    after: object


@dataclass
class Entry:
    """One line of a record's history: who, what, when, and what changed."""

    at: dt.datetime
    who: object
    what: str
    changes: list[Change] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    source: str = "event"  # "event" (the audit trail) or "history" (a saved version)


def event_changes(event: AuditEvent) -> tuple[list[Change], dict]:
    """Before and after from an event's details: a state change's from/to, a field's
    old/new (or before/after); the other details as they are."""
    data = dict(event.data or {})
    changes = []
    if "from" in data or "to" in data:
        changes.append(Change(name="status", before=data.pop("from", ""), after=data.pop("to", "")))
    for old_key, new_key in (("old", "new"), ("before", "after")):
        if old_key in data or new_key in data:
            old, new = data.pop(old_key, None), data.pop(new_key, None)
            if isinstance(old, dict) and isinstance(new, dict):
                for name in sorted(set(old) | set(new)):
                    if old.get(name) != new.get(name):
                        changes.append(Change(name=name, before=old.get(name), after=new.get(name)))
            else:
                changes.append(Change(name=data.pop("field", ""), before=old, after=new))
    return changes, {key: _shown(value) for key, value in data.items()}


def _shown(value):
    """Lists and mappings in an event's details as JSON, as an auditor would read them."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return value


def events_of(record) -> list[AuditEvent]:
    """A record's audit events, oldest first: one query."""
    return list(
        AuditEvent.objects.filter(target_type=record._meta.label_lower, target_id=str(record.pk))
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


def saved_versions(record) -> list[Entry]:
    """The field-by-field changes of a record whose model keeps a history: one query."""
    history = getattr(type(record), "history", None)
    if history is None:
        return []
    versions = list(
        record.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for version in versions:
        changes = []
        if previous is not None:
            delta = version.diff_against(previous)
            changes = [
                Change(name=_field_label(record, c.field), before=c.old, after=c.new)
                for c in delta.changes
            ]
        entries.append(
            Entry(
                at=version.history_date,
                who=version.history_user,
                what={"+": "created", "~": "changed", "-": "deleted"}[version.history_type],
                changes=changes,
                source="history",
            )
        )
        previous = version
    return entries


def _field_label(record, name: str) -> str:
    try:
        return str(record._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field since removed keeps its stored name
        return name


def record_history(record) -> list[Entry]:
    """Everything known about a record's changes, oldest first: its audit events (with before
    and after where they say) and its saved versions' differences. Two queries."""
    entries = []
    for event in events_of(record):
        changes, details = event_changes(event)
        entries.append(
            Entry(
                at=event.occurred_at,
                who=event.actor,
                what=event.verb,
                changes=changes,
                details=details,
            )
        )
    entries += [e for e in saved_versions(record) if e.changes or e.what != "changed"]
    return sorted(entries, key=lambda e: e.at)


@dataclass(frozen=True)
class LogFilters:
    verb: str = ""
    target_type: str = ""
    actor: str = ""
    text: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def office_log(office, filters: LogFilters):
    """The office's audit events, newest first, filtered."""
    events = AuditEvent.objects.filter(office=office)
    if filters.verb:
        events = events.filter(Q(verb=filters.verb) | Q(verb__startswith=f"{filters.verb}."))
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.actor:
        events = events.filter(
            Q(actor__email__icontains=filters.actor) | Q(actor__full_name__icontains=filters.actor)
        )
    if filters.text:
        events = events.filter(target_label__icontains=filters.text)
    tz = timezone.get_current_timezone()
    if filters.since:
        events = events.filter(
            occurred_at__gte=dt.datetime.combine(filters.since, dt.time.min, tzinfo=tz)
        )
    if filters.until:
        end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        events = events.filter(occurred_at__lt=end)
    return events.select_related("actor").order_by("-occurred_at", "-id")


def office_record_types(office) -> list[str]:
    """The kinds of record the office's events are about, for the log's filter: one query."""
    return list(
        AuditEvent.objects.filter(office=office)
        .order_by("target_type")
        .values_list("target_type", flat=True)
        .distinct()
    )
