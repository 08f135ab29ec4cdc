"""Assessment rules read from the office's policy pack: the rubric of a fund, weighted totals,
spreads and the quorum of a panel meeting. Pure functions: no database, no requests."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

MAX_SCORE = 5
SCORES = range(MAX_SCORE + 1)
# What the pack leaves out takes these values; docs/policy-packs.md states them.
DEFAULT_QUORUM = 1
DEFAULT_SPREAD_FLAG_POINTS = 2
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    weight: int
    guidance: str
    descriptors: tuple[str, ...]


def rubric_for(fund_code: str, assessment: Mapping) -> list[Criterion]:
    """The criteria a fund's applications are scored against: the fund's own rubric where the
    pack gives one, the office's otherwise; each with its 0-5 descriptors."""
    rows = assessment.get("funds", {}).get(fund_code, {}).get("rubric") or assessment.get(
        "rubric", []
    )
    default = tuple(assessment.get("descriptors") or ())
    return [
        Criterion(
            code=row["code"],
            title=row["title"],
            weight=int(row["weight"]),
            guidance=row.get("guidance", ""),
            descriptors=tuple(row.get("descriptors") or default),
        )
        for row in rows
    ]


def weighted_total(scores: Mapping[str, int], rubric: Iterable[Criterion]) -> Decimal:
    """A member's total out of 100: each score out of 5 times its weight (weights add to 100).
    Criteria not scored count as nothing."""
    total = sum(
        (Decimal(scores[c.code]) * c.weight for c in rubric if c.code in scores), Decimal(0)
    )
    return (total / MAX_SCORE).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal | int]) -> Decimal | None:
    values = [Decimal(v) for v in values]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def spread(values: Iterable[int]) -> int:
    """Highest score less lowest; 0 for fewer than two scores."""
    values = list(values)
    return max(values) - min(values) if len(values) > 1 else 0


def spread_flag_points(assessment: Mapping) -> Decimal:
    return Decimal(str(assessment.get("spread_flag_points", DEFAULT_SPREAD_FLAG_POINTS)))


def is_wide(spread_points: int, assessment: Mapping) -> bool:
    """Members' scores for a criterion differ by more than the pack allows."""
    return Decimal(spread_points) > spread_flag_points(assessment)


def panel_quorum(assessment: Mapping) -> int:
    return int(assessment.get("panel_quorum", DEFAULT_QUORUM))


def independent_member_required(assessment: Mapping) -> bool:
    return bool(assessment.get("independent_member_required", False))


def quorum_problems(standings: list[str], assessment: Mapping) -> list[str]:
    """Why a meeting with attendees of these standings is not quorate; empty if it is."""
    from commissioning.assessment.models import Standing

    problems = []
    quorum = panel_quorum(assessment)
    if len(standings) < quorum:
        problems.append(
            _("The meeting is not quorate: %(quorum)s panel members must attend and %(count)s did.")
            % {"quorum": quorum, "count": len(standings)}
        )
    if independent_member_required(assessment) and Standing.INDEPENDENT not in standings:
        problems.append(
            _("The meeting is not quorate: an independent member must attend and none did.")
        )
    return problems


@dataclass(frozen=True)
class CriterionSummary:
    criterion: Criterion
    mean: Decimal | None
    spread: int
    wide: bool


@dataclass(frozen=True)
class Summary:
    """Moderation figures for one application: each member's weighted total, their mean and
    spread, and per criterion the mean score, the spread and whether it is flagged wide."""

    totals: list[Decimal]
    mean_total: Decimal | None
    total_spread: Decimal
    criteria: list[CriterionSummary]

    @property
    def flagged(self) -> bool:
        return any(c.wide for c in self.criteria)


def summarise(
    sheets: list[Mapping[str, int]], rubric: list[Criterion], assessment: Mapping
) -> Summary:
    totals = [weighted_total(scores, rubric) for scores in sheets]
    criteria = []
    for criterion in rubric:
        given = [scores[criterion.code] for scores in sheets if criterion.code in scores]
        points = spread(given)
        criteria.append(
            CriterionSummary(
                criterion=criterion,
                mean=mean(given),
                spread=points,
                wide=is_wide(points, assessment),
            )
        )
    return Summary(
        totals=totals,
        mean_total=mean(totals),
        total_spread=(max(totals) - min(totals)) if len(totals) > 1 else Decimal("0.00"),
        criteria=criteria,
    )


def part_funding_problem(
    amount: Decimal, requested: Decimal | None, fraction: Decimal | None
) -> str | None:
    """Why an amount cannot be awarded against the request; None if it can."""
    if amount <= 0:
        return _("Enter an amount more than £0")
    if requested is None or amount >= requested:
        if requested is not None and amount > requested:
            return _("The amount cannot be more than the £%(requested)s requested") % {
                "requested": f"{requested:,.2f}"
            }
        return None
    if fraction is None:
        return _("This fund does not award part of what was asked for")
    floor = (requested * fraction).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    if amount < floor:
        return _("A part award from this fund must be at least £%(floor)s") % {
            "floor": f"{floor:,.2f}"
        }
    return None


def partial_funding_min_fraction(fund_code: str, assessment: Mapping) -> Decimal | None:
    """The smallest share of the request that may be awarded in part; None: no part funding."""
    value = assessment.get("funds", {}).get(fund_code, {}).get("partial_funding_min_fraction")
    return None if value is None else Decimal(str(value))


def allocation_limits(assessment: Mapping) -> dict[str, Decimal]:
    limits = assessment.get("allocation", {})
    return {
        key: Decimal(str(limits[key]))
        for key in ("area_share_min", "area_share_max", "priority_share_min", "priority_share_max")
        if limits.get(key) is not None
    }
