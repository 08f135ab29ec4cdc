"""The figures of the dashboards and reports, read once per page in a fixed number of queries.

Money is read from the budget ledger, never from stored totals: a budget's figures are the
awards app's `balances_for`, and money by area and by plan priority is each award's net
commitment (commitments less releases) in the ledger for the budgets shown, so every total here
equals the ledger's for the same funds and years. An award serving several areas (or plan
priorities) is shared equally between them, to the penny, so the shares add up to the award.

The public version reads only the awards the public may see (`public_awards`), and shows counts
of people through monitoring's small-number suppression."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.applications.models import Application, Output, Status, StatusChange
from commissioning.awards.models import Award, EntryKind, LedgerEntry
from commissioning.awards.selectors import Balance, balances_for, budget_rows
from commissioning.core.money import (
    PENNY,
    financial_year_bounds,
    financial_year_label,
    share_of,
    to_money,
)
from commissioning.decisions.models import DecisionStatus
from commissioning.monitoring.models import MonitoringReturn, ReturnStatus
from commissioning.monitoring.rules import DEMOGRAPHICS, demographic_groups, suppressed
from commissioning.monitoring.selectors import small_number_threshold
from commissioning.offices.models import Area, Budget, Fund, Priority
from commissioning.transparency.dashboards.charts import Chart, Row

ZERO = Decimal("0.00")

# An application has been found eligible once it is in one of these states (or has been
# eligible, as its status changes show); recommended once it has been in that state.
REACHED_ELIGIBLE = frozenset(
    {
        Status.ELIGIBLE,
        Status.IN_ASSESSMENT,
        Status.RECOMMENDED,
        Status.NOT_RECOMMENDED,
        Status.AWAITING_DECISION,
        Status.APPROVED,
        Status.DECLINED,
    }
)


def public_awards(office, prefix: str = "") -> Q:
    """The awards the public may see, as a filter on a model reaching Award through `prefix`:
    none if the pack does not publish awards; else those whose decision is published, and
    those whose signed decision the pack never publishes (`decisions_published_over`), which
    appear on the register without a decision record."""
    publication = office.policy.publication or {}
    if not publication.get("publish_awards", False):
        return Q(**{f"{prefix}pk__in": []})
    shown = Q(**{f"{prefix}decision__status": DecisionStatus.PUBLISHED})
    over = publication.get("decisions_published_over")
    if over is not None and to_money(over) != 0:
        shown |= Q(
            **{
                f"{prefix}decision__total__lte": to_money(over),
                f"{prefix}decision__signed_at__isnull": False,
            }
        )
    return shown


@dataclass(frozen=True)
class Filters:
    fund: Fund | None = None
    year: int | None = None

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        return financial_year_bounds(self.year) if self.year is not None else None

    def as_query(self) -> dict[str, str]:
        query = {}
        if self.fund is not None:
            query["fund"] = self.fund.code
        if self.year is not None:
            query["year"] = str(self.year)
        return query


def moments(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the start day and the first moment after the end day, in local time."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


@dataclass
class Dashboard:
    office: object
    filters: Filters
    public: bool
    charts: dict[str, Chart]
    summary: dict = field(default_factory=dict)


def dashboard_choices(office) -> tuple[list[Fund], list[int]]:
    """The funds and financial years the filters offer: two queries."""
    funds = list(Fund.objects.filter(office=office).order_by("name"))
    years = sorted(
        set(Budget.objects.filter(fund__office=office).values_list("financial_year", flat=True))
    )
    return funds, years


def _budgets(office, filters: Filters) -> list[Budget]:
    queryset = budget_rows(office, fund=filters.fund)
    if filters.year is not None:
        queryset = queryset.filter(financial_year=filters.year)
    return list(queryset)


def _published_balances(office, budgets: list[Budget]) -> dict[int, Balance]:
    """Like `balances_for`, with the movements of awards not yet published left out: the
    budget itself (allocations, top-slices) is public, unpublished awards are not."""
    result = {b.pk: Balance(budget=b) for b in budgets}
    rows = (
        LedgerEntry.objects.filter(budget__in=[b.pk for b in budgets])
        .filter(Q(award__isnull=True) | public_awards(office, "award__"))
        .order_by()
        .values("budget_id", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        setattr(result[row["budget_id"]], row["kind"], Decimal(row["total"] or 0).quantize(PENNY))
    return result


def spend_balances(office, filters: Filters, *, public: bool) -> list[Balance]:
    """Each budget shown with its ledger figures, by fund then year."""
    budgets = _budgets(office, filters)
    balances = _published_balances(office, budgets) if public else balances_for(budgets)
    return [balances[b.pk] for b in budgets]


def award_commitments(office, filters: Filters, *, public: bool) -> dict[int, Decimal]:
    """Each award's net commitment in the ledger for the budgets shown, by award id."""
    entries = LedgerEntry.objects.filter(
        budget__fund__office=office,
        award__isnull=False,
        kind__in=[EntryKind.COMMITMENT, EntryKind.RELEASE],
    )
    if filters.fund is not None:
        entries = entries.filter(budget__fund=filters.fund)
    if filters.year is not None:
        entries = entries.filter(budget__financial_year=filters.year)
    if public:
        entries = entries.filter(public_awards(office, "award__"))
    rows = (
        entries.order_by()
        .values("award_id")
        .annotate(
            committed=Sum("amount", filter=Q(kind=EntryKind.COMMITMENT)),
            released=Sum("amount", filter=Q(kind=EntryKind.RELEASE)),
        )
    )
    return {r["award_id"]: Decimal(r["committed"] or 0) - Decimal(r["released"] or 0) for r in rows}


