"""What else than awards monitoring can monitor, named by the higher app that owns it.

A higher app (procurement, for its contracts) registers a `MonitoredKind` in its
AppConfig.ready(); monitoring never imports it. A schedule of that kind is made with
`services.schedule_make_for_subject`, which refuses a kind nobody registered. Everything else
monitoring needs (the office, the organisation whose members report, the title, dates, the
measures and the items reported on) is given when the schedule is made and kept on it, so the
pages and the reminders read monitoring's own tables only."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MonitoredKind:
    """`label` names one such thing ("Contract"); `link(office, reference)` gives the office
    staff's page of it, or None."""

    code: str
    label: str
    link: Callable | None = None


_kinds: dict[str, MonitoredKind] = {}


def monitored_kind_register(kind: MonitoredKind) -> None:
    _kinds[kind.code] = kind


def monitored_kind(code: str) -> MonitoredKind | None:
    return _kinds.get(code)
