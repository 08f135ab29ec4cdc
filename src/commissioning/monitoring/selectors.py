"""Read queries for the monitoring pages and the API, each a constant number of queries, and
the figures of returns as they may be shown outside the office, with small numbers suppressed."""

import datetime as dt

from django.db.models import Prefetch, Q

from commissioning.applications.selectors import CheapCountPaginator
from commissioning.monitoring.models import (
    AWAITING_REVIEW,
    EDITABLE,
    DueDateChange,
    MonitoringMeeting,
    MonitoringReturn,
    MonitoringSchedule,
    ReturnStatus,
)
from commissioning.monitoring.rows import rows_of
from commissioning.monitoring.rules import (
    DEFAULT_SMALL_NUMBER_THRESHOLD,
    DEMOGRAPHICS,
    VICTIMS_MEASURES,
    demographic_groups,
    suppressed,
)

# The staff list's views of the office's returns.
VIEWS = ("awaiting_review", "overdue", "due", "returned", "accepted", "all")


def returns_in_view(queryset, view: str, today: dt.date):
    if view == "awaiting_review":
        return queryset.filter(status__in=sorted(AWAITING_REVIEW))
    if view == "overdue":
        return queryset.filter(status__in=sorted(EDITABLE), due_on__lt=today)
    if view == "due":
        return queryset.filter(status=ReturnStatus.DRAFT, due_on__gte=today)
    if view == "returned":
        return queryset.filter(status=ReturnStatus.RETURNED)
    if view == "accepted":
        return queryset.filter(status=ReturnStatus.ACCEPTED)
    return queryset


def staff_return_page(
    office, *, view: str, today: dt.date, q: str = "", page_number=1, per_page=25
):
    """A page of the office's returns in one view: one query for the rows, one count."""
    queryset = returns_in_view(MonitoringReturn.objects.filter(office=office), view, today)
    if q:
        queryset = queryset.filter(
            Q(schedule__subject_reference__icontains=q)
            | Q(schedule__organisation__name__icontains=q)
        )
    rows = queryset.for_list().order_by("due_on", "award_id", "schedule_id", "number")
    paginator = CheapCountPaginator(rows, per_page, count_queryset=queryset.order_by())
    return paginator.get_page(page_number)


def award_schedule(award) -> dict:
    """An award's returns, meetings and the changes made to their dates: three queries."""
    return {
        "returns": list(award.monitoring_returns.order_by("due_on", "number")),
        "meetings": list(
            MonitoringMeeting.objects.filter(award=award).order_by("due_on", "number")
        ),
        "changes": list(
            DueDateChange.objects.filter(award=award)
            .select_related("actor", "monitoring_return", "meeting")
            .order_by("at", "id")
        ),
    }


def schedule_for_office(office, reference: str) -> MonitoringSchedule | None:
    """The office's schedule of the award (or other subject) with this reference."""
    return (
        MonitoringSchedule.objects.filter(office=office, subject_reference=reference)
        .select_related("award", "award__organisation", "award__fund", "organisation", "fund")
        .first()
    )


def schedule_parts(schedule) -> dict:
    """A schedule's returns, meetings and the changes made to their dates: three queries."""
    if schedule.award_id:
        return award_schedule(schedule.award)
    return {
        "returns": list(schedule.returns.order_by("due_on", "number")),
        "meetings": list(schedule.meetings.order_by("due_on", "number")),
        "changes": list(
            DueDateChange.objects.filter(monitoring_return__schedule=schedule)
            .select_related("actor", "monitoring_return", "meeting")
            .order_by("at", "id")
        ),
    }


def subject_returns(subject_kind: str, reference: str) -> list[MonitoringReturn]:
    """The returns of a subject other than an award (a contract), in order: one query. The
    app that owns the subject shows them on its own page."""
    return list(
        MonitoringReturn.objects.filter(
            schedule__subject_kind=subject_kind, schedule__subject_reference=reference
        )
        .select_related("schedule", "schedule__organisation", "office")
        .order_by("number")
    )


def organisation_returns(organisation):
    """Every return the organisation owes (of its awards, and of anything else monitored, such
    as its contracts), across offices, soonest due first."""
    return (
        MonitoringReturn.objects.filter(schedule__organisation=organisation)
        .for_list()
        .order_by("due_on", "award_id", "schedule_id", "number")
    )


def return_with_parts(pk: int) -> MonitoringReturn:
    return (
        MonitoringReturn.objects.select_related(
            "award",
            "award__organisation",
            "award__fund",
            "award__application",
            "office",
            "office__policy",
            "schedule",
            "schedule__organisation",
            "submitted_by",
            "reviewed_by",
        )
        .prefetch_related(
            "award__application__outputs",
            "award__application__outcomes",
            "award__application__budget_lines",
            Prefetch("status_changes", to_attr="history"),
        )
        .get(pk=pk)
    )


def small_number_threshold(office) -> int:
    return int(
        (office.policy.monitoring or {}).get(
            "small_number_threshold", DEFAULT_SMALL_NUMBER_THRESHOLD
        )
    )


def return_figures(ret: MonitoringReturn, *, outside_office: bool) -> dict:
    """The counts of a return, by question and answer: for anything shown outside the office
    (reports, the public register, partners), counts under the pack's threshold read "fewer
    than 5" (MO2). Other apps read returns' figures through here."""
    threshold = small_number_threshold(ret.office)

    def shown(count):
        return suppressed(count, threshold) if outside_office else count

    return {
        "people_supported": shown(ret.people_supported),
        "measures": {
            code: {"label": VICTIMS_MEASURES[code], "count": shown(ret.measures[code])}
            for code in VICTIMS_MEASURES
            if code in ret.measures
        },
        "demographics": {
            category: {
                "label": DEMOGRAPHICS[category][0],
                "answers": [
                    {
                        "code": code,
                        "label": label,
                        "count": shown(ret.demographics[category].get(code, 0)),
                    }
                    for code, label in demographic_groups(category)
                ],
            }
            for category in DEMOGRAPHICS
            if category in ret.demographics
        },
    }


def return_rows(ret: MonitoringReturn) -> dict:
    """The application's outputs, outcomes and budget lines (or the schedule's measures and
    items reported on), each with what the return says (prefetched by `return_with_parts`)."""
    from decimal import Decimal

    rows = rows_of(ret)
    return {
        "figures": rows.figures,
        "outputs": [(o, ret.outputs.get(str(o.pk))) for o in rows.outputs],
        "outcomes": [(o, ret.outcomes.get(str(o.pk), "")) for o in rows.outcomes],
        "spend": [
            (b, Decimal(ret.spend[str(b.pk)]) if str(b.pk) in ret.spend else None)
            for b in rows.budget_lines
        ],
        "items": [(i, ret.items.get(str(i.pk), "")) for i in rows.items],
    }
