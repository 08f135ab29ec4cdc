"""Where higher apps hear that a decision record has been signed.

The awards app registers here in its AppConfig.ready(); the decisions app never imports it.
Handlers run inside the signing transaction, after the applications are decided: a handler
that raises a DomainError refuses the last signature, and nothing of it is kept."""

from collections.abc import Callable
from dataclasses import dataclass

_signed_handlers: list[Callable] = []


def on_decision_signed(handler: Callable) -> Callable:
    """Register handler(*, decision, links, actor, now) to run when a record is fully signed.
    `links` are the record's approved lines (DecisionApplication rows)."""
    if handler not in _signed_handlers:
        _signed_handlers.append(handler)
    return handler


def decision_signed_handlers() -> tuple[Callable, ...]:
    return tuple(_signed_handlers)


@dataclass(frozen=True)
class SubjectKind:
    """Something other than applications that a decision record can decide, named by the higher
    app that owns it: `link(decision)` gives the staff page of the thing decided, or None."""

    code: str
    label: str
    link: Callable | None = None


_subject_kinds: dict[str, SubjectKind] = {}


def subject_kind_register(kind: SubjectKind) -> None:
    _subject_kinds[kind.code] = kind


def subject_kind(code: str) -> SubjectKind | None:
    return _subject_kinds.get(code)
