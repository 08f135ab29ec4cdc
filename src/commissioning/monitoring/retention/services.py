"""Retention (`python manage.py apply_retention`): once an award ended more than its office's
retention period ago (the pack's `retention.years_after_funding_end`, six years where it is
silent), the personal data kept with it is anonymised: names, contact details, free text that
may identify people, and the documents uploaded with its application. Financial records
(amounts, budget lines, ledger, instalments, claims) and aggregate figures (outputs, people
supported, measures, demographics) are kept as they are. Records of public money are never
deleted, even where a pack's action says "delete": they are anonymised instead.

The work for each award is planned first (`retention_plan`) and the plan is what a dry run
lists and what a real run applies, so the two cannot differ. Each award is done once, in one
transaction, with an audit event."""

import datetime as dt
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from commissioning.applications.models import Application, Attachment, Endorsement
from commissioning.audit.services import audit_event_record
from commissioning.awards.models import Award
from commissioning.monitoring.evaluation.models import Evaluation
from commissioning.monitoring.meetings.models import MeetingAction, MeetingAttendee
from commissioning.monitoring.models import MonitoringMeeting, MonitoringReturn, ReturnStatusChange
from commissioning.monitoring.performance.models import DecommissioningComment, ImprovementAction
from commissioning.monitoring.retention.models import RetentionApplied

DEFAULT_YEARS = 6
REMOVED = "[removed under the retention policy]"
NAME_REMOVED = "[name removed]"

# (model, how it belongs to the award, {field: replacement}): the personal data anonymised.
PERSONAL_FIELDS = (
    (Award, "pk", {"contact_name": NAME_REMOVED, "contact_role": "", "contact_email": ""}),
    (
        Application,
        "award__pk",
        {
            "senior_officer_name": NAME_REMOVED,
            "senior_officer_role": "",
            "senior_officer_email": "",
            "beneficiaries_description": REMOVED,
            "partnership": REMOVED,
        },
    ),
    (
        Endorsement,
        "application__award__pk",
        {"endorser_name": NAME_REMOVED, "endorser_email": "", "comment": REMOVED},
    ),
    (
        MonitoringReturn,
        "award_id",
        {
            "progress": REMOVED,
            "case_studies": REMOVED,
            "feedback": REMOVED,
            "risks": REMOVED,
            "review_comments": REMOVED,
        },
    ),
    (ReturnStatusChange, "monitoring_return__award_id", {"note": REMOVED}),
    (
        Evaluation,
        "monitoring_return__award_id",
        {
            "achievements": REMOVED,
            "what_worked": REMOVED,
            "challenges": REMOVED,
            "lessons": REMOVED,
            "sustainability": REMOVED,
        },
    ),
    (MonitoringMeeting, "award_id", {"notes": REMOVED}),
    (MeetingAttendee, "meeting__award_id", {"name": NAME_REMOVED, "role": "", "email": ""}),
    (MeetingAction, "meeting__award_id", {"owner_name": NAME_REMOVED}),
    (ImprovementAction, "plan__award_id", {"owner_name": NAME_REMOVED}),
    (DecommissioningComment, "decommissioning__award_id", {"text": REMOVED}),
)


@dataclass(frozen=True, order=True)
class Change:
    """One value to anonymise, or (field "file") one uploaded document to remove."""

    model: str
    pk: int
    field: str


def retention_years(office) -> int:
    retention = getattr(office.policy, "retention", None) or {}
    return int(retention.get("years_after_funding_end") or DEFAULT_YEARS)


def awards_due(*, today: dt.date):
    """Awards that ended more than their office's retention period before `today` and have not
    yet been anonymised, oldest first."""
    done = RetentionApplied.objects.values("award_id")
    candidates = (
        Award.objects.exclude(pk__in=done)
        .select_related("office__policy")
        .order_by("ends_on", "id")
    )
    for award in candidates.iterator(chunk_size=500):
        years = retention_years(award.office)
        try:
            cutoff = today.replace(year=today.year - years)
        except ValueError:  # 29 February
            cutoff = today.replace(year=today.year - years, day=28)
        if award.ends_on < cutoff:
            yield award


def retention_plan(award) -> list[Change]:
    """Every value of the award's personal data not already anonymised, and its application's
    uploaded documents."""
    changes: list[Change] = []
    for model, link, fields in PERSONAL_FIELDS:
        rows = model.objects.filter(**{link: award.pk}).values("pk", *fields)
        for row in rows:
            for field, replacement in fields.items():
                if row[field] not in ("", None, replacement):
                    changes.append(Change(model._meta.label, row["pk"], field))
    for pk in Attachment.objects.filter(application__award__pk=award.pk).values_list(
        "pk", flat=True
    ):
        changes.append(Change(Attachment._meta.label, pk, "file"))
    return sorted(changes)


def _apply(award, changes: list[Change], *, now) -> None:
    replacements = {model._meta.label: (model, fields) for model, _link, fields in PERSONAL_FIELDS}
    by_row: dict[tuple[str, int], dict] = {}
    files: list[int] = []
    for change in changes:
        if change.field == "file":
            files.append(change.pk)
            continue
        _model, fields = replacements[change.model]
        by_row.setdefault((change.model, change.pk), {})[change.field] = fields[change.field]
    for (label, pk), values in by_row.items():
        replacements[label][0].objects.filter(pk=pk).update(**values)
    if files:
        paths = list(Attachment.objects.filter(pk__in=files).values_list("path", flat=True))
        Attachment.objects.filter(pk__in=files).delete()
        transaction.on_commit(lambda: [default_storage.delete(p) for p in paths if p])
    RetentionApplied.objects.create(
        award=award, office=award.office, applied_at=now, changes=len(changes)
    )
    audit_event_record(
        actor=None,
        verb="retention.applied",
        target=award,
        office=award.office,
        data={
            "values": len(changes) - len(files),
            "documents": len(files),
            "years": retention_years(award.office),
        },
    )


def retention_apply(*, dry_run: bool, now: dt.datetime | None = None) -> dict[str, list[Change]]:
    """{award reference: its changes} for each award due; applied unless `dry_run`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result: dict[str, list[Change]] = {}
    for award in list(awards_due(today=today)):
        with transaction.atomic():
            changes = retention_plan(award)
            result[award.reference] = changes
            if not dry_run:
                _apply(award, changes, now=now)
    return result
