"""Due diligence rules from the office's policy pack (`assessment.due_diligence`):
`required_before_decision`, `applies_over` (an amount: only larger applications need it),
`valid_months` and the `checks` the office makes."""

import calendar
import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

CHECKS = ("financial", "non_financial", "effectiveness", "partner_views")

# The fields of a check that must all be true for a pass, by the pack's check names.
CHECK_FIELDS = {
    "financial": ("accounts_reviewed", "no_irregularities", "positive_cash"),
    "non_financial": ("safeguarding", "data_protection"),
    "effectiveness": ("effective",),
    "partner_views": ("partners_supportive",),
}
NOTE_FIELDS = {
    "financial": "financial_notes",
    "non_financial": "non_financial_notes",
    "effectiveness": "effectiveness_notes",
    "partner_views": "partner_notes",
}


def settings_of(policy) -> dict:
    """The pack's due diligence section, or {} when the office has none."""
    if policy is None:
        return {}
    return (getattr(policy, "assessment", None) or {}).get("due_diligence") or {}


def checks_of(policy) -> tuple[str, ...]:
    """The checks the office makes, in a fixed order; all four when the pack does not say."""
    listed = settings_of(policy).get("checks")
    if not listed:
        return CHECKS
    return tuple(check for check in CHECKS if check in listed)


def valid_months(policy) -> int | None:
    return settings_of(policy).get("valid_months")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(checked_on: dt.date, policy) -> dt.date:
    """The last day a check made on `checked_on` counts: that date plus the pack's
    `valid_months`."""
    months = valid_months(policy)
    if not months:
        raise ValueError("The office's policy pack sets no validity period for due diligence.")
    return add_months(checked_on, months)


def required(application, policy) -> bool:
    """Whether a decision on the application needs due diligence first (pure)."""
    section = settings_of(policy)
    if not section.get("required_before_decision"):
        return False
    threshold = section.get("applies_over")
    if threshold is None:
        return True
    amount = application.amount_requested
    return amount is not None and Decimal(amount) > Decimal(str(threshold))


def _date(day: dt.date) -> str:
    return date_format(day, "j F Y")


def blocker(*, application, today: dt.date | None = None) -> str | None:
    """A plain-English reason why a decision on the application cannot proceed for want of
    due diligence on its organisation by its office, or None when it may proceed."""
    from commissioning.organisations.due_diligence.selectors import latest_check

    policy = getattr(application.office, "policy", None)
    if not required(application, policy):
        return None
    today = today or timezone.localdate()
    check = latest_check(organisation=application.organisation, office=application.office)
    name = application.organisation.name
    if check is None:
        return _("No due diligence check has been recorded for %(name)s.") % {"name": name}
    if check.outcome == check.Outcome.FAIL:
        return _("%(name)s failed due diligence on %(date)s.") % {
            "name": name,
            "date": _date(check.checked_on),
        }
    if check.valid_until < today:
        return _("The due diligence check on %(name)s expired on %(date)s.") % {
            "name": name,
            "date": _date(check.valid_until),
        }
    return None
