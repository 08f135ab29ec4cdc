"""Read queries for the public register of awards (TR1) and the open data built on it (TR2).

An award is public when the decision that made it is published and the office's pack publishes
awards. What is read here is what may be shown to anyone: the organisation's name and
registered numbers, the project's title and short description, the amount, fund, dates, areas
and plan priorities. Contacts, bank details, people's names and the decision's exempt parts are
never selected.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q
from django.utils import timezone

from commissioning.applications.models import Application
from commissioning.applications.selectors import CheapCountPaginator
from commissioning.awards.models import Award, search_words
from commissioning.core.money import financial_year_bounds, financial_year_of
from commissioning.decisions.models import DecisionRecord, DecisionStatus
from commissioning.offices.models import Area, Budget, Fund, Priority

CHUNK = 2000

# The columns read for each public award: nothing personal.
PUBLIC_FIELDS = (
    "pk",
    "reference",
    "title",
    "amount",
    "starts_on",
    "ends_on",
    "made_at",
    "updated_at",
    "status",
    "application_id",
    "application__short_description",
    "organisation__ref",
    "organisation__name",
    "organisation__charity_number",
    "organisation__company_number",
    "organisation__org_id",
    "fund__code",
    "fund__name",
    "fund__kind",
    "fund__summary",
    "decision__number",
    "decision__slug",
    "decision__published_at",
)


@dataclass(frozen=True)
class PublicArea:
    name: str
    ons_code: str
    kind: str


@dataclass(frozen=True)
class PublicPriority:
    code: str
    title: str


# An office has a few dozen areas and priorities, shared by thousands of awards: each is made
# once and the same (frozen) object given to every award that has it.
_public_area = lru_cache(maxsize=4096)(PublicArea)
_public_priority = lru_cache(maxsize=4096)(PublicPriority)


@dataclass
class PublicAward:
    """One award as the public sees it."""

    reference: str
    title: str
    short_description: str
    amount: Decimal
    starts_on: dt.date
    ends_on: dt.date
    made_at: dt.datetime
    updated_at: dt.datetime
    status: str
    organisation_ref: str
    organisation_name: str
    charity_number: str
    company_number: str
    org_id: str
    fund_code: str
    fund_name: str
    fund_kind: str
    fund_summary: str
    decision_number: str
    decision_slug: str
    published_at: dt.datetime | None
    application_id: int = 0
    areas: list[PublicArea] = field(default_factory=list)
    priorities: list[PublicPriority] = field(default_factory=list)

    @property
    def award_date(self) -> dt.date:
        return timezone.localtime(self.made_at).date()

    @property
    def area_names(self) -> str:
        return ", ".join(a.name for a in self.areas)

    @property
    def priority_titles(self) -> str:
        return "; ".join(f"{p.code} {p.title}" for p in self.priorities)


def publishes_awards(office) -> bool:
    return bool(office.policy.publication.get("publish_awards"))


def public_awards(office):
    """The office's public awards: made by a published decision, if the pack publishes any."""
    # The published decisions as a subquery rather than a join: the count of the awards is
    # then read from the (office, decision) index alone.
    published = DecisionRecord.objects.filter(office=office, status=DecisionStatus.PUBLISHED)
    queryset = Award.objects.filter(office=office, decision__in=published.values("pk"))
    if not publishes_awards(office):
        return queryset.none()
    return queryset


def filter_awards(office, queryset, filters: dict):
    """The register's filters: fund code, financial year of the award, area ONS code, plan
    priority code and words in the organisation's name, the project or the reference."""
    if filters.get("fund"):
        queryset = queryset.filter(fund__code=filters["fund"])
    if filters.get("year") is not None:
        start, end = financial_year_bounds(filters["year"])
        queryset = queryset.filter(
            made_at__gte=_midnight(start), made_at__lt=_midnight(end + dt.timedelta(days=1))
        )
    if filters.get("area"):
        queryset = queryset.filter(
            application_id__in=Application.areas.through.objects.filter(
                area__office=office, area__ons_code=filters["area"]
            ).values("application_id")
        )
    if filters.get("priority"):
        queryset = queryset.filter(
            application_id__in=Application.priorities.through.objects.filter(
                priority__plan__office=office,
                priority__plan__is_current=True,
                priority__code=filters["priority"],
            ).values("application_id")
        )
    # Each word anywhere in the award's search text (the organisation's name, the project's
    # title and short description, case-folded) or the whole reference: columns of the awards
    # table, which indexes serve (a trigram one on PostgreSQL), rather than a join to three.
    for word in search_words(filters.get("q") or ""):
        queryset = queryset.filter(Q(search_text__contains=word) | Q(reference__iexact=word))
    return queryset


