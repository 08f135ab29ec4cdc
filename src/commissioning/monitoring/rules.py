"""Pure rules of monitoring: an award's schedule of returns and meetings from its office's
monitoring rules (MO1), and the measures and demographics a return asks for (MO2). No database
access here: the services hand in the facts of the award and the pack's monitoring section."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from commissioning.awards.rules import add_months
from commissioning.core.money import financial_year_bounds, financial_year_of
from commissioning.offices.rules import MonitoringRequirement, monitoring_requirement

# Where the pack is silent (docs/policy-packs.md, "monitoring").
DEFAULT_RETURN_DUE_DAYS = 14
DEFAULT_REMINDER_DAYS_BEFORE = 14
DEFAULT_OVERDUE_ESCALATION_DAYS = 14
DEFAULT_SMALL_NUMBER_THRESHOLD = 5

# A fund of this kind makes contracts; the others make grants (unless the pack lists the
# fund's code under `contract_fund_codes`).
CONTRACT_FUND_KINDS = frozenset({"commissioned_services"})
# A fund paid for from this kind of funding source is a victims' service (unless the pack
# lists victims' funds itself under `victims_fund_codes`).
VICTIMS_SOURCE_KINDS = frozenset({"moj_victims"})

# The kinds of return, in the order a schedule lists those due on the same day.
RETURN_KINDS = (
    "return",
    "quarterly",
    "mid_year",
    "end_of_year",
    "year_end_assessment",
    "end_of_award_evaluation",
    "pilot_evaluation",
)
# How often a report kind comes when a rule names it without an interval of its own.
REPORT_INTERVALS = {"quarterly": 3, "mid_year": 6, "end_of_year": 12}

# The Victims Funding Strategy core measures a victims' service reports (MO2), in order.
VICTIMS_MEASURES = {
    "referrals": _("Referrals received"),
    "people_supported": _("People supported"),
    "cope_and_recover": _("People who feel better able to cope and recover"),
    "feel_safer": _("People who feel safer"),
    "health_and_wellbeing": _("People whose health and wellbeing improved"),
    "satisfaction": _("People satisfied with the service"),
}
# Measures counted among the people supported, so none can be more than them.
MEASURES_OF_PEOPLE_SUPPORTED = (
    "cope_and_recover",
    "feel_safer",
    "health_and_wellbeing",
    "satisfaction",
)

PREFER_NOT_TO_SAY = ("prefer_not_to_say", _("Prefer not to say"))
NOT_KNOWN = ("not_known", _("Not known"))

# Demographics of the people supported (ESX 10.1), with the ONS 2021 census groups for
# ethnicity. Every question also has "prefer not to say" and "not known", so that each person
# supported can be counted once in every question.
DEMOGRAPHICS: dict[str, tuple] = {
    "age_band": (
        _("Age"),
        (
            ("under_18", _("Under 18")),
            ("18_24", _("18 to 24")),
            ("25_34", _("25 to 34")),
            ("35_44", _("35 to 44")),
            ("45_54", _("45 to 54")),
            ("55_64", _("55 to 64")),
            ("65_plus", _("65 and over")),
        ),
    ),
    "sex": (_("Sex"), (("female", _("Female")), ("male", _("Male")))),
    "gender_identity": (
        _("Gender identity"),
        (
            ("same_as_birth", _("The same as the sex registered at birth")),
            ("different", _("Different from the sex registered at birth")),
        ),
    ),
    "ethnicity": (
        _("Ethnic group"),
        (
            ("asian", _("Asian, Asian British or Asian Welsh")),
            ("black", _("Black, Black British, Black Welsh, Caribbean or African")),
            ("mixed", _("Mixed or Multiple ethnic groups")),
            ("white", _("White")),
            ("other", _("Other ethnic group")),
        ),
    ),
    "disability": (
        _("Disability"),
        (
            ("disabled", _("Disabled under the Equality Act")),
            ("not_disabled", _("Not disabled")),
        ),
    ),
    "sexual_orientation": (
        _("Sexual orientation"),
        (
            ("straight", _("Straight or heterosexual")),
            ("gay_or_lesbian", _("Gay or lesbian")),
            ("bisexual", _("Bisexual")),
            ("other", _("All other sexual orientations")),
        ),
    ),
}


def demographic_groups(category: str) -> tuple[tuple[str, object], ...]:
    """A question's answers, with "prefer not to say" and "not known" last."""
    return (*DEMOGRAPHICS[category][1], PREFER_NOT_TO_SAY, NOT_KNOWN)


@dataclass(frozen=True)
class AwardFacts:
    """What the schedule of an award depends on."""

    amount: Decimal
    starts_on: dt.date
    ends_on: dt.date
    fund_code: str
    award_form: str
    victims_services: bool
    is_pilot: bool = False
    pilot_evaluation_required: bool = False


@dataclass(frozen=True)
class PlannedReturn:
    kind: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date


@dataclass(frozen=True)
class PlannedMeeting:
    due_on: dt.date


@dataclass(frozen=True)
class Schedule:
    requirement: MonitoringRequirement
    returns: tuple[PlannedReturn, ...]
    meetings: tuple[PlannedMeeting, ...]


