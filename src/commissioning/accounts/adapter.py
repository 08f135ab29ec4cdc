import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open to applicants; staff accounts are created by an office administrator."""

    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Someone who signed in moments ago (for staff: with their first authenticator set-up
        pending) is not asked for their password again; anyone else is, as usual."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or request is None or not request.user.is_authenticated:
            return required
        records = get_authentication_records(request, request.user)
        if not records:
            return required
        age = time.time() - records[-1]["at"]
        return age >= account_settings.REAUTHENTICATION_TIMEOUT
