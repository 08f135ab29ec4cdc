from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.accounts.forms import ApiTokenForm
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


@login_required
def api_tokens(request):
    if not is_staff_member(request.user):
        return render(request, "404.html", status=404)
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
