import math
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.internal import ratelimit
from django import forms
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commissioning.accounts.models import SIGNATORY_ROLES, Role


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open to applicants; staff accounts are created by an office administrator."""

    def get_login_redirect_url(self, request):
        """Each person lands on their own home (a safe `next` still wins; allauth checks it)."""
        return home_url_for(request.user)

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

    def pre_authenticate(self, request, **credentials) -> None:
        """As allauth, but the refusal says whether the account or the network is locked, and
        when to try again."""
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            key = self._get_login_attempts_cache_key(request, **credentials)
            raise forms.ValidationError(_locked_message(request, key)) from None


def _locked_message(request, key: str) -> str:
    """Which failed sign-in limit is reached, and in how many minutes it frees up."""
    now = time.time()
    for rate in ratelimit.get_rates(app="allauth.account", action="login_failed"):
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action="login_failed", rate=rate, key=key
        )
        history = [ts for ts in ratelimit.cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) < rate.amount:
            continue
        minutes = max(1, math.ceil((min(history) + rate.duration - now) / 60))
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        if rate.per == "key":
            return _(
                "This account is locked for now because of too many wrong passwords. "
                "Try again in %(wait)s, or reset your password."
            ) % {"wait": wait}
        return _(
            "Too many wrong passwords have been entered from your network. Try again in %(wait)s."
        ) % {"wait": wait}
    return _("Too many failed sign-in attempts. Try again in a few minutes.")


def home_url_for(user) -> str:
    """Where a person lands after signing in: an applicant on their organisations'
    applications, a panel member on their panels, a signatory on what awaits their signature;
    anyone with several roles (or none yet) on the staff home."""
    roles = list(user.memberships.active().values_list("office__slug", "role"))
    if not roles:
        if not user.is_staff and user.organisation_memberships.exists():
            return reverse("applications:mine")
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    if len(roles) == 1:
        office_slug, role = roles[0]
        if role == Role.PANEL_MEMBER:
            return reverse("assessment:panel_list", args=[office_slug])
        if role in SIGNATORY_ROLES:
            url = reverse("decisions:staff_list", args=[office_slug])
            return f"{url}?status=awaiting_signatures"
    return resolve_url(settings.LOGIN_REDIRECT_URL)
