"""The performance page's rows (MO6): each monitored award of the office with its latest RAG,
its overdue returns and its outputs against target. A constant number of queries: one for the
page of awards (with subqueries for the figures), one count, one for the outputs' targets."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, JSONField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from commissioning.applications.models import Output
from commissioning.awards.models import Award, AwardStatus
from commissioning.monitoring.models import EDITABLE, MonitoringReturn
from commissioning.monitoring.performance.models import ImprovementPlan, PlanStatus

RAG_FILTERS = ("", "red", "amber", "green", "none")


@dataclass(frozen=True)
class OutputProgress:
    description: str
    target: int
    delivered: int | None


def _reported():
    """The award's returns that the organisation has sent in, latest period first."""
    return (
        MonitoringReturn.objects.filter(award=OuterRef("pk"))
        .exclude(status__in=sorted(EDITABLE))
        .order_by("-period_end", "-number")
    )


def performance_awards(office, *, today: dt.date, rag: str = "", overdue_only=False):
    overdue = (
        MonitoringReturn.objects.filter(
            award=OuterRef("pk"), status__in=sorted(EDITABLE), due_on__lt=today
        )
        .order_by()
        .values("award")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        Award.objects.filter(office=office, monitoring_schedule__isnull=False)
        .exclude(status=AwardStatus.TERMINATED)
        .annotate(
            latest_rag=Subquery(_reported().values("rag")[:1]),
            latest_outputs=Subquery(_reported().values("outputs")[:1], output_field=JSONField()),
            overdue_returns=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
            open_plans=Exists(
                ImprovementPlan.objects.filter(award=OuterRef("pk"), status=PlanStatus.OPEN)
            ),
        )
    )
    if rag == "none":
        queryset = queryset.filter(latest_rag__isnull=True)
    elif rag in ("red", "amber", "green"):
        queryset = queryset.filter(latest_rag=rag)
    if overdue_only:
        queryset = queryset.filter(overdue_returns__gt=0)
    return queryset.select_related("organisation").prefetch_related(
        Prefetch(
            "application__outputs",
            queryset=Output.objects.order_by("id"),
            to_attr="output_rows",
        )
    )


def output_progress(award) -> list[OutputProgress]:
    delivered = award.latest_outputs or {}
    if isinstance(delivered, str):  # a JSON subquery some databases hand back as text
        import json

        delivered = json.loads(delivered)
    return [
        OutputProgress(o.description, o.quantity, delivered.get(str(o.pk)))
        for o in award.application.output_rows
    ]


def performance_page(office, *, today, rag="", overdue_only=False, page_number=1, per_page=25):
    rows = performance_awards(office, today=today, rag=rag, overdue_only=overdue_only)
    page = Paginator(
        rows.select_related("application").order_by("-overdue_returns", "reference"), per_page
    ).get_page(page_number)
    for award in page:
        award.outputs_progress = output_progress(award)
    return page
