"""Where other parts of awards hear that a claim has been approved.

The payments part registers its handler here (in AwardsConfig.ready) to make the on-claim
instalment releasable. Handlers run inside the approval's transaction, after the claim is
approved: a handler that raises a DomainError refuses the approval, and nothing of it is kept.
"""

from collections.abc import Callable

# handler(*, claim, actor): `claim` is the approved Claim (approved_amount set), `actor` the
# finance officer who approved it.
CLAIM_APPROVED_HOOKS: list[Callable] = []


def on_claim_approved(handler: Callable) -> Callable:
    """Register handler(*, claim, actor) to run when a claim is approved."""
    if handler not in CLAIM_APPROVED_HOOKS:
        CLAIM_APPROVED_HOOKS.append(handler)
    return handler


def claim_approved_hook(*, claim, actor) -> None:
    """Called once by `claim_approve`: runs every registered handler, in registration order."""
    for handler in tuple(CLAIM_APPROVED_HOOKS):
        handler(claim=claim, actor=actor)
