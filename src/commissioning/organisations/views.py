from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.core import registry
from commissioning.core.errors import DomainError
from commissioning.core.uploads import download_response, uploaded_files
from commissioning.organisations import selectors
from commissioning.organisations.forms import (
    DocumentForm,
    InvitationForm,
    OrganisationForm,
    PolicyForm,
)
from commissioning.organisations.models import (
    Invitation,
    OrganisationDocument,
    OrganisationMember,
    PolicyDocument,
)
from commissioning.organisations.permissions import (
    ADD_DOCUMENTS,
    CHANGE,
    MANAGE_MEMBERS,
    can_add_documents,
    can_change_organisation,
    can_manage_members,
    organisation_for,
)
from commissioning.organisations.services import (
    invitation_accept,
    invitation_send,
    invitation_withdraw,
    member_remove,
    organisation_document_add,
    organisation_register,
    organisation_update,
    policy_document_add,
    user_has_address,
)
from commissioning.organisations.tokens import InvitationLinkError, invitation_for_token


def _add_domain_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
def organisation_list(request):
    """The organisations the user belongs to, with what each is missing."""
    memberships = list(selectors.memberships_of(request.user))
    today = timezone.localdate()
    rows = [
        (
            membership,
            selectors.policy_statuses(
                membership.organisation,
                on=today,
                policies=list(membership.organisation.policies.all()),
            ),
        )
        for membership in memberships
    ]
    return render(request, "organisations/organisation_list.html", {"rows": rows})


@login_required
def organisation_register_view(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_register(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered. You are its administrator.")
                % {"name": organisation.name},
            )
            return redirect("organisations:detail", organisation.ref)
    return render(request, "organisations/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, ref: str):
    organisation = organisation_for(request.user, ref)
    policies = list(selectors.policies_of(organisation))
    newest_first = sorted(policies, key=lambda p: (p.adopted_on, p.created_at), reverse=True)
    statuses = selectors.policy_statuses(organisation, policies=newest_first)
    shown = {s.policy.pk for s in statuses if s.policy}
    can_manage = can_manage_members(request.user, organisation)
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "statuses": statuses,
            "earlier_policies": [p for p in policies if p.pk not in shown],
            "documents": selectors.documents_of(organisation),
            "members": selectors.members_of(organisation),
            "invitations": selectors.pending_invitations(organisation) if can_manage else [],
            "can_change": can_change_organisation(request.user, organisation),
            "can_manage_members": can_manage,
            "can_add_documents": can_add_documents(request.user, organisation),
            "organisation_sections": list(registry.organisation_page_sections),
        },
    )


