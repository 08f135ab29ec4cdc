"""Office rules read from the policy pack: pure functions, no database, no I/O.

Each takes the relevant section of an OfficePolicy (as loaded from the pack) so that it can be
tested with any policy, and never names an office or a figure itself.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from commissioning.core.money import to_money


@dataclass(frozen=True)
class ProcurementRoute:
    route: str
    label: str
    quotes: int | None
    advertise: bool
    single_tender_requires_justification: bool
    independent_member_on_panel: bool


def procurement_route(value: Decimal, procurement: dict) -> ProcurementRoute:
    """The band a contract value falls in: from <= value < below (the last band has no end)."""
    if value < 0:
        raise ValueError("A contract value cannot be negative.")
    for band in procurement["bands"]:
        below = band.get("below")
        if to_money(band["from"]) <= value and (below is None or value < to_money(below)):
            return ProcurementRoute(
                route=band["route"],
                label=band["label"],
                quotes=band.get("quotes"),
                advertise=band.get("advertise", False),
                single_tender_requires_justification=procurement.get(
                    "single_tender_requires_justification", True
                ),
                independent_member_on_panel=procurement.get(
                    "independent_member_on_tender_panels", False
                ),
            )
    raise ValueError(f"No procurement band covers £{value:,}; check the policy pack.")


def required_signatories(amount: Decimal, sign_off: dict) -> tuple[str, ...]:
    """The roles that must sign a decision of this total: the tier with over < amount <= up_to."""
    if amount <= 0:
        raise ValueError("A decision must be for more than £0.")
    for tier in sign_off["tiers"]:
        up_to = tier.get("up_to")
        if to_money(tier["over"]) < amount and (up_to is None or amount <= to_money(up_to)):
            return tuple(tier["signatories"])
    raise ValueError(f"No sign-off tier covers £{amount:,}; check the policy pack.")


@dataclass(frozen=True)
class MonitoringRequirement:
    returns_every_months: int | None
    meetings_every_months: int | None
    reports: tuple[str, ...]
    rules: tuple[str, ...]


def monitoring_requirement(
    *,
    value: Decimal,
    award_form: str,
    victims_services: bool,
    fund_code: str,
    monitoring: dict,
) -> MonitoringRequirement:
    """Every rule whose conditions match applies; the most frequent interval wins."""
    returns: list[int] = []
    meetings: list[int] = []
    reports: list[str] = []
    names: list[str] = []
    for rule in monitoring["rules"]:
        when = rule.get("when", {})
        if "value_over" in when and not value > to_money(when["value_over"]):
            continue
        if "award_form" in when and when["award_form"] != award_form:
            continue
        if "victims_services" in when and when["victims_services"] != victims_services:
            continue
        if "fund_codes" in when and fund_code not in when["fund_codes"]:
            continue
        names.append(rule["name"])
        if "returns_every_months" in rule:
            returns.append(rule["returns_every_months"])
        if "meetings_every_months" in rule:
            meetings.append(rule["meetings_every_months"])
        reports.extend(r for r in rule.get("reports", []) if r not in reports)
    return MonitoringRequirement(
        returns_every_months=min(returns, default=None),
        meetings_every_months=min(meetings, default=None),
        reports=tuple(reports),
        rules=tuple(names),
    )


# Grant agreements (AG1) ------------------------------------------------------------------------

# What the clauses of every agreement template must deal with between them.
AGREEMENT_REQUIRED_TOPICS = (
    "data_protection",
    "equality",
    "safeguarding",
    "publicity",
    "records",
    "no_renewal",
    "clawback",
    "claims",
    "monitoring",
)

# The placeholders a clause may use, filled from the award when the agreement is drawn up.
AGREEMENT_PLACEHOLDERS = frozenset(
    {
        "office",
        "office_short",
        "organisation",
        "fund",
        "reference",
        "amount",
        "starts_on",
        "ends_on",
        "records_years",
        "pilot_months",
    }
)

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def placeholders_in(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """The text with each {name} replaced by its value; an unknown name is left as it is (the
    pack loader refuses those, so none reaches an agreement)."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def agreement_template_for(fund_code: str, agreements: dict) -> dict | None:
    """The template a fund's awards are made on: the one the fund names, else the first."""
    templates = agreements.get("templates") or {}
    code = (agreements.get("funds") or {}).get(fund_code) or next(iter(templates), None)
    if code is None or code not in templates:
        return None
    return {"code": code, **templates[code]}
