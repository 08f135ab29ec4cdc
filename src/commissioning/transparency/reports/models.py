"""A report staff asked for: made in the background, kept in the file storage until they
download it (TR5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.money import financial_year_label
from commissioning.core.transitions import Workflow


class ReportKind(models.TextChoices):
    PANEL = "panel", _("Police and Crime Panel report")
    ANNUAL = "annual", _("Annual report data pack")


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Spreadsheet (XLSX)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# Made, or failed after its job's attempts; a failed one is asked for again from the reports
# page, or its job retried from the failed jobs page, which makes it straight away.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.QUEUED: frozenset({ReportStatus.READY, ReportStatus.FAILED}),
    ReportStatus.READY: frozenset(),
    ReportStatus.FAILED: frozenset({ReportStatus.QUEUED, ReportStatus.READY}),
}


class ReportRequest(TimeStampedModel):
    """One report for one office, kind, financial year and format; `created_by` asked for
    it. The file is in the default storage at `file_path` once it is ready."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    public_id = models.CharField(max_length=16, unique=True, editable=False)
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("financial year"))
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_path = models.CharField(max_length=255, blank=True, editable=False)
    file_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("what went wrong"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report request")
        indexes = [models.Index(fields=["office", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.year_label} ({self.format})"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


class ReportRequestStatusChange(AbstractStatusChange):
    subject_field = "report"

    report = models.ForeignKey(
        ReportRequest, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=10, choices=ReportStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=10, choices=ReportStatus.choices)

    class Meta:
        ordering = ["report", "at", "id"]


REPORT_WORKFLOW = Workflow(
    model=ReportRequest,
    changes=ReportRequestStatusChange,
    states=ReportStatus,
    allowed=TRANSITIONS,
    audit_name="report",
    refusal=_("A report that is %(old)s cannot become %(new)s."),
)
