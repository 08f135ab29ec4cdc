"""The transition helper: every workflow's state changes go through one guard.

A workflow (an application, a decision record, and later an award, a grant agreement, an
instalment, a monitoring return, a procurement exercise) is a model with a state field, a table
of the moves it allows, and a status-change model. It is declared once, beside its models:

    TRANSITIONS = {Status.DRAFT: frozenset({Status.SUBMITTED}), Status.SUBMITTED: frozenset()}

    class StatusChange(AbstractStatusChange):           # commissioning.core.models
        subject_field = "application"
        application = models.ForeignKey(Application, on_delete=models.PROTECT, ...)
        old = models.CharField(max_length=20, choices=Status.choices)
        new = models.CharField(max_length=20, choices=Status.choices)

    APPLICATION_WORKFLOW = Workflow(
        model=Application,
        changes=StatusChange,
        states=Status,
        allowed=TRANSITIONS,
        audit_name="application",
        refusal=_("An application that is %(old)s cannot become %(new)s."),
    )

and a service moves a record with

    transition(APPLICATION_WORKFLOW, application, to=Status.SUBMITTED, actor=user, note="")

In one transaction (a savepoint inside the caller's), `transition` locks the record's row
(select_for_update), reads the state stored there rather than trusting the caller's copy, which
may be stale, and refuses a move the table does not allow with a DomainError in plain English
("A decision record that is signed cannot become draft."). An allowed move saves the new state
(and updated_at/updated_by where the model has them), writes the status-change row (old, new,
actor, time, note) and the audit event "<audit_name>.<new state>", and brings the caller's copy
up to date. A refused move writes nothing.

Status-change rows are never deleted: their key to the record is PROTECT (see
AbstractStatusChange). Core sits below the audit app, so it does not import it; the audit app
registers its event writer here when it starts (AuditConfig.ready).
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

from commissioning.core.errors import DomainError
from commissioning.core.models import AbstractStatusChange

# Every declared workflow, so that tests and checks can walk all of them.
WORKFLOWS: list["Workflow"] = []

_audit_event_record: Callable[..., Any] | None = None


def audit_writer_register(writer: Callable[..., Any]) -> None:
    """Called by the audit app at start-up with its `audit_event_record`."""
    global _audit_event_record
    _audit_event_record = writer


@dataclass(frozen=True, eq=False)
class Workflow:
    """A state machine: which model moves, in which field, between which states, where its
    status changes are kept, and what its audit events and refusals say."""

    model: type[models.Model]
    changes: type[AbstractStatusChange]
    states: type[models.TextChoices]
    allowed: Mapping[str, frozenset[str]]
    audit_name: str
    refusal: str  # with %(old)s and %(new)s, the states' names in lower case
    field: str = "status"
    office_of: Callable[[models.Model], Any] = attrgetter("office")

    def __post_init__(self):
        states = set(self.states.values)
        named = set(self.allowed).union(*self.allowed.values())
        if named - states or states - set(self.allowed):
            raise ImproperlyConfigured(
                f"The {self.audit_name} table must list every state of {self.states.__name__} "
                f"once and name no other (unknown: {sorted(named - states)}, "
                f"missing: {sorted(states - set(self.allowed))})."
            )
        if not self.changes.subject_field:
            raise ImproperlyConfigured(f"{self.changes.__name__} must set subject_field.")
        frozen = MappingProxyType({old: frozenset(new) for old, new in self.allowed.items()})
        object.__setattr__(self, "allowed", frozen)
        WORKFLOWS.append(self)

    def __str__(self) -> str:
        return self.audit_name

    def allows(self, old: str, new: str) -> bool:
        return new in self.allowed.get(old, ())

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Every (from, to) pair of states, allowed or not, in the states' order."""
        for old in self.states.values:
            for new in self.states.values:
                yield old, new

    def label(self, state: str) -> str:
        if state in self.states.values:
            return str(self.states(state).label).lower()
        return str(state)


def _saved_fields(record: models.Model, workflow: Workflow, actor) -> list[str]:
    names = {f.name for f in record._meta.concrete_fields}
    fields = [workflow.field]
    if "updated_at" in names:
        fields.append("updated_at")
    if "updated_by" in names and getattr(actor, "pk", None):
        record.updated_by = actor
        fields.append("updated_by")
    return fields


def transition(
    workflow: Workflow,
    record: models.Model,
    *,
    to: str,
    actor,
    note: str = "",
    also: dict | None = None,
) -> AbstractStatusChange:
    """Move `record` to the state `to` if its workflow's table allows the move from the state
    stored now; record the change and its audit event. Raise DomainError otherwise. `also`:
    other fields of the record to save with the new state, in the same write."""
    if _audit_event_record is None:
        raise ImproperlyConfigured("State changes are audited: install commissioning.audit.")
    actor = actor if getattr(actor, "pk", None) else None
    note = str(note)
    with transaction.atomic():
        locked = workflow.model._default_manager.select_for_update().get(pk=record.pk)
        old = getattr(locked, workflow.field)
        if not workflow.allows(old, to):
            raise DomainError(
                workflow.refusal % {"old": workflow.label(old), "new": workflow.label(to)}
            )
        setattr(locked, workflow.field, to)
        for name, value in (also or {}).items():
            setattr(locked, name, value)
        fields = [*(also or {}), *_saved_fields(locked, workflow, actor)]
        locked.save(update_fields=fields)
        change = workflow.changes._default_manager.create(
            **{workflow.changes.subject_field: locked}, old=old, new=to, actor=actor, note=note
        )
        _audit_event_record(
            actor=actor,
            verb=f"{workflow.audit_name}.{to}",
            target=locked,
            office=workflow.office_of(record),
            data={"from": old, "to": to, "note": note},
        )
    for name in fields:
        setattr(record, name, getattr(locked, name))
    return change
