"""Pure rules of variations: which sign-off tier approves one, whether it needs a new decision
record, and what it moves in the ledger. The tiers are the office's pack's (decisions' rules).
No database access here."""

import datetime as dt
from decimal import Decimal

from commissioning.awards.rules import year_shares
from commissioning.decisions.rules import signing_tier

ZERO = Decimal("0.00")


def tier_index(total: Decimal, sign_off: dict) -> int:
    """The position of the pack's sign-off tier that covers this total (0 the lowest)."""
    return sign_off["tiers"].index(signing_tier(total, sign_off))


def needs_decision(before: Decimal, after: Decimal, sign_off: dict) -> bool:
    """A variation that takes the award over a sign-off threshold it was not over before needs
    a new signed decision record."""
    return after > before and tier_index(after, sign_off) > tier_index(before, sign_off)


def approver_roles(before: Decimal, after: Decimal, sign_off: dict) -> frozenset[str]:
    """Who may approve: a signatory of the tier that covers the larger of the award's total
    before and after the change."""
    return frozenset(signing_tier(max(before, after), sign_off)["signatories"])


def terminator_roles(amount: Decimal, sign_off: dict) -> frozenset[str]:
    """Who may end an award early: a signatory of the tier that made it."""
    return frozenset(signing_tier(amount, sign_off)["signatories"])


def decision_covers(required_roles, after: Decimal, sign_off: dict) -> bool:
    """Whether a decision record signed by these roles is of the tier the new total needs."""
    return set(signing_tier(after, sign_off)["signatories"]) <= set(required_roles)


def ledger_moves(
    *,
    committed: dict[int, Decimal],
    amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
) -> dict[int, Decimal]:
    """What each financial year's commitment must change by for the award to commit `amount`
    over the new dates: positive commits more, negative releases. Years already right are left
    out. `committed` is what the award has committed, net of releases, to each year now."""
    target = dict(year_shares(amount, starts_on, ends_on))
    moves = {}
    for year in sorted(set(target) | set(committed)):
        delta = target.get(year, ZERO) - committed.get(year, ZERO)
        if delta:
            moves[year] = delta
    return moves


def clawback_by_year(unspent: Decimal, paid: dict[int, Decimal]) -> dict[int, Decimal]:
    """Split a clawback over the years the award was paid from, the latest year first, never
    more from a year than was paid from it. The caller checks `unspent` is within the total."""
    left = unspent
    split = {}
    for year in sorted(paid, reverse=True):
        take = min(left, max(paid[year], ZERO))
        if take > 0:
            split[year] = take
            left -= take
    return split
