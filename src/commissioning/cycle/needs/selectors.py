"""Reads for needs assessments, the service map and its gaps: constant queries each."""

from django.db.models import Prefetch, Q

from commissioning.cycle.needs.models import NEED_RANK, ExistingProvision, NeedsAssessment
from commissioning.cycle.needs.rules import GapTable, Need, Service, gap_table
from commissioning.offices.models import Area, Priority
from commissioning.offices.selectors import current_plan_priorities

PROVISION_VIEWS = ("current", "ended", "all")


def _parts(queryset):
    return queryset.prefetch_related(
        Prefetch("areas", queryset=Area.objects.order_by("name")),
        Prefetch("priorities", queryset=Priority.objects.order_by("position")),
    )


def needs_for_office(office):
    """The office's needs assessments, newest first, with their areas, priorities and project."""
    return _parts(NeedsAssessment.objects.filter(office=office).select_related("project")).order_by(
        "-assessed_on", "title"
    )


def need_for_office(office, pk) -> NeedsAssessment | None:
    return _parts(NeedsAssessment.objects.filter(office=office, pk=pk)).first()


def current_provision(queryset, today):
    return queryset.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=today)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def provision_for_office(office, *, view: str = "current", today=None):
    """The service map: current services (the default), those whose funding ended, or all."""
    queryset = ExistingProvision.objects.filter(office=office)
    if view == "current":
        queryset = current_provision(queryset, today)
    elif view == "ended":
        queryset = queryset.filter(ends_on__lt=today)
    return _parts(queryset).order_by("provider", "name")


def provision_item(office, pk) -> ExistingProvision | None:
    return _parts(ExistingProvision.objects.filter(office=office, pk=pk)).first()


def office_gaps(office, today) -> dict:
    """The gap table for the office's areas and its current plan's priorities, and the rows
    the chart and its table show: five queries whatever the numbers."""
    areas = list(Area.objects.current().filter(office=office).order_by("name"))
    priorities = current_plan_priorities(office)
    needs = list(needs_for_office(office))
    services = list(provision_for_office(office, view="current", today=today))
    table: GapTable = gap_table(
        area_ids=[a.pk for a in areas],
        priority_order=[p.pk for p in priorities],
        parents={p.pk: p.parent_id for p in priorities},
        needs=[
            Need(
                level=n.level,
                areas=frozenset(a.pk for a in n.areas.all()),
                priorities=frozenset(p.pk for p in n.priorities.all()),
            )
            for n in needs
        ],
        services=[
            Service(
                areas=frozenset(a.pk for a in s.areas.all()),
                priorities=frozenset(p.pk for p in s.priorities.all()),
                funding=s.annual_funding,
            )
            for s in services
        ],
    )
    by_pk = {p.pk: p for p in priorities}
    columns = [by_pk[pk] for pk in table.priority_ids]
    rows = [
        {
            "area": area,
            "cells": [table.cell(area.pk, p.pk) for p in columns],
            "gaps": table.gaps_in_area(area.pk),
        }
        for area in areas
    ]
    for row in rows:
        row["gap_total"] = sum(row["gaps"].values())
    return {
        "areas": areas,
        "columns": columns,
        "rows": rows,
        "table": table,
        "chart": gap_chart(rows),
        "needs_count": len(needs),
        "services_count": len(services),
        "gap_count": len(table.gaps()),
    }


CHART_COLOURS = {"high": "#d4351c", "medium": "#f47738", "low": "#505a5f"}


def gap_chart(rows: list[dict]) -> dict:
    """Geometry for a bar per area: its gaps stacked by level of need, scaled to the largest."""
    largest = max([row["gap_total"] for row in rows] or [0]) or 1
    width, label_width, bar_height, gap = 360, 200, 22, 14
    bars = []
    for index, row in enumerate(rows):
        y = 10 + index * (bar_height + gap)
        x = label_width
        segments = []
        for level in NEED_RANK:
            count = row["gaps"][level]
            if not count:
                continue
            length = int(width * count / largest)
            segments.append(
                {"x": x, "width": length, "level": level, "colour": CHART_COLOURS[level]}
            )
            x += length
        bars.append(
            {
                "label": row["area"].name,
                "y": y,
                "segments": segments,
                "total": row["gap_total"],
                "end": x,
            }
        )
    return {
        "bars": bars,
        "width": label_width + width + 60,
        "height": 20 + len(rows) * (bar_height + gap),
        "bar_height": bar_height,
        "label_width": label_width,
    }
