"""The transparency app's records: the reports staff ask for (reports/models.py)."""

from commissioning.transparency.reports.models import (  # noqa: F401
    REPORT_WORKFLOW,
    ReportRequest,
    ReportRequestStatusChange,
)
