from django import template

from commissioning.decisions.selectors import (
    decisions_awaiting_signature_of,
    decisions_of_application,
)
from commissioning.decisions.services import role_label

register = template.Library()


@register.inclusion_tag("decisions/staff/_to_sign.html", takes_context=True)
def decisions_to_sign(context, office):
    """The records in this office waiting for the signed-in user's signature."""
    user = context["user"]
    waiting = decisions_awaiting_signature_of(user, office)
    return {
        "office": office,
        "rows": [
            {"decision": w.decision, "roles": [role_label(r) for r in w.roles]} for w in waiting
        ],
    }


@register.inclusion_tag("decisions/staff/_application_decisions.html")
def application_decisions(application, office):
    """The decision records an application is in, and its letters."""
    links, letters = decisions_of_application(application)
    return {"office": office, "links": links, "letters": letters, "application": application}
