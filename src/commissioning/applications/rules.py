"""Application rules read from the office's policy pack: pure functions, no database."""

from decimal import Decimal

from commissioning.core.money import to_money

ALL_SECTIONS = (
    "need_evidence",
    "activities",
    "outcomes",
    "outputs",
    "budget",
    "match_funding",
    "sustainability",
    "previous_funding",
    "risks",
    "evaluation",
    "partnership",
)


def application_tier(amount: Decimal | None, application_policy: dict) -> dict:
    """The tier whose `up_to` first covers the amount (ESX 4.17: detail proportionate to the
    amount). With no amount yet, the smallest tier."""
    tiers = application_policy["tiers"]
    if amount is None:
        return tiers[0]
    for tier in tiers:
        if "up_to" not in tier or amount <= to_money(tier["up_to"]):
            return tier
    return tiers[-1]


def required_sections(amount: Decimal | None, application_policy: dict) -> tuple[str, ...]:
    return tuple(application_tier(amount, application_policy)["sections"])


# The optional sections each form step asks about; a step asking none of them is left out.
STEP_SECTIONS = {
    "need": ("need_evidence", "activities"),
    "outcomes": ("outcomes", "outputs"),
    "budget": ("budget",),
    "more": ("sustainability", "risks", "evaluation", "partnership"),
}


def steps_without_questions(sections, *, is_continuation: bool) -> frozenset[str]:
    """The steps with nothing to ask at this amount (earlier funding is asked in 'more')."""
    empty = {step for step, asks in STEP_SECTIONS.items() if not set(asks) & set(sections)}
    if is_continuation:
        empty.discard("more")
    return frozenset(empty)


def reference_for(*, office_code: str, fund_code: str, year: int, number: int) -> str:
    """ESX-CSDF-2026-0001."""
    return f"{office_code}-{fund_code}-{year}-{number:04d}"


def eligibility_reasons(
    *,
    fund,
    award_min: Decimal | None,
    award_max: Decimal | None,
    applicant_type: str,
    in_area: bool,
    amount: Decimal | None,
    endorsements_held: set[str],
    applicant_type_label,
) -> list[str]:
    """Why someone cannot apply, from a few answers given before registering (AP1).
    An empty list means they can."""
    from django.utils.translation import gettext as _

    from commissioning.core.money import format_pounds

    reasons = []
    if applicant_type not in fund.eligible_applicant_types:
        reasons.append(
            _("%(fund)s does not fund %(type)s applicants.")
            % {"fund": fund.name, "type": str(applicant_type_label).lower()}
        )
    if not in_area:
        reasons.append(_("The project must serve people in the office's area."))
    if amount is not None and award_max is not None and amount > award_max:
        reasons.append(
            _("%(amount)s is over the %(max)s maximum.")
            % {"amount": format_pounds(amount), "max": format_pounds(award_max)}
        )
    if amount is not None and award_min is not None and amount < award_min:
        reasons.append(
            _("%(amount)s is under the %(min)s minimum.")
            % {"amount": format_pounds(amount), "min": format_pounds(award_min)}
        )
    for required in fund.required_endorsements:
        if required["kind"] not in endorsements_held:
            reasons.append(_("You need this support: %(what)s") % {"what": required["description"]})
    return reasons
