from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def demo_totp_code(user) -> str:
    """The current sign-in code of a demo account, shown only when the demo is running."""
    if not settings.DEMO_MODE or user is None:
        return ""
    from commissioning.accounts.mfa import totp_current_code

    try:
        return totp_current_code(user)
    except Exception:  # noqa: BLE001 - no authenticator: show nothing
        return ""