def _midnight(day: dt.date) -> dt.datetime:
    """The start of a day in the site's time zone (Europe/London)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _rows(values: Iterable[dict]) -> list[PublicAward]:
    return [
        PublicAward(
            reference=v["reference"],
            title=v["title"],
            short_description=v["application__short_description"] or "",
            amount=v["amount"],
            starts_on=v["starts_on"],
            ends_on=v["ends_on"],
            made_at=v["made_at"],
            updated_at=v["updated_at"],
            status=v["status"],
            organisation_ref=v["organisation__ref"],
            organisation_name=v["organisation__name"],
            charity_number=v["organisation__charity_number"] or "",
            company_number=v["organisation__company_number"] or "",
            org_id=v["organisation__org_id"] or "",
            fund_code=v["fund__code"],
            fund_name=v["fund__name"],
            fund_kind=v["fund__kind"],
            fund_summary=v["fund__summary"] or "",
            decision_number=v["decision__number"],
            decision_slug=v["decision__slug"],
            published_at=v["decision__published_at"],
            application_id=v["application_id"],
        )
        for v in values
    ]


def _attach_parts(awards: list[PublicAward]) -> list[PublicAward]:
    """Each award's areas and plan priorities: two queries for any number of awards."""
    by_application = {a.application_id: a for a in awards}
    if not by_application:
        return awards
    ids = list(by_application)
    areas = (
        Application.areas.through.objects.filter(application_id__in=ids)
        .order_by("area__name")
        .values_list("application_id", "area__name", "area__ons_code", "area__kind")
    )
    for app_id, name, code, kind in areas:
        by_application[app_id].areas.append(_public_area(name, code, kind))
    priorities = (
        Application.priorities.through.objects.filter(application_id__in=ids)
        .order_by("priority__position")
        .values_list("application_id", "priority__code", "priority__title")
    )
    for app_id, code, title in priorities:
        by_application[app_id].priorities.append(_public_priority(code, title))
    return awards


def register_page(office, filters: dict, page_number, *, per_page: int = 25):
    """A page of the public register: one query for the rows, one for the count and two for
    the rows' areas and priorities, whatever the number of awards."""
    queryset = filter_awards(office, public_awards(office), filters)
    rows = queryset.order_by("-made_at", "-id").values(*PUBLIC_FIELDS)
    paginator = CheapCountPaginator(rows, per_page, count_queryset=queryset.order_by())
    page = paginator.get_page(page_number)
    page.object_list = _attach_parts(_rows(page.object_list))
    return page


def public_award(office, reference: str) -> PublicAward | None:
    row = public_awards(office).filter(reference=reference).values(*PUBLIC_FIELDS).first()
    if row is None:
        return None
    return _attach_parts(_rows([row]))[0]


def iter_public_awards(queryset, *, chunk_size: int = CHUNK) -> Iterator[PublicAward]:
    """Every award of the queryset, oldest first, read a chunk at a time with its areas and
    priorities, so that an export of any size holds one chunk in memory."""
    rows = queryset.order_by("made_at", "pk").values(*PUBLIC_FIELDS).iterator(chunk_size)
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk_size:
            yield from _attach_parts(_rows(batch))
            batch = []
    if batch:
        yield from _attach_parts(_rows(batch))


def filter_choices(office) -> dict:
    """The register's filter choices: the office's funds, areas and current plan priorities,
    and its budgets' financial years up to this one (read from the budgets, a small table,
    rather than from the awards)."""
    this_year = financial_year_of(timezone.localdate())
    years = {
        year
        for year in Budget.objects.filter(fund__office=office).values_list(
            "financial_year", flat=True
        )
        if year <= this_year
    } | {this_year}
    return {
        "funds": list(
            Fund.objects.filter(office=office).order_by("name").values_list("code", "name")
        ),
        "areas": list(
            Area.objects.filter(office=office).order_by("name").values_list("ons_code", "name")
        ),
        "priorities": list(
            Priority.objects.filter(plan__office=office, plan__is_current=True, selectable=True)
            .order_by("position")
            .values_list("code", "title")
        ),
        "years": sorted(years, reverse=True),
    }