def _shares(amount: Decimal, keys: list) -> list[tuple[object, Decimal]]:
    """The amount split equally between the keys; the last takes the pennies left over."""
    if not keys:
        return [(None, amount)]
    parts = [share_of(amount, 1, len(keys)) for _key in keys[:-1]]
    return list(zip(keys, [*parts, amount - sum(parts, ZERO)], strict=True))


def _split(commitments: dict[int, Decimal], links: list[tuple[int, int]]) -> dict:
    """Money by linked id (None: awards linked to none), from (award id, linked id) pairs."""
    linked: dict[int, list[int]] = defaultdict(list)
    for award_id, other_id in links:
        linked[award_id].append(other_id)
    totals: dict = defaultdict(lambda: ZERO)
    for award_id, amount in commitments.items():
        for key, share in _shares(amount, sorted(linked.get(award_id, []))):
            totals[key] += share
    return totals


def money_by_area(office, commitments: dict[int, Decimal]) -> list[dict]:
    """Money by the areas the awards serve, in total and per head of population."""
    links = list(
        Application.areas.through.objects.filter(
            application__award__id__in=list(commitments)
        ).values_list("application__award__id", "area_id")
    )
    totals = _split(commitments, links)
    rows = []
    for area in Area.objects.filter(office=office).order_by("name"):
        amount = totals.get(area.pk, ZERO)
        if amount or area.archived_at is None:
            per_head = (amount / area.population).quantize(PENNY) if area.population else None
            rows.append({"label": area.name, "area": area, "amount": amount, "per_head": per_head})
    if totals.get(None):
        rows.append(
            {"label": _("No area named"), "area": None, "amount": totals[None], "per_head": None}
        )
    return rows


def money_by_priority(office, commitments: dict[int, Decimal]) -> list[dict]:
    """Money by the plan priorities the awards' applications name."""
    links = list(
        Application.priorities.through.objects.filter(
            application__award__id__in=list(commitments)
        ).values_list("application__award__id", "priority_id")
    )
    totals = _split(commitments, links)
    named = Priority.objects.filter(pk__in=[k for k in totals if k is not None]).order_by(
        "plan__code", "position", "code"
    )
    rows = [{"label": f"{p.code} {p.title}", "amount": totals[p.pk]} for p in named]
    if totals.get(None):
        rows.append({"label": _("No priority named"), "amount": totals[None]})
    return rows


def pipeline(office, filters: Filters, *, public: bool) -> dict[str, int]:
    """Applications submitted in the period, and how many were found eligible, recommended and
    awarded: one query."""
    applications = Application.objects.filter(office=office).exclude(status=Status.DRAFT)
    if filters.fund is not None:
        applications = applications.filter(fund=filters.fund)
    if filters.period is not None:
        since, until = moments(*filters.period)
        applications = applications.filter(submitted_at__gte=since, submitted_at__lt=until)

    def reached(state):
        """Was in the state at some time: moved into it, or out of it, by a status change."""
        return Exists(
            StatusChange.objects.filter(Q(new=state) | Q(old=state), application=OuterRef("pk"))
        )

    awards = Award.objects.filter(application=OuterRef("pk"))
    if public:
        awards = awards.filter(public_awards(office))
    return applications.aggregate(
        applied=Count("pk"),
        eligible=Count(
            "pk", filter=Q(status__in=sorted(REACHED_ELIGIBLE)) | Q(reached(Status.ELIGIBLE))
        ),
        recommended=Count(
            "pk", filter=Q(status=Status.RECOMMENDED) | Q(reached(Status.RECOMMENDED))
        ),
        awarded=Count("pk", filter=Q(Exists(awards))),
    )


