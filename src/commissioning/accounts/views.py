from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.accounts.forms import ApiTokenForm
from commissioning.accounts.models import ApiToken, Role
from commissioning.accounts.permissions import can_retry_job, is_staff_member
from commissioning.accounts.selectors import api_tokens_of, failed_jobs_for, staff_home
from commissioning.accounts.services import api_token_create, api_token_revoke, job_retry
from commissioning.core.errors import DomainError
from commissioning.core.jobs import job_label
from commissioning.core.models import Job


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


def _may_see_failed_jobs(user) -> bool:
    return user.is_superuser or user.memberships.active().filter(role=Role.OFFICE_ADMIN).exists()


@login_required
def failed_jobs(request):
    """Background work that still failed after its retries, for the office administrator."""
    if not _may_see_failed_jobs(request.user):
        return render(request, "404.html", status=404)
    jobs = list(failed_jobs_for(request.user))
    for job in jobs:
        job.label = job_label(job)
    return render(request, "accounts/failed_jobs.html", {"jobs": jobs})


@login_required
@require_POST
def failed_job_retry_view(request, job_id: int):
    job = Job.objects.select_related("office").filter(pk=job_id).first()
    if job is None or not can_retry_job(request.user, job):
        raise Http404
    try:
        job_retry(job=job, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(job)s will be tried again now. If it fails again, it comes back to this list.")
            % {"job": job_label(job)},
        )
    return redirect("accounts:failed_jobs")
