from django import template
from django.utils import timezone

from commissioning.organisations.due_diligence.rules import required
from commissioning.organisations.due_diligence.selectors import latest_check

register = template.Library()


@register.simple_tag
def due_diligence_status(application) -> dict:
    """What the staff application page shows about due diligence: the check that counts, and
    whether the office requires one before a decision. One query."""
    policy = getattr(application.office, "policy", None)
    check = latest_check(organisation=application.organisation, office=application.office)
    today = timezone.localdate()
    return {
        "check": check,
        "today": today,
        "required": required(application, policy),
        "valid": check is not None and check.is_valid_on(today),
        "expired": check is not None and check.valid_until < today,
    }
