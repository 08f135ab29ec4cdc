"""Where higher apps hear that an award has been made.

The monitoring app registers here in its AppConfig.ready() (its schedule is made with the
award); the awards app never imports it. Handlers run inside the transaction that makes the
award: a handler that raises a DomainError refuses the award, and nothing of it is kept."""

from collections.abc import Callable

_made_handlers: list[Callable] = []


def on_award_made(handler: Callable) -> Callable:
    """Register handler(*, award, actor, now) to run when an award is made."""
    if handler not in _made_handlers:
        _made_handlers.append(handler)
    return handler


def award_made_handlers() -> tuple[Callable, ...]:
    return tuple(_made_handlers)
