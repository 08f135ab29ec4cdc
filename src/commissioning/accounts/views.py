from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.accounts.forms import ApiTokenForm, RoleChangeForm, StaffInvitationForm
from commissioning.accounts.invitations import (
    OfficeInvitationLinkError,
    office_invitation_for_token,
)
from commissioning.accounts.mfa import session_passed_mfa
from commissioning.accounts.models import ApiToken, OfficeInvitation, OfficeMembership, Role
from commissioning.accounts.permissions import can_retry_job, is_staff_member, require
from commissioning.accounts.selectors import (
    api_tokens_of,
    failed_jobs_for,
    office_staff,
    pending_office_invitations,
    staff_home,
)
from commissioning.accounts.services import (
    MANAGE_STAFF,
    api_token_create,
    api_token_revoke,
    job_retry,
    membership_end,
    membership_role_change,
    office_invitation_accept,
    office_invitation_send,
    office_invitation_withdraw,
    user_owns_address,
)
from commissioning.core import registry
from commissioning.core.errors import DomainError
from commissioning.core.jobs import job_label
from commissioning.core.models import Job
from commissioning.offices.models import Office


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
            # Panels of the apps above accounts (panels to score, decisions to sign ...).
            "home_panels": list(registry.staff_home_panels),
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


# Staff of an office: invitations, roles


def _office_to_manage(user, office_slug: str) -> Office:
    office = Office.objects.filter(slug=office_slug).first()
    if office is None:
        raise Http404
    require(user, MANAGE_STAFF, office)
    return office


def _membership_in(office, pk: int) -> OfficeMembership:
    membership = (
        OfficeMembership.objects.active()
        .select_related("user", "office")
        .filter(office=office, pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def _add_domain_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def office_people(request, office_slug: str):
    """The office's staff and their roles, and the invitations waiting for a reply."""
    office = _office_to_manage(request.user, office_slug)
    return render(
        request,
        "accounts/people/people.html",
        {
            "office": office,
            "memberships": office_staff(office),
            "invitations": pending_office_invitations(office),
        },
    )


@login_required
def office_invite(request, office_slug: str):
    office = _office_to_manage(request.user, office_slug)
    form = StaffInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = office_invitation_send(
                office=office,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("We have sent an invitation to %(email)s.") % {"email": invitation.email},
            )
            return redirect("accounts:office_people", office.slug)
    return render(request, "accounts/people/invite.html", {"form": form, "office": office})


@login_required
@require_POST
def office_invitation_withdraw_view(request, office_slug: str, invitation_ref: str):
    office = _office_to_manage(request.user, office_slug)
    invitation = OfficeInvitation.objects.filter(office=office, ref=invitation_ref).first()
    if invitation is None:
        raise Http404
    try:
        office_invitation_withdraw(invitation=invitation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("accounts:office_people", office.slug)


@login_required
def membership_change_view(request, office_slug: str, pk: int):
    office = _office_to_manage(request.user, office_slug)
    membership = _membership_in(office, pk)
    form = RoleChangeForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            membership_role_change(
                membership=membership, role=form.cleaned_data["role"], actor=request.user
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s's role is changed.") % {"name": membership.user.get_full_name()},
            )
            return redirect("accounts:office_people", office.slug)
    return render(
        request,
        "accounts/people/change.html",
        {"form": form, "office": office, "membership": membership},
    )


@login_required
def membership_end_view(request, office_slug: str, pk: int):
    office = _office_to_manage(request.user, office_slug)
    membership = _membership_in(office, pk)
    error = None
    if request.method == "POST":
        try:
            membership_end(membership=membership, actor=request.user)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(
                request,
                _("%(name)s no longer holds the role %(role)s.")
                % {"name": membership.user.get_full_name(), "role": membership.get_role_display()},
            )
            if membership.user_id == request.user.pk:
                return redirect("accounts:staff_home")
            return redirect("accounts:office_people", office.slug)
    return render(
        request,
        "accounts/people/end.html",
        {"office": office, "membership": membership, "error": error},
        status=400 if error else 200,
    )


def office_invitation_view(request, token: str):
    """Where a staff invitation link leads. Signed out or signed in as someone else, it says
    what to do; signed in with the invited address, it asks to confirm (a link alone changes
    nothing, so mail scanners that follow links cannot accept for anyone)."""
    try:
        invitation = office_invitation_for_token(token)
    except OfficeInvitationLinkError as error:
        status = 404 if error.reason == OfficeInvitationLinkError.INVALID else 410
        return render(
            request, "accounts/people/invitation_unusable.html", {"error": error}, status=status
        )
    context = {"invitation": invitation, "office": invitation.office}
    if not request.user.is_authenticated:
        context["next"] = request.get_full_path()
        context["signup_url"] = (
            f"{reverse('account_signup')}?{urlencode({'next': context['next']})}"
        )
        return render(request, "accounts/people/invitation_signed_out.html", context)
    if not user_owns_address(request.user, invitation.email):
        return render(request, "accounts/people/invitation_wrong_account.html", context, status=403)
    if request.method == "POST":
        try:
            office_invitation_accept(invitation=invitation, user=request.user)
        except OfficeInvitationLinkError as error:
            return render(
                request, "accounts/people/invitation_unusable.html", {"error": error}, status=410
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("You are now %(role)s in %(office)s.")
                % {"role": invitation.get_role_display().lower(), "office": invitation.office.name},
            )
            return redirect("accounts:staff_home")
    return render(request, "accounts/people/invitation_accept.html", context)


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
