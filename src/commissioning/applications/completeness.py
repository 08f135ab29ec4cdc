"""What an application still lacks before it can be submitted, step by step, in plain English.

`missing_parts` reads an application with its rows (prefetched by the caller) and the office's
application rules; it writes nothing.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from commissioning.applications.rules import required_sections
from commissioning.applications.screening.rules import months_spanned


@dataclass(frozen=True)
class Missing:
    step: str
    field: str
    message: str


def missing_parts(
    application, *, application_policy: dict, endorsements_required: list
) -> list[Missing]:
    """What is still missing, step by step in the order of the task list."""
    sections = set(required_sections(application.amount_requested, application_policy))
    return [
        *_about(application, sections),
        *_need(application, sections),
        *_priorities(application, application_policy),
        *_beneficiaries(application),
        *_outcomes(application, sections),
        *_budget(application, sections),
        *_more(application, sections),
        *_endorsements(application, endorsements_required),
        *_declarations(application),
    ]


def _unmet(step: str, checks) -> list[Missing]:
    """The checks of one step, each (field, ok, message) in the order of its page, that fail."""
    return [Missing(step, field, message) for field, ok, message in checks if not ok]


def _about(a, sections: set[str]) -> list[Missing]:
    checks = [
        ("title", a.title, _("Enter a project title")),
        (
            "short_description",
            a.short_description,
            _("Enter a short description of the project for publication"),
        ),
        ("amount_requested", a.amount_requested, _("Enter the amount you are asking for")),
        ("starts_on", a.starts_on, _("Enter the date the project starts")),
        ("ends_on", a.ends_on, _("Enter the date the project ends")),
        ("is_pilot", a.is_pilot is not None, _("Say whether the project is a pilot")),
    ]
    limit = a.fund.pilot_max_months
    if a.is_pilot and limit and a.starts_on and a.ends_on:
        checks.append(
            (
                "ends_on",
                months_spanned(a.starts_on, a.ends_on) <= limit,
                _("Pilots of this fund last at most %(months)s months") % {"months": limit},
            )
        )
    checks.append(
        (
            "is_continuation",
            a.is_continuation is not None,
            _("Say whether this continues earlier funding"),
        )
    )
    if "senior_officer" in sections:
        checks += [
            (
                "senior_officer_name",
                a.senior_officer_name,
                _("Enter the name of the senior officer responsible for the project"),
            ),
            ("senior_officer_role", a.senior_officer_role, _("Enter the senior officer's role")),
            (
                "senior_officer_email",
                a.senior_officer_email,
                _("Enter the senior officer's e-mail address"),
            ),
        ]
    return _unmet("about", checks)


def _need(a, sections: set[str]) -> list[Missing]:
    checks = []
    if "need_evidence" in sections:
        checks.append(
            (
                "need_and_evidence",
                a.need_and_evidence,
                _("Describe the need and the evidence for it"),
            )
        )
    if "activities" in sections:
        checks.append(("activities", a.activities, _("Describe what you will do")))
    return _unmet("need", checks)


def _priorities(a, application_policy: dict) -> list[Missing]:
    min_priorities = application_policy.get("min_plan_priorities", 1)
    return _unmet(
        "priorities",
        [
            (
                "priorities",
                len(a.priorities.all()) >= max(min_priorities, 1),
                _("Choose at least one priority of the Police and Crime Plan"),
            ),
            ("areas", len(a.areas.all()) >= 1, _("Choose the areas the project serves")),
        ],
    )


def _beneficiaries(a) -> list[Missing]:
    return _unmet(
        "beneficiaries",
        [
            ("beneficiaries_count", a.beneficiaries_count, _("Enter how many people will benefit")),
            (
                "beneficiaries_description",
                a.beneficiaries_description,
                _("Describe who will benefit"),
            ),
            (
                "involves_children_or_vulnerable_adults",
                a.involves_children_or_vulnerable_adults is not None,
                _("Say whether the project works with children or vulnerable adults"),
            ),
        ],
    )


def _outcomes(a, sections: set[str]) -> list[Missing]:
    checks = []
    if "outcomes" in sections:
        checks.append(
            (
                "outcomes",
                len(a.outcomes.all()) >= 1,
                _("Add at least one outcome with how you will measure it"),
            )
        )
    if "outputs" in sections:
        checks.append(("outputs", len(a.outputs.all()) >= 1, _("Add at least one output")))
    return _unmet("outcomes", checks)


def _budget(a, sections: set[str]) -> list[Missing]:
    """Costs are given, and they add up to at least the amount asked for and at most that
    plus the match funding."""
    if "budget" not in sections:
        return []
    lines = a.budget_lines.all()
    checks = [("budget_lines", len(lines) >= 1, _("Add the costs of the project"))]
    if lines and a.amount_requested is not None:
        total = sum(line.amount for line in lines)
        covered = a.amount_requested + sum(m.amount for m in a.match_funding.all())
        checks.append(
            (
                "budget_lines",
                total >= a.amount_requested,
                _("The costs (£%(total)s) are less than the amount you ask for (£%(amount)s)")
                % {"total": f"{total:,.2f}", "amount": f"{a.amount_requested:,.2f}"},
            )
        )
        checks.append(
            (
                "budget_lines",
                total <= covered,
                _(
                    "The costs (£%(total)s) are more than the amount asked for plus match "
                    "funding (£%(covered)s): add the match funding that covers the rest"
                )
                % {"total": f"{total:,.2f}", "covered": f"{covered:,.2f}"},
            )
        )
    return _unmet("budget", checks)


def _more(a, sections: set[str]) -> list[Missing]:
    """The sections the amount asked for calls for (each an answer of the same name), and what
    earlier funding delivered if this continues it."""
    asked = [
        (
            "sustainability",
            _("Describe how the project or its outcomes will continue after the funding"),
        ),
        ("risks", _("Describe the risks and how you will manage them")),
        ("evaluation", _("Describe how you will evaluate the project")),
        ("partnership", _("Describe your partners and their support")),
    ]
    checks = [(name, getattr(a, name), message) for name, message in asked if name in sections]
    if a.is_continuation:
        checks.append(
            (
                "previous_funding",
                a.previous_funding,
                _("Describe what the earlier funding delivered"),
            )
        )
    return _unmet("more", checks)


def _endorsements(a, endorsements_required: list) -> list[Missing]:
    named = {e.kind for e in a.endorsements.all()}
    return _unmet(
        "endorsements",
        [
            (
                required["kind"],
                required["kind"] in named,
                _("Name your endorser: %(what)s") % {"what": required["description"]},
            )
            for required in endorsements_required
        ],
    )


def _declarations(a) -> list[Missing]:
    return _unmet(
        "declarations",
        [("declarations", a.declarations_confirmed_at, _("Confirm the declarations"))],
    )
