"""Accepting a return releases the in-arrears instalments that wait for it (AG3).

A fund's payment schedule in the pack names the reports its in-arrears instalments wait for
by key: `mid-year`, `year-end`, or the quarters `q1` to `q4` of the financial year. A return
answers to the keys of the point in the financial year its period ends at, and to its kind."""

import datetime as dt

from commissioning.awards.payments.services import instalment_return_accepted
from commissioning.monitoring.models import ReturnKind

YEAR_END_KINDS = frozenset({ReturnKind.END_OF_YEAR, ReturnKind.YEAR_END_ASSESSMENT})


def return_keys(kind: str, period_end: dt.date) -> list[str]:
    """The schedule keys an accepted return of this kind, ending on this day, answers to."""
    quarter = (period_end.month - 4) % 12 // 3 + 1  # April to June is the first quarter
    keys = [f"q{quarter}"]
    if kind == ReturnKind.MID_YEAR or quarter == 2:
        keys.append("mid-year")
    if kind in YEAR_END_KINDS or quarter == 4:
        keys.append("year-end")
    return keys


def release_instalments(*, monitoring_return, actor, now) -> None:
    """Registered with the return's acceptance: release what waits for this return. A return
    of another subject than an award (a contract, paid on invoice) releases nothing."""
    if not monitoring_return.award_id:
        return
    for key in return_keys(monitoring_return.kind, monitoring_return.period_end):
        instalment_return_accepted(
            award=monitoring_return.award,
            return_key=key,
            actor=actor,
            cause=str(monitoring_return),
        )
