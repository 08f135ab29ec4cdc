from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from commissioning.accounts.mfa import has_totp, session_passed_mfa
from commissioning.accounts.permissions import is_staff_member

# Pages a staff member may reach before their session has passed MFA: signing in and out,
# entering a code and setting up an authenticator. Everything else needs a session that did.
OPEN_URL_NAMES = (
    "account_login",
    "account_logout",
    "account_reauthenticate",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
)
OPEN_PREFIXES = ("/static/", "/i18n/")


def _open_paths() -> set[str]:
    return {reverse(name) for name in OPEN_URL_NAMES}


class StaffMfaRequiredMiddleware:
    """Staff act only in a session that passed multi-factor sign-in (SE2).

    The check is by who the person is (staff of an office, or able to use the admin), not by
    the address they ask for. Staff without an authenticator are sent to set one up; staff
    whose session skipped the code (signed in some other way) are signed out and asked to sign
    in again, which asks for the code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and request.path not in _open_paths()
            and not request.path.startswith("/api/")
            and is_staff_member(user)
            and not session_passed_mfa(request)
        ):
            if not has_totp(user):
                messages.info(
                    request,
                    _(
                        "Set up an authenticator app to continue: staff roles need two-factor "
                        "sign-in."
                    ),
                )
                return redirect(
                    f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.path})}"
                )
            logout(request)
            messages.info(request, _("Sign in again with your authenticator app code to continue."))
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        return self.get_response(request)
