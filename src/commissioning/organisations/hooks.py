"""Where higher apps hear that an organisation's details have changed.

The awards app registers here in its AppConfig.ready() (the public register searches its awards
by the organisation's name); the organisations app never imports it. Handlers run inside the
transaction that saves the change: a handler that raises refuses the change, and nothing of it
is kept."""

from collections.abc import Callable

_updated_handlers: list[Callable] = []


def on_organisation_updated(handler: Callable) -> Callable:
    """Register handler(*, organisation, changed, actor) to run when an organisation's details
    change; `changed` names the fields that did."""
    if handler not in _updated_handlers:
        _updated_handlers.append(handler)
    return handler


def organisation_updated_handlers() -> tuple[Callable, ...]:
    return tuple(_updated_handlers)
