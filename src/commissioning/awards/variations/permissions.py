"""Who may propose, approve and refuse variations, and end an award early. Pure predicates on
the user's roles in the award's office and the office's sign-off tiers."""

import rules

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import roles_in
from commissioning.awards.models import AwardStatus
from commissioning.awards.variations.rules import approver_roles, terminator_roles

PROPOSERS = frozenset({Role.COMMISSIONING_OFFICER})
# An award in these states can still be varied or ended early.
OPEN_STATES = frozenset(
    {AwardStatus.OFFERED, AwardStatus.SENT, AwardStatus.SIGNED_BY_PROVIDER, AwardStatus.ACTIVE}
)


def _sign_off(office) -> dict:
    return office.policy.sign_off


@rules.predicate
def can_propose_variation(user, award) -> bool:
    return award.status in OPEN_STATES and bool(roles_in(user, award.office) & PROPOSERS)


@rules.predicate
def can_decide_variation(user, variation) -> bool:
    """A signatory of the tier the variation needs, who did not propose it."""
    if not variation.is_pending or variation.created_by_id == getattr(user, "pk", None):
        return False
    roles = approver_roles(
        variation.amount_before, variation.amount_after, _sign_off(variation.office)
    )
    return bool(roles_in(user, variation.office) & roles)


@rules.predicate
def can_terminate_award(user, award) -> bool:
    if award.status not in OPEN_STATES:
        return False
    return bool(
        roles_in(user, award.office) & terminator_roles(award.amount, _sign_off(award.office))
    )


rules.add_perm("awards.propose_variation", can_propose_variation)
rules.add_perm("awards.decide_variation", can_decide_variation)
rules.add_perm("awards.terminate_award", can_terminate_award)
