"""What the Police and Crime Panel report and the annual report data pack hold (TR5), read
from the same selectors as the public dashboard for the financial year, so the figures are
the ledger's. Both are published documents: small numbers are suppressed, and only the
awards the public may see are in them."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.awards.models import Award
from commissioning.core.money import financial_year_bounds, financial_year_label
from commissioning.decisions.selectors import PanelReport, panel_report
from commissioning.transparency.dashboards.selectors import (
    Dashboard,
    Filters,
    dashboard,
    moments,
    public_awards,
)
from commissioning.transparency.reports.models import ReportKind, ReportRequest

KINDS = {kind.value: kind.label for kind in ReportKind}
# The charts of each kind of report, in order: the panel's is decisions, awards and spend by
# priority and area; the annual pack has every chart of the dashboard.
PANEL_CHARTS = ("spend", "priorities", "areas", "per-head")


@dataclass
class Report:
    office: object
    kind: str
    year: int
    start: dt.date
    end: dt.date
    decisions: PanelReport
    awards: list
    board: Dashboard
    made_at: dt.datetime

    @property
    def title(self) -> str:
        return str(KINDS[self.kind])

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def charts(self) -> list:
        if self.kind == "panel":
            return [self.board.charts[slug] for slug in PANEL_CHARTS]
        return list(self.board.charts.values())

    @property
    def filename(self) -> str:
        return f"{self.office.slug}-{self.kind}-report-{self.year_label.replace('/', '-')}"


def awards_made(office, start: dt.date, end: dt.date) -> list[Award]:
    """The public awards made between two dates (inclusive): one query."""
    since, until = moments(start, end)
    return list(
        Award.objects.filter(office=office, made_at__gte=since, made_at__lt=until)
        .filter(public_awards(office))
        .for_list()
        .order_by("made_at", "id")
    )


def report_for(office, *, kind: str, year: int, today: dt.date | None = None) -> Report:
    if kind not in KINDS:
        raise ValueError(_("A report is 'panel' or 'annual', not '%(kind)s'.") % {"kind": kind})
    start, end = financial_year_bounds(year)
    return Report(
        office=office,
        kind=kind,
        year=year,
        start=start,
        end=end,
        decisions=panel_report(office, start, end),
        awards=awards_made(office, start, end),
        board=dashboard(office, Filters(year=year), public=True, today=today),
        made_at=timezone.now(),
    )


# The reports page lists the office's latest requests.
REQUESTS_LISTED = 50


def report_requests_for(office, *, limit: int = REQUESTS_LISTED) -> list[ReportRequest]:
    """The office's latest report requests, newest first, with who asked and their jobs: one
    query."""
    return list(
        ReportRequest.objects.filter(office=office)
        .select_related("created_by", "job")
        .order_by("-created_at", "-id")[:limit]
    )


def report_request_for(office, public_id: str) -> ReportRequest:
    """One of the office's report requests; 404 alike for missing and another office's."""
    from django.http import Http404

    found = (
        ReportRequest.objects.filter(office=office, public_id=public_id)
        .select_related("office")
        .first()
    )
    if found is None:
        raise Http404
    return found
