"""Where other parts of awards hear of variations and terminations, without this package
importing them.

- `on_award_terminated(handler)`: handler(*, award, actor, reason, now) runs inside the
  termination's transaction, after the award has moved to terminated and before its unpaid
  commitment is released. The payments code registers here to withhold the award's future
  instalments. A handler that raises a DomainError refuses the termination: nothing is kept.
- `on_variation_approved(handler)`: handler(*, variation, award, actor, now) runs inside the
  approval's transaction, after the award's amount and dates have changed and the ledger
  entries are written. The agreements code can register here to issue a new agreement version
  and the payments code to re-plan instalments."""

from collections.abc import Callable

_terminated: list[Callable] = []
_approved: list[Callable] = []


def on_award_terminated(handler: Callable) -> Callable:
    if handler not in _terminated:
        _terminated.append(handler)
    return handler


def on_variation_approved(handler: Callable) -> Callable:
    if handler not in _approved:
        _approved.append(handler)
    return handler


def award_terminated_handlers() -> tuple[Callable, ...]:
    return tuple(_terminated)


def variation_approved_handlers() -> tuple[Callable, ...]:
    return tuple(_approved)
