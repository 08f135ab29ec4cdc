"""Before and after, from an event's details (TR6)."""

from commissioning.audit.models import AuditEvent
from commissioning.audit.selectors import event_changes


def test_a_state_change_reads_as_before_and_after():
    changes, rest = event_changes(AuditEvent(data={"from": "sent", "to": "active", "note": "ok"}))
    assert [(c.name, c.before, c.after) for c in changes] == [("status", "sent", "active")]
    assert rest == {"note": "ok"}


def test_old_and_new_values_read_as_before_and_after():
    changes, _rest = event_changes(
        AuditEvent(data={"old": {"a": 1, "b": 2}, "new": {"a": 1, "b": 3}})
    )
    assert [(c.name, c.before, c.after) for c in changes] == [("b", 2, 3)]
    changes, _rest = event_changes(
        AuditEvent(data={"field": "due_on", "before": "2026-04-01", "after": "2026-05-01"})
    )
    assert [(c.name, c.before, c.after) for c in changes] == [
        ("due_on", "2026-04-01", "2026-05-01")
    ]


def test_other_details_are_kept_as_they_are():
    changes, rest = event_changes(AuditEvent(data={"amount": "2500.00"}))
    assert changes == [] and rest == {"amount": "2500.00"}


def test_lists_and_mappings_read_as_json():
    _changes, rest = event_changes(AuditEvent(data={"years": {"2026/27": "2500.00"}, "n": [1, 2]}))
    assert rest == {"years": '{"2026/27": "2500.00"}', "n": "[1, 2]"}