def compliance(office, filters: Filters, *, public: bool, today: dt.date) -> dict[str, int]:
    """Monitoring returns due by today in the period: in on time, in late, still not in."""
    returns = MonitoringReturn.objects.filter(office=office, due_on__lte=today)
    if filters.fund is not None:
        # A contract's returns (no award) count under the fund its schedule names.
        returns = returns.filter(
            Q(award__fund=filters.fund) | Q(award__isnull=True, schedule__fund=filters.fund)
        )
    if filters.period is not None:
        returns = returns.filter(due_on__range=filters.period)
    if public:
        returns = returns.filter(public_awards(office, "award__"))
    return returns.aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(submitted_at__date__lte=F("due_on"))),
        late=Count("pk", filter=Q(submitted_at__date__gt=F("due_on"))),
        not_in=Count("pk", filter=Q(submitted_at__isnull=True)),
    )


def _accepted_returns(office, award_ids, filters: Filters):
    returns = MonitoringReturn.objects.filter(
        office=office, award_id__in=award_ids, status=ReturnStatus.ACCEPTED
    )
    if filters.period is not None:
        returns = returns.filter(period_end__range=filters.period)
    return returns


def outputs_against_targets(office, award_ids, filters: Filters) -> list[dict]:
    """By fund: the outputs the awards' applications set as targets (over each award's life)
    and the outputs accepted returns report delivered in the period."""
    targets = {
        r["application__fund_id"]: r["target"]
        for r in Output.objects.filter(application__award__id__in=award_ids)
        .order_by()
        .values("application__fund_id")
        .annotate(target=Sum("quantity"))
    }
    delivered: dict[int, int] = defaultdict(int)
    for fund_id, outputs in _accepted_returns(office, award_ids, filters).values_list(
        "award__fund_id", "outputs"
    ):
        for value in (outputs or {}).values():
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                delivered[fund_id] += value
    funds = Fund.objects.filter(pk__in=set(targets) | set(delivered)).order_by("name")
    return [
        {
            "label": f.name,
            "target": int(targets.get(f.pk) or 0),
            "delivered": delivered.get(f.pk, 0),
        }
        for f in funds
    ]


def demographic_reach(office, award_ids, filters: Filters, *, public: bool) -> dict:
    """People supported, from accepted returns in the period, by each demographic question;
    outside the office counts under the pack's threshold read 'fewer than N' (MO2)."""
    threshold = small_number_threshold(office)
    people = 0
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for supported, demographics in _accepted_returns(office, award_ids, filters).values_list(
        "people_supported", "demographics"
    ):
        people += supported or 0
        for category, answers in (demographics or {}).items():
            for code, count in (answers or {}).items():
                if isinstance(count, int) and not isinstance(count, bool):
                    counts[category][code] += count

    def shown(count):
        return suppressed(count, threshold) if public else count

    categories = {
        category: [
            (label, shown(counts[category].get(code, 0)))
            for code, label in demographic_groups(category)
        ]
        for category in DEMOGRAPHICS
        if category in counts
    }
    return {"people": people, "shown_people": shown(people), "categories": categories}


def population_of(office) -> int:
    return sum(Area.objects.current().filter(office=office).values_list("population", flat=True))


def _count_bars(*, slug, title, description, label_heading, series, counts, bars) -> Chart:
    """A vertical bar chart of counts with one series: a bar for each (label, key) of `bars`,
    its height `counts[key]`."""
    return Chart(
        slug=slug,
        kind="bar",
        unit="count",
        title=title,
        description=description,
        label_heading=label_heading,
        series=[series],
        rows=[Row(label, [counts[key]]) for label, key in bars],
    )


