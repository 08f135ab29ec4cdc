from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.accounts.forms import ApiTokenForm
from commissioning.accounts.mfa import session_passed_mfa
from commissioning.accounts.models import ApiToken
from commissioning.accounts.permissions import is_staff_member
from commissioning.accounts.selectors import api_tokens_of, staff_home
from commissioning.accounts.services import api_token_create, api_token_revoke
from commissioning.core.errors import DomainError


@login_required
def staff_home_view(request):
    """The signed-in home: one section per office and role; applicants see their organisations."""
    return render(
        request,
        "accounts/staff_home.html",
        {
            "offices": staff_home(request.user),
            "organisations": request.user.organisation_memberships.select_related("organisation"),
            "is_staff_member": is_staff_member(request.user),
        },
    )


def admin_login(request):
    """The admin has no sign-in form of its own: it uses the product's sign-in, which asks
    for the authenticator code and is throttled. Someone signed in whom the admin refused
    (not an administrator) is told so rather than sent round in a circle."""
    if request.user.is_authenticated:
        raise PermissionDenied
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


@login_required
def api_tokens(request):
    if not is_staff_member(request.user):
        return render(request, "404.html", status=404)
    if not session_passed_mfa(request):
        raise PermissionDenied
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": api_tokens_of(request.user), "new_token": new_token},
    )


@login_required
@require_POST
def api_token_revoke_view(request, prefix: str):
    token = get_object_or_404(ApiToken, user=request.user, prefix=prefix)
    try:
        api_token_revoke(token=token, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The token %(name)s can no longer be used.") % {"name": token.name}
        )
    return redirect("accounts:api_tokens")
