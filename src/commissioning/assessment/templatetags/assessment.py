from django import template

from commissioning.assessment.panels.selectors import assignments_for
from commissioning.assessment.scoring import selectors

register = template.Library()


@register.simple_tag
def score_of(row, code: str) -> str:
    """A member's score for one criterion on a moderation table, or a dash."""
    score = row.scores.get(code)
    return "–" if score is None else str(score.score)


@register.inclusion_tag("assessment/staff/_application_panel_body.html", takes_context=True)
def application_assessment(context, application):
    """The panel, scores and agreed recommendation of an application, on its staff page."""
    request = context["request"]
    return {
        "office": context.get("office"),
        "application": application,
        **selectors.application_assessment(application, request.user),
    }


@register.inclusion_tag("assessment/staff/_assignments.html", takes_context=True)
def panel_assignments(context, office, roles):
    """On the staff home: the panels a person sits on and what they have left to do, and
    for officers a link to all the office's panels."""
    from commissioning.assessment.permissions import MANAGERS

    request = context["request"]
    return {
        "office": office,
        "assignments": assignments_for(request.user, office),
        "is_panel_member": "panel_member" in roles,
        "can_manage": bool(MANAGERS & set(roles)),
    }