def dashboard(office, filters: Filters, *, public: bool, today: dt.date | None = None):
    """Every chart of the dashboard, for the office's staff or for the public."""
    today = today or timezone.localdate()
    balances = spend_balances(office, filters, public=public)
    commitments = award_commitments(office, filters, public=public)
    award_ids = list(commitments)
    areas = money_by_area(office, commitments)
    priorities = money_by_priority(office, commitments)
    flow = pipeline(office, filters, public=public)
    returns = compliance(office, filters, public=public, today=today)
    outputs = outputs_against_targets(office, award_ids, filters)
    reach = demographic_reach(office, award_ids, filters, public=public)
    population = population_of(office)
    period = financial_year_label(filters.year) if filters.year is not None else _("every year")
    charts = {
        "spend": Chart(
            slug="spend",
            title=_("Spend against budget by fund and year"),
            description=_(
                "For each fund and financial year, three bars: the budget available to award, "
                "what is committed to awards and what is paid. The figures are in the table."
            ),
            label_heading=_("Fund and year"),
            series=[_("Budget"), _("Committed"), _("Paid")],
            rows=[
                Row(
                    f"{b.budget.fund.name} {b.year_label}",
                    [b.available, b.net_committed, b.paid],
                )
                for b in balances
            ],
        ),
        "areas": Chart(
            slug="areas",
            title=_("Money committed by area, %(period)s") % {"period": period},
            description=_(
                "One bar an area: the money committed to awards serving it. An award serving "
                "several areas is shared equally between them. The table adds the amount per "
                "head of the area's population."
            ),
            label_heading=_("Area"),
            series=[_("Committed")],
            rows=[Row(r["label"], [r["amount"]]) for r in areas],
        ),
        "per-head": Chart(
            slug="per-head",
            title=_("Money committed per head of population, %(period)s") % {"period": period},
            description=_(
                "One bar an area: the money committed to awards serving it, divided by the "
                "area's population as the office's policy pack gives it."
            ),
            label_heading=_("Area"),
            series=[_("Per head")],
            rows=[Row(r["label"], [r["per_head"]]) for r in areas if r["area"] is not None],
        ),
        "priorities": Chart(
            slug="priorities",
            title=_("Money committed by plan priority, %(period)s") % {"period": period},
            description=_(
                "One bar a priority of the police and crime plan: the money committed to "
                "awards whose applications name it, shared equally where they name several."
            ),
            label_heading=_("Plan priority"),
            series=[_("Committed")],
            rows=[Row(r["label"], [r["amount"]]) for r in priorities],
        ),
        "pipeline": _count_bars(
            slug="pipeline",
            title=_("Applications: applied, eligible, recommended, awarded"),
            description=_(
                "Four bars: applications submitted in the period, those found eligible, "
                "those the panel recommended and those awarded."
            ),
            label_heading=_("Stage"),
            series=_("Applications"),
            counts=flow,
            bars=[
                (_("Applied"), "applied"),
                (_("Eligible"), "eligible"),
                (_("Recommended"), "recommended"),
                (_("Awarded"), "awarded"),
            ],
        ),
        "compliance": _count_bars(
            slug="compliance",
            title=_("Monitoring returns due: on time, late, not yet in"),
            description=_(
                "Monitoring returns due by today in the period: those submitted by their due "
                "date, those submitted after it, and those not yet submitted."
            ),
            label_heading=_("Returns"),
            series=_("Returns"),
            counts=returns,
            bars=[(_("On time"), "on_time"), (_("Late"), "late"), (_("Not yet in"), "not_in")],
        ),
        "outputs": Chart(
            slug="outputs",
            unit="count",
            title=_("Outputs delivered against targets, by fund"),
            description=_(
                "For each fund, two bars: the outputs the funded projects set as targets over "
                "their awards, and the outputs accepted monitoring returns in the period "
                "report delivered."
            ),
            label_heading=_("Fund"),
            series=[_("Target"), _("Delivered")],
            rows=[Row(r["label"], [r["target"], r["delivered"]]) for r in outputs],
        ),
    }
    for category, answers in reach["categories"].items():
        label = DEMOGRAPHICS[category][0]
        charts[f"reach-{category.replace('_', '-')}"] = Chart(
            slug=f"reach-{category.replace('_', '-')}",
            unit="count",
            title=_("People supported: %(question)s") % {"question": label},
            description=_(
                "One bar an answer: the people supported, as accepted monitoring returns in "
                "the period count them. Small numbers are not shown outside the office."
            ),
            label_heading=str(label),
            series=[_("People supported")],
            rows=[Row(str(answer), [count]) for answer, count in answers],
        )
    due = returns["due"] or 0
    summary = {
        "period": period,
        "available": sum((b.available for b in balances), ZERO),
        "committed": sum((b.net_committed for b in balances), ZERO),
        "paid": sum((b.paid for b in balances), ZERO),
        "awards": len(award_ids),
        "returns_due": due,
        "on_time_percent": (
            (Decimal(returns["on_time"]) * 100 / due).quantize(Decimal("0.1")) if due else None
        ),
        "people_supported": reach["shown_people"],
        "population": population,
        "reach_per_1000": (
            (Decimal(reach["people"]) * 1000 / population).quantize(Decimal("0.01"))
            if population and (not public or reach["people"] >= small_number_threshold(office))
            else None
        ),
    }
    return Dashboard(office=office, filters=filters, public=public, charts=charts, summary=summary)