@login_required
def organisation_edit(request, ref: str):
    organisation = organisation_for(request.user, ref, CHANGE)
    form = OrganisationForm(
        request.POST or None, initial=OrganisationForm.initial_for(organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(organisation=organisation, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, _("The organisation's details are saved."))
            return redirect("organisations:detail", organisation.ref)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@login_required
def policy_add(request, ref: str):
    organisation = organisation_for(request.user, ref, ADD_DOCUMENTS)
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in PolicyDocument.Kind.values else {}
    form = PolicyForm(request.POST or None, uploaded_files(request) or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            policy = policy_document_add(
                organisation=organisation,
                kind=data["kind"],
                title=data["title"],
                upload=data["file"],
                adopted_on=data["adopted_on"],
                review_due_on=data["review_due_on"],
                actor=request.user,
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(
                request, _("The %(policy)s policy is on file.") % {"policy": policy.name.lower()}
            )
            return redirect(reverse("organisations:detail", args=[organisation.ref]) + "#policies")
    return render(
        request, "organisations/policy_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def document_add(request, ref: str):
    organisation = organisation_for(request.user, ref, ADD_DOCUMENTS)
    form = DocumentForm(request.POST or None, uploaded_files(request) or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = organisation_document_add(
                organisation=organisation,
                kind=data["kind"],
                title=data["title"],
                period_end=data["period_end"],
                upload=data["file"],
                actor=request.user,
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, _("%(document)s is on file.") % {"document": document.name})
            return redirect(reverse("organisations:detail", args=[organisation.ref]) + "#documents")
    return render(
        request, "organisations/document_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def policy_download(request, ref: str, policy_ref: str):
    organisation = organisation_for(request.user, ref)
    policy = PolicyDocument.objects.filter(organisation=organisation, ref=policy_ref).first()
    if policy is None:
        raise Http404
    return download_response(
        policy.file_path, filename=policy.filename, content_type=policy.content_type
    )


@login_required
def document_download(request, ref: str, document_ref: str):
    organisation = organisation_for(request.user, ref)
    document = OrganisationDocument.objects.filter(
        organisation=organisation, ref=document_ref
    ).first()
    if document is None:
        raise Http404
    return download_response(
        document.file_path, filename=document.filename, content_type=document.content_type
    )


@login_required
def member_invite(request, ref: str):
    organisation = organisation_for(request.user, ref, MANAGE_MEMBERS)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_send(
                organisation=organisation,
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
            return redirect(reverse("organisations:detail", args=[organisation.ref]) + "#members")
    return render(
        request, "organisations/member_invite.html", {"form": form, "organisation": organisation}
    )


@login_required
def member_remove_view(request, ref: str, member_ref: str):
    organisation = organisation_for(request.user, ref, MANAGE_MEMBERS)
    membership = (
        OrganisationMember.objects.select_related("user", "organisation")
        .filter(organisation=organisation, ref=member_ref)
        .first()
    )
    if membership is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            member_remove(membership=membership, actor=request.user)
        except DomainError as refusal:
            error = refusal.message
        else:
            name = membership.user.get_full_name()
            messages.success(
                request,
                _("%(name)s is no longer a member of %(organisation)s.")
                % {"name": name, "organisation": organisation.name},
            )
            if membership.user_id == request.user.pk:
                return redirect("organisations:list")
            return redirect(reverse("organisations:detail", args=[organisation.ref]) + "#members")
    return render(
        request,
        "organisations/member_remove.html",
        {"organisation": organisation, "membership": membership, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def invitation_withdraw_view(request, ref: str, invitation_ref: str):
    organisation = organisation_for(request.user, ref, MANAGE_MEMBERS)
    invitation = Invitation.objects.filter(organisation=organisation, ref=invitation_ref).first()
    if invitation is None:
        raise Http404
    try:
        invitation_withdraw(invitation=invitation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
        )
    return redirect(reverse("organisations:detail", args=[organisation.ref]) + "#members")


def invitation_view(request, token: str):
    """Where an invitation link leads. Signed out or signed in as someone else, it explains what
    to do; signed in with the invited address, it asks to confirm (a link alone changes
    nothing, so mail scanners that follow links cannot accept for anyone)."""
    try:
        invitation = invitation_for_token(token)
    except InvitationLinkError as error:
        status = 404 if error.reason == InvitationLinkError.INVALID else 410
        return render(
            request, "organisations/invitation_unusable.html", {"error": error}, status=status
        )
    context = {"invitation": invitation, "organisation": invitation.organisation}
    if not request.user.is_authenticated:
        context["next"] = request.get_full_path()
        context["signup_url"] = (
            f"{reverse('account_signup')}?{urlencode({'next': context['next']})}"
        )
        return render(request, "organisations/invitation_signed_out.html", context)
    if not user_has_address(request.user, invitation.email):
        return render(request, "organisations/invitation_wrong_account.html", context, status=403)
    if request.method == "POST":
        try:
            invitation_accept(invitation=invitation, user=request.user)
        except InvitationLinkError as error:
            return render(
                request, "organisations/invitation_unusable.html", {"error": error}, status=410
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("You are now a member of %(name)s.") % {"name": invitation.organisation.name},
            )
            return redirect("organisations:detail", invitation.organisation.ref)
    already = OrganisationMember.objects.filter(
        organisation=invitation.organisation, user=request.user
    ).exists()
    context["already_member"] = already
    return render(request, "organisations/invitation_accept.html", context)
