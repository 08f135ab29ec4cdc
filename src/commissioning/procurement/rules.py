"""Pure rules of procurement, read from the office's policy pack (its `procurement` section):
the route a value takes, the published quality and cost split and criteria, a bid's weighted
score, the longest a contract may run, how often a contract's return falls due, the ocid of a
contracting process. No database access here."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from commissioning.awards.rules import add_months
from commissioning.offices.rules import ProcurementRoute, procurement_route

# Where the pack is silent (docs/policy-packs.md, "procurement").
DEFAULT_SPLIT = {"quality": 0, "cost": 100}
DEFAULT_CRITERIA = ({"code": "quality", "title": "Quality", "weight": 100, "kind": "quality"},)
SCORE_MAX = 5
TWO_PLACES = Decimal("0.01")


def route_for(value: Decimal, procurement: dict) -> ProcurementRoute:
    """The route of a purchase of this value under the pack's bands (from <= value < below)."""
    return procurement_route(Decimal(value), procurement)


def quality_cost_split(procurement: dict) -> tuple[int, int]:
    split = procurement.get("quality_cost_split") or DEFAULT_SPLIT
    return int(split["quality"]), int(split["cost"])


def tender_criteria(procurement: dict) -> list[dict]:
    """The quality criteria, each {code, title, weight, kind}; social value and local
    suppliers among them only where the pack weighs them."""
    return [
        {k: c[k] for k in ("code", "title", "weight", "kind")}
        for c in procurement.get("tender_criteria") or DEFAULT_CRITERIA
    ]


def independent_member_required(procurement: dict) -> bool:
    return bool(procurement.get("independent_member_on_tender_panels", False))


def panel_min_members(procurement: dict) -> int:
    return int(procurement.get("evaluation_panel_min_members", 1))


def max_contract_months(procurement: dict) -> int | None:
    years = procurement.get("max_contract_years")
    return int(years) * 12 if years else None


def contract_returns_every_months(procurement: dict) -> int:
    return int(procurement.get("contract_returns_every_months", 3))


def contract_length_problem(
    starts_on: dt.date, ends_on: dt.date, extension_months: int, procurement: dict
) -> str | None:
    """Why a contract of these dates and extension options may not be let, or None."""
    if ends_on < starts_on:
        return _("The contract must end after it starts.")
    months = max_contract_months(procurement)
    if months is None:
        return None
    latest = add_months(starts_on, months) - dt.timedelta(days=1)
    longest = add_months(ends_on + dt.timedelta(days=1), extension_months) - dt.timedelta(days=1)
    if longest > latest:
        return _(
            "A contract may run for at most %(years)s years, extensions included: this one "
            "would run to %(end)s, after %(latest)s."
        ) % {
            "years": months // 12,
            "end": longest.strftime("%-d %B %Y"),
            "latest": latest.strftime("%-d %B %Y"),
        }
    return None


@dataclass(frozen=True)
class BidResult:
    bid_id: int
    quality: Decimal  # out of the quality share
    cost: Decimal  # out of the cost share
    total: Decimal  # out of 100


def quality_points(average_scores: dict[str, Decimal], criteria: list[dict], share: int) -> Decimal:
    """The quality share earned: each criterion's average score out of 5, weighted."""
    total_weight = sum(c["weight"] for c in criteria) or 1
    earned = sum(
        Decimal(average_scores.get(c["code"], 0)) / SCORE_MAX * c["weight"] for c in criteria
    )
    return (Decimal(share) * earned / total_weight).quantize(TWO_PLACES, ROUND_HALF_UP)


def cost_points(price: Decimal, lowest: Decimal, share: int) -> Decimal:
    """The cost share earned: the lowest price earns it all, others in proportion."""
    return (Decimal(share) * lowest / price).quantize(TWO_PLACES, ROUND_HALF_UP)


def evaluate(
    bids: list[tuple[int, Decimal, dict[str, Decimal]]],
    criteria: list[dict],
    quality_weight: int,
    cost_weight: int,
) -> list[BidResult]:
    """Each bid's score under the published split, best first. `bids` are (id, price,
    {criterion code: average score})."""
    if not bids:
        return []
    lowest = min(price for _id, price, _scores in bids)
    results = []
    for bid_id, price, scores in bids:
        quality = quality_points(scores, criteria, quality_weight)
        cost = cost_points(price, lowest, cost_weight)
        results.append(BidResult(bid_id, quality, cost, quality + cost))
    return sorted(results, key=lambda r: (-r.total, r.bid_id))


def ocid(prefix: str, reference: str) -> str:
    """The contracting process's ocid: the office's registered prefix, then the reference."""
    return f"{prefix}-{reference}"
