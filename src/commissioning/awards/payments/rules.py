"""Pure rules of payment schedules: how an award is split into instalments, to the penny, and
when each falls due. No database access here.

A fund's schedule comes from its policy pack (`payment_schedule`, docs/policy-packs.md):

- upfront: the whole award once the agreement is countersigned;
- phased: `instalments` equal parts, the first at the start of the award, the rest spread
  evenly over its period; each needs the agreement countersigned and not paid before it is due;
- in_arrears: one instalment after each named monitoring return (`returns`), paid once the
  office accepts that return;
- on_claim: `instalments` parts, each paid against an approved claim.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

UPFRONT, PHASED, IN_ARREARS, ON_CLAIM = "upfront", "phased", "in_arrears", "on_claim"
KINDS = (UPFRONT, PHASED, IN_ARREARS, ON_CLAIM)
AGREEMENT, RETURN, CLAIM = "agreement", "return", "claim"
DEFAULT_SCHEDULE = {"kind": UPFRONT}
PENCE = Decimal("0.01")


@dataclass(frozen=True)
class PlannedInstalment:
    sequence: int
    label: str
    amount: Decimal
    due_on: dt.date
    condition: str  # agreement, return or claim
    condition_label: str
    return_key: str = ""


def split_pence(amount: Decimal, parts: int) -> list[Decimal]:
    """`amount` in `parts` as equal as pence allow: the first instalments take the odd pence,
    so the parts add up exactly and none is negative. Never more parts than there are pence."""
    pence = int((Decimal(amount) / PENCE).to_integral_value())
    if pence <= 0:
        return []
    parts = max(1, min(parts, pence))
    base, extra = divmod(pence, parts)
    return [Decimal(base + (1 if i < extra else 0)) * PENCE for i in range(parts)]


def _point(starts_on: dt.date, ends_on: dt.date, fraction_num: int, fraction_den: int) -> dt.date:
    """The day a fraction of the way through the period (0 is the start, 1 the end)."""
    days = (ends_on - starts_on).days
    return starts_on + dt.timedelta(days=days * fraction_num // fraction_den)


def schedule_of(payment_schedule: dict | None) -> dict:
    schedule = dict(payment_schedule or DEFAULT_SCHEDULE)
    if schedule.get("kind") not in KINDS:
        schedule = dict(DEFAULT_SCHEDULE)
    return schedule


def plan(
    amount: Decimal, starts_on: dt.date, ends_on: dt.date, payment_schedule: dict | None
) -> list[PlannedInstalment]:
    """The instalments of an award of `amount` running from `starts_on` to `ends_on`."""
    schedule = schedule_of(payment_schedule)
    kind = schedule["kind"]
    agreement = _("the grant agreement countersigned")
    if kind == UPFRONT:
        parts = split_pence(amount, 1)
        return [
            PlannedInstalment(
                1, _("Payment on the signed agreement"), parts[0], starts_on, AGREEMENT, agreement
            )
        ]
    if kind == IN_ARREARS:
        returns = schedule.get("returns") or [
            {"key": f"return-{i + 1}", "label": _("monitoring return %(n)s") % {"n": i + 1}}
            for i in range(int(schedule.get("instalments") or 1))
        ]
        parts = split_pence(amount, len(returns))
        return [
            PlannedInstalment(
                i + 1,
                _("Payment in arrears after %(report)s") % {"report": returns[i]["label"]},
                part,
                _point(starts_on, ends_on, i + 1, len(parts)),
                RETURN,
                _("%(report)s accepted") % {"report": returns[i]["label"]},
                returns[i]["key"],
            )
            for i, part in enumerate(parts)
        ]
    parts = split_pence(amount, int(schedule.get("instalments") or 1))
    n = len(parts)
    if kind == PHASED:
        return [
            PlannedInstalment(
                i + 1,
                _("Instalment %(i)s of %(n)s") % {"i": i + 1, "n": n},
                part,
                _point(starts_on, ends_on, i, n),
                AGREEMENT,
                agreement,
            )
            for i, part in enumerate(parts)
        ]
    return [
        PlannedInstalment(
            i + 1,
            _("Claim %(i)s of %(n)s") % {"i": i + 1, "n": n},
            part,
            _point(starts_on, ends_on, i + 1, n),
            CLAIM,
            _("a claim approved"),
        )
        for i, part in enumerate(parts)
    ]


def describe(payment_schedule: dict | None) -> str:
    """The schedule in a sentence, for the agreement and the award page."""
    schedule = schedule_of(payment_schedule)
    kind = schedule["kind"]
    if kind == UPFRONT:
        return _("Paid in full once the grant agreement is countersigned.")
    if kind == PHASED:
        return _(
            "Paid in %(n)s instalments over the award's period, the first once the grant "
            "agreement is countersigned."
        ) % {"n": schedule.get("instalments") or 1}
    if kind == IN_ARREARS:
        labels = [r["label"] for r in schedule.get("returns") or []]
        if labels:
            return _("Paid in arrears, after the office accepts each report: %(reports)s.") % {
                "reports": ", ".join(labels)
            }
        return _("Paid in arrears, after the office accepts each monitoring return.")
    return _("Paid against claims, each approved by the office, in up to %(n)s instalments.") % {
        "n": schedule.get("instalments") or 1
    }
