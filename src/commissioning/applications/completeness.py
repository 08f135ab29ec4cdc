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
    a = application
    sections = set(required_sections(a.amount_requested, application_policy))
    problems: list[Missing] = []

    def need(step, field, ok, message):
        if not ok:
            problems.append(Missing(step, field, message))

    need("about", "title", a.title, _("Enter a project title"))
    need(
        "about",
        "short_description",
        a.short_description,
        _("Enter a short description of the project for publication"),
    )
    need("about", "amount_requested", a.amount_requested, _("Enter the amount you are asking for"))
    need("about", "starts_on", a.starts_on, _("Enter the date the project starts"))
    need("about", "ends_on", a.ends_on, _("Enter the date the project ends"))
    need("about", "is_pilot", a.is_pilot is not None, _("Say whether the project is a pilot"))
    limit = a.fund.pilot_max_months
    if a.is_pilot and limit and a.starts_on and a.ends_on:
        need(
            "about",
            "ends_on",
            months_spanned(a.starts_on, a.ends_on) <= limit,
            _("Pilots of this fund last at most %(months)s months") % {"months": limit},
        )
    need(
        "about",
        "is_continuation",
        a.is_continuation is not None,
        _("Say whether this continues earlier funding"),
    )
    if "senior_officer" in sections:
        need(
            "about",
            "senior_officer_name",
            a.senior_officer_name,
            _("Enter the name of the senior officer responsible for the project"),
        )
        need(
            "about",
            "senior_officer_role",
            a.senior_officer_role,
            _("Enter the senior officer's role"),
        )
        need(
            "about",
            "senior_officer_email",
            a.senior_officer_email,
            _("Enter the senior officer's e-mail address"),
        )
    if "need_evidence" in sections:
        need(
            "need",
            "need_and_evidence",
            a.need_and_evidence,
            _("Describe the need and the evidence for it"),
        )
    if "activities" in sections:
        need("need", "activities", a.activities, _("Describe what you will do"))
    min_priorities = application_policy.get("min_plan_priorities", 1)
    need(
        "priorities",
        "priorities",
        len(a.priorities.all()) >= max(min_priorities, 1),
        _("Choose at least one priority of the Police and Crime Plan"),
    )
    need("priorities", "areas", len(a.areas.all()) >= 1, _("Choose the areas the project serves"))
    need(
        "beneficiaries",
        "beneficiaries_count",
        a.beneficiaries_count,
        _("Enter how many people will benefit"),
    )
    need(
        "beneficiaries",
        "beneficiaries_description",
        a.beneficiaries_description,
        _("Describe who will benefit"),
    )
    need(
        "beneficiaries",
        "involves_children_or_vulnerable_adults",
        a.involves_children_or_vulnerable_adults is not None,
        _("Say whether the project works with children or vulnerable adults"),
    )
    if "outcomes" in sections:
        need(
            "outcomes",
            "outcomes",
            len(a.outcomes.all()) >= 1,
            _("Add at least one outcome with how you will measure it"),
        )
    if "outputs" in sections:
        need("outcomes", "outputs", len(a.outputs.all()) >= 1, _("Add at least one output"))
    if "budget" in sections:
        lines = a.budget_lines.all()
        need("budget", "budget_lines", len(lines) >= 1, _("Add the costs of the project"))
        if lines and a.amount_requested is not None:
            total = sum(line.amount for line in lines)
            matched = sum(m.amount for m in a.match_funding.all())
            need(
                "budget",
                "budget_lines",
                total >= a.amount_requested,
                _("The costs (£%(total)s) are less than the amount you ask for (£%(amount)s)")
                % {"total": f"{total:,.2f}", "amount": f"{a.amount_requested:,.2f}"},
            )
            need(
                "budget",
                "budget_lines",
                total <= a.amount_requested + matched,
                _(
                    "The costs (£%(total)s) are more than the amount asked for plus match "
                    "funding (£%(covered)s): add the match funding that covers the rest"
                )
                % {"total": f"{total:,.2f}", "covered": f"{a.amount_requested + matched:,.2f}"},
            )
    if "sustainability" in sections:
        need(
            "more",
            "sustainability",
            a.sustainability,
            _("Describe how the project or its outcomes will continue after the funding"),
        )
    if "risks" in sections:
        need("more", "risks", a.risks, _("Describe the risks and how you will manage them"))
    if "evaluation" in sections:
        need("more", "evaluation", a.evaluation, _("Describe how you will evaluate the project"))
    if "partnership" in sections:
        need("more", "partnership", a.partnership, _("Describe your partners and their support"))
    if a.is_continuation:
        need(
            "more",
            "previous_funding",
            a.previous_funding,
            _("Describe what the earlier funding delivered"),
        )
    named = {e.kind for e in a.endorsements.all()}
    for required in endorsements_required:
        need(
            "endorsements",
            required["kind"],
            required["kind"] in named,
            _("Name your endorser: %(what)s") % {"what": required["description"]},
        )
    need("declarations", "declarations", a.declarations_confirmed_at, _("Confirm the declarations"))
    return problems
