"""Read queries for variations and terminations: an award's variations for its page and the
API, what it has committed and been paid in each financial year, and its current outcomes."""

from decimal import Decimal

from django.db.models import Sum

from commissioning.awards.models import EntryKind, LedgerEntry
from commissioning.awards.variations.models import Variation, VariationStatus
from commissioning.core.money import PENNY

ZERO = Decimal("0.00")


def award_variations(award):
    """The award's variations, oldest first, with who proposed and decided: one query."""
    return (
        Variation.objects.filter(award=award)
        .select_related("created_by", "decided_by", "decision")
        .order_by("number")
    )


def award_year_figures(award) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """What the award has committed (net of releases) and been paid (net of clawbacks) in each
    financial year, summed from its ledger entries in one query."""
    committed: dict[int, Decimal] = {}
    paid: dict[int, Decimal] = {}
    signs = {
        EntryKind.COMMITMENT: (committed, 1),
        EntryKind.RELEASE: (committed, -1),
        EntryKind.PAYMENT: (paid, 1),
        EntryKind.CLAWBACK: (paid, -1),
    }
    rows = (
        LedgerEntry.objects.filter(award=award, kind__in=list(signs))
        .order_by()
        .values("budget__financial_year", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        into, sign = signs[row["kind"]]
        year = row["budget__financial_year"]
        into[year] = into.get(year, ZERO) + sign * Decimal(row["total"]).quantize(PENNY)
    return committed, paid


def application_outcomes_text(application) -> str:
    """The outcomes the application promised, one a line."""
    lines = []
    for outcome in application.outcomes.order_by("position", "id"):
        line = outcome.description
        if outcome.target:
            line += f" ({outcome.indicator}: {outcome.baseline} to {outcome.target})"
        lines.append(line)
    return "\n".join(lines)


def award_outcomes(award) -> str:
    """The award's outcomes now: those of its latest approved variation of outcomes, or else
    the application's. The agreement and monitoring read them from here."""
    latest = (
        Variation.objects.filter(award=award, status=VariationStatus.APPROVED)
        .exclude(outcomes_after="")
        .order_by("-number")
        .values_list("outcomes_after", "outcomes_before")
    )
    for after, before in latest:
        if after.strip() != before.strip():
            return after
    return application_outcomes_text(award.application)


def award_termination(award):
    from commissioning.awards.variations.models import Termination

    return Termination.objects.filter(award=award).select_related("actor").first()