def award_form_of(*, fund_kind: str, fund_code: str, monitoring: dict) -> str:
    """'contract' for a fund the pack lists as making contracts, or a commissioned-services
    fund; 'grant' otherwise."""
    listed = monitoring.get("contract_fund_codes")
    if listed is not None:
        return "contract" if fund_code in listed else "grant"
    return "contract" if fund_kind in CONTRACT_FUND_KINDS else "grant"


def is_victims_service(*, fund_code: str, source_kinds, monitoring: dict) -> bool:
    """Whether an award from this fund is a victims' service: the pack's own list of victims'
    funds where it gives one, otherwise any fund paid from the victims' grant."""
    listed = monitoring.get("victims_fund_codes")
    if listed is not None:
        return fund_code in listed
    return bool(set(source_kinds) & VICTIMS_SOURCE_KINDS)


def _periods(starts_on: dt.date, ends_on: dt.date, months: int):
    """(k, start, end) of each `months`-long period of the award; the last ends with it."""
    k, start = 1, starts_on
    while start <= ends_on:
        end = min(add_months(starts_on, k * months) - dt.timedelta(days=1), ends_on)
        yield k, start, end
        k, start = k + 1, end + dt.timedelta(days=1)


def _periodic_kind(months_in: int, last: bool, reports: tuple[str, ...]) -> str:
    if "end_of_year" in reports and (months_in % 12 == 0 or last):
        return "end_of_year"
    if "mid_year" in reports and months_in % 12 == 6:
        return "mid_year"
    if "quarterly" in reports:
        return "quarterly"
    return "return"


def monitoring_schedule(facts: AwardFacts, monitoring: dict) -> Schedule:
    """The returns and meetings an award owes under its office's monitoring rules.

    - Periodic returns every `returns_every_months` (the most frequent matching rule), each for
      the period just ended and due `return_due_days` after it; the last period ends with the
      award. Each is named by the reports the rules ask for (mid-year, end-of-year, quarterly).
    - A Year End Assessment for each financial year the award runs in, at the year's end or at
      the award's end if that is earlier.
    - An end-of-award evaluation where a rule asks for one; for a pilot of a fund whose pilots
      end in an evaluation, a pilot evaluation instead, at the pilot's end.
    - A meeting at the end of every `meetings_every_months` period.
    """
    requirement = monitoring_requirement(
        value=facts.amount,
        award_form=facts.award_form,
        victims_services=facts.victims_services,
        fund_code=facts.fund_code,
        monitoring=monitoring,
    )
    due_days = dt.timedelta(days=monitoring.get("return_due_days", DEFAULT_RETURN_DUE_DAYS))
    reports = requirement.reports
    start, end = facts.starts_on, facts.ends_on
    returns: list[PlannedReturn] = []

    interval = requirement.returns_every_months or min(
        (REPORT_INTERVALS[r] for r in reports if r in REPORT_INTERVALS), default=None
    )
    if interval:
        for k, p_start, p_end in _periods(start, end, interval):
            kind = _periodic_kind(k * interval, p_end == end, reports)
            returns.append(PlannedReturn(kind, p_start, p_end, p_end + due_days))

    if "year_end_assessment" in reports:
        for year in range(financial_year_of(start), financial_year_of(end) + 1):
            year_start, year_end = financial_year_bounds(year)
            p_start, p_end = max(start, year_start), min(end, year_end)
            returns.append(PlannedReturn("year_end_assessment", p_start, p_end, p_end + due_days))

    if facts.is_pilot and facts.pilot_evaluation_required:
        returns.append(PlannedReturn("pilot_evaluation", start, end, end + due_days))
    elif "final_evaluation" in reports:
        returns.append(PlannedReturn("end_of_award_evaluation", start, end, end + due_days))

    meetings: list[PlannedMeeting] = []
    if requirement.meetings_every_months:
        meetings = [
            PlannedMeeting(p_end)
            for _k, _s, p_end in _periods(start, end, requirement.meetings_every_months)
        ]
    returns.sort(key=lambda r: (r.due_on, RETURN_KINDS.index(r.kind)))
    return Schedule(requirement=requirement, returns=tuple(returns), meetings=tuple(meetings))


def reminder_kind(*, today: dt.date, due_on: dt.date, before_days: int, escalate_days: int):
    """Which reminder a return not yet in is owed today: 'before' in the days up to its due
    date, 'due' from the due date until it is `escalate_days` late, 'overdue' (escalated to
    the officer) after that; None before the first reminder."""
    if today >= due_on + dt.timedelta(days=escalate_days):
        return "overdue"
    if today >= due_on:
        return "due"
    if before_days and today >= due_on - dt.timedelta(days=before_days):
        return "before"
    return None


def suppressed(count: int | None, threshold: int = DEFAULT_SMALL_NUMBER_THRESHOLD):
    """A count as it may be shown outside the office: under the threshold (but not nought),
    'fewer than N'."""
    if count is None:
        return None
    if 0 < count < threshold:
        return _("fewer than %(n)s") % {"n": threshold}
    return count
