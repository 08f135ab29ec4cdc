"""Reports asked for from the staff pages are made in the background (TR5): asking writes a
report request and queues its job on commit; the job makes the file once, keeps it in the
file storage, and marks the request ready. A job that still fails after its attempts marks
the request failed with what went wrong, for staff to see and ask again."""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.core.transitions import transition
from commissioning.transparency.reports.documents import report_file
from commissioning.transparency.reports.models import (
    REPORT_WORKFLOW,
    ReportFormat,
    ReportKind,
    ReportRequest,
    ReportStatus,
)
from commissioning.transparency.reports.periods import EARLIEST, LATEST
from commissioning.transparency.reports.selectors import report_for


def report_request_create(*, office, kind: str, year: int, fmt: str, actor) -> ReportRequest:
    """Ask for a report; it is made after commit. Asking again for one still being made
    gives that one, not a second."""
    if kind not in ReportKind.values:
        raise DomainError(_("Choose the Police and Crime Panel report or the annual data pack."))
    if fmt not in ReportFormat.values:
        raise DomainError(_("Choose PDF or spreadsheet (XLSX)."))
    if not isinstance(year, int) or not EARLIEST <= year <= LATEST:
        raise DomainError(_("Choose a financial year from the list."))
    with transaction.atomic():
        waiting = (
            ReportRequest.objects.select_for_update()
            .filter(office=office, kind=kind, year=year, format=fmt, status=ReportStatus.QUEUED)
            .first()
        )
        if waiting is not None:
            return waiting
        report = ReportRequest.objects.create(
            office=office,
            public_id=secrets.token_urlsafe(9),
            kind=kind,
            year=year,
            format=fmt,
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="report.requested",
            target=report,
            office=office,
            data={"kind": kind, "year": year, "format": fmt},
        )
        _queue(report)
    return report


def report_request_retry(*, report: ReportRequest, actor) -> ReportRequest:
    """Ask again for a report that failed: a fresh job with a fresh set of attempts."""
    with transaction.atomic():
        locked = ReportRequest.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.FAILED:
            raise DomainError(_("Only a report that failed can be asked for again."))
        transition(REPORT_WORKFLOW, locked, to=ReportStatus.QUEUED, actor=actor)
        _queue(locked)
    return locked


def _queue(report: ReportRequest) -> None:
    report.job = job_enqueue(report_make, office=report.office, report_id=report.pk)
    report.error = ""
    report.finished_at = None
    report.save(update_fields=["job", "error", "finished_at", "updated_at"])


def report_storage_path(report: ReportRequest) -> str:
    return f"reports/{report.office.slug}/{report.public_id}.{report.format}"


def report_request_failed(*, error: str, report_id: int) -> None:
    """The report's job failed for good (its on_failure): keep what went wrong."""
    report = ReportRequest.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.status != ReportStatus.QUEUED:
        return
    report.error = error
    report.finished_at = timezone.now()
    report.save(update_fields=["error", "finished_at", "updated_at"])
    transition(REPORT_WORKFLOW, report, to=ReportStatus.FAILED, actor=None)


@background_job(label=gettext_lazy("Report (PDF or XLSX)"), on_failure=report_request_failed)
def report_make(*, report_id: int) -> None:
    """Make the report's file and keep it. Running it again changes nothing: a ready report
    is left alone, and a file a killed attempt left behind is replaced, so there is one."""
    report = (
        ReportRequest.objects.select_for_update(of=("self",))
        .select_related("office", "office__policy")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status == ReportStatus.READY:
        return
    made = report_for(report.office, kind=report.kind, year=report.year)
    body = report_file(made, report.format)
    path = report_storage_path(report)
    if default_storage.exists(path):
        default_storage.delete(path)
    report.file_path = default_storage.save(path, ContentFile(body))
    report.file_size = len(body)
    report.filename = f"{made.filename}.{report.format}"
    report.error = ""
    report.finished_at = timezone.now()
    report.save(
        update_fields=["file_path", "file_size", "filename", "error", "finished_at", "updated_at"]
    )
    transition(REPORT_WORKFLOW, report, to=ReportStatus.READY, actor=None)
