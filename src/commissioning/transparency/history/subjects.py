"""The records whose history staff look up by their reference, and how each is found for an
office: 404 alike for missing and for another office's. Any other record with audit events is
reached from the log by its kind and id, and shows its events only."""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from commissioning.applications.models import Application
from commissioning.awards.models import Agreement, Award, Instalment
from commissioning.decisions.models import DecisionRecord
from commissioning.monitoring.models import MonitoringReturn


def _split(reference: str) -> tuple[str, int]:
    """'TST-CF-2026-0001/2' -> ('TST-CF-2026-0001', 2); 404 for anything else."""
    head, _sep, tail = reference.rpartition("/")
    tail = tail.removeprefix("v")
    if not head or not tail.isdigit() or len(tail) > 6:
        raise Http404
    return head, int(tail)


def _one(queryset):
    found = queryset.first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Subject:
    label: object
    model_label: str
    find: Callable  # (office, reference) -> record
    reference: Callable  # record -> its reference in the URL


SUBJECTS: dict[str, Subject] = {
    "application": Subject(
        _("Application"),
        "applications.application",
        lambda office, ref: _one(Application.objects.filter(office=office, reference=ref)),
        lambda r: r.reference,
    ),
    "decision": Subject(
        _("Decision"),
        "decisions.decisionrecord",
        lambda office, ref: _one(DecisionRecord.objects.filter(office=office, slug=ref)),
        lambda r: r.slug,
    ),
    "award": Subject(
        _("Award"),
        "awards.award",
        lambda office, ref: _one(Award.objects.filter(office=office, reference=ref)),
        lambda r: r.reference,
    ),
    "agreement": Subject(
        _("Grant agreement"),
        "awards.agreement",
        lambda office, ref: _one(
            Agreement.objects.filter(
                award__office=office, award__reference=_split(ref)[0], version=_split(ref)[1]
            ).select_related("award")
        ),
        lambda r: f"{r.award.reference}/v{r.version}",
    ),
    "payment": Subject(
        _("Payment instalment"),
        "awards.instalment",
        lambda office, ref: _one(
            Instalment.objects.filter(
                award__office=office, award__reference=_split(ref)[0], sequence=_split(ref)[1]
            ).select_related("award")
        ),
        lambda r: f"{r.award.reference}/{r.sequence}",
    ),
    "return": Subject(
        _("Monitoring return"),
        "monitoring.monitoringreturn",
        lambda office, ref: _one(
            MonitoringReturn.objects.filter(
                office=office, schedule__subject_reference=_split(ref)[0], number=_split(ref)[1]
            ).select_related("schedule")
        ),
        lambda r: f"{r.reference}/{r.number}",
    ),
}
BY_MODEL = {s.model_label: kind for kind, s in SUBJECTS.items()}


def subject_for(office, kind: str, reference: str):
    subject = SUBJECTS.get(kind)
    if subject is None:
        raise Http404
    return subject.find(office, reference)


def record_of(office, target_type: str, target_id: str):
    """The record an event is about, if it still exists and is the office's; else None (its
    events are shown all the same: they are filtered by office)."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return None
    record = model._default_manager.filter(pk=target_id).first() if target_id.isdigit() else None
    if record is None:
        return None
    owner = getattr(record, "office_id", None)
    if owner is None and hasattr(record, "award_id"):
        owner = Award.objects.filter(pk=record.award_id).values_list("office_id", flat=True).first()
    return record if owner == office.pk else None
