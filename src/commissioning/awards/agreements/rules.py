"""Pure rules of grant agreements: the period and pilot terms, the monitoring schedule and the
payment arrangement in words, and the template's clauses with their placeholders filled. No
database access here; document.py gathers the facts and calls these."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commissioning.applications.screening.rules import months_spanned
from commissioning.core.dates import govuk_date
from commissioning.core.errors import DomainError
from commissioning.offices.rules import MonitoringRequirement, placeholders_fill

REPORT_NAMES = {
    "mid_year": gettext_lazy("a mid-year report"),
    "end_of_year": gettext_lazy("an end-of-year report"),
    "quarterly": gettext_lazy("a quarterly report"),
    "year_end_assessment": gettext_lazy(
        "a Year End Assessment form at the end of the funding period"
    ),
    "final_evaluation": gettext_lazy("a final evaluation"),
}


def _months(n: int) -> str:
    return ngettext("%(n)s month", "%(n)s months", n) % {"n": n}


def period_terms(*, starts_on: dt.date, ends_on: dt.date, default_months: int) -> dict:
    months = months_spanned(starts_on, ends_on)
    text = _("The funding period runs from %(start)s to %(end)s (%(months)s).") % {
        "start": govuk_date(starts_on),
        "end": govuk_date(ends_on),
        "months": _months(months),
    }
    if months != default_months:
        text += " " + _("The fund's usual period is %(default)s.") % {
            "default": _months(default_months)
        }
    return {
        "starts_on": govuk_date(starts_on),
        "ends_on": govuk_date(ends_on),
        "months": months,
        "text": text,
    }


def pilot_terms(
    *,
    is_pilot: bool | None,
    starts_on: dt.date,
    ends_on: dt.date,
    max_months: int | None,
    evaluation_required: bool,
    evaluation_plan: str,
) -> dict | None:
    """A pilot's terms (CUM: at most the fund's pilot length, then an evaluation due at its
    end). Refused when the award runs longer than the fund allows a pilot to."""
    if not is_pilot:
        return None
    months = months_spanned(starts_on, ends_on)
    if max_months and months > max_months:
        raise DomainError(
            _(
                "The project is a pilot of %(months)s, longer than the %(max)s a pilot of this "
                "fund may run. Change the award's dates before drawing up its agreement."
            )
            % {"months": _months(months), "max": _months(max_months)}
        )
    text = _("The project is a pilot.")
    if max_months:
        text += " " + _(
            "A pilot of this fund runs for %(max)s at most; this one ends on %(end)s."
        ) % {
            "max": _months(max_months),
            "end": govuk_date(ends_on),
        }
    due = govuk_date(ends_on) if evaluation_required else ""
    if due:
        text += " " + _("An evaluation of the pilot is due at its end, on %(due)s.") % {"due": due}
    return {
        "max_months": max_months,
        "evaluation_due": due,
        "evaluation_plan": evaluation_plan.strip(),
        "text": text,
    }


def monitoring_terms(requirement: MonitoringRequirement, *, pilot: dict | None) -> list[str]:
    """The monitoring schedule in words, from the pack's monitoring rules for this award."""
    lines = []
    if requirement.returns_every_months:
        lines.append(
            _("A monitoring return every %(every)s, on progress against the outcomes and outputs.")
            % {"every": _months(requirement.returns_every_months)}
        )
    if requirement.meetings_every_months:
        lines.append(
            _("A monitoring meeting with the office every %(every)s.")
            % {"every": _months(requirement.meetings_every_months)}
        )
    for report in requirement.reports:
        name = REPORT_NAMES.get(report, report.replace("_", " "))
        lines.append(_("%(report)s.") % {"report": str(name)[0].upper() + str(name)[1:]})
    if pilot and pilot["evaluation_due"]:
        lines.append(
            _("An evaluation of the pilot, due on %(due)s.") % {"due": pilot["evaluation_due"]}
        )
    if not lines:
        lines.append(_("A final report at the end of the funding period."))
    return lines


def clauses_filled(clauses: list[dict], values: dict[str, str]) -> list[dict]:
    return [
        {
            "number": index,
            "heading": placeholders_fill(clause["heading"], values),
            "text": placeholders_fill(clause["text"], values),
            "covers": list(clause.get("covers", [])),
        }
        for index, clause in enumerate(clauses, start=1)
    ]
