from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from commissioning.accounts.mfa import has_totp
from commissioning.accounts.permissions import is_staff_member

STAFF_PREFIXES = ("/staff/", "/admin/")


def signed_in_with_mfa(request) -> bool:
    """Whether this session's sign-in used an authenticator code (so one is set up)."""
    methods = request.session.get("account_authentication_methods", [])
    return any(method.get("method") == "mfa" for method in methods)


class StaffMfaRequiredMiddleware:
    """Staff cannot act until they have set up an authenticator app (SE2).

    Once one is set up, django-allauth asks for its code at every sign-in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(STAFF_PREFIXES)
            and user.is_authenticated
            and is_staff_member(user)
            and not signed_in_with_mfa(request)
            and not has_totp(user)
        ):
            messages.info(
                request,
                _("Set up an authenticator app to continue: staff roles need two-factor sign-in."),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
