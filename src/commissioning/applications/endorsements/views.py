from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commissioning.applications.endorsements.forms import EndorsementResponseForm, EndorserForm
from commissioning.applications.endorsements.services import (
    EndorsementLinkError,
    endorsement_add,
    endorsement_for_token,
    endorsement_remove,
    endorsement_request,
    endorsement_respond,
    required_kinds,
)
from commissioning.applications.models import Application, Endorsement
from commissioning.applications.permissions import (
    application_for_applicant,
    application_for_staff,
    office_for_staff,
)
from commissioning.core.errors import DomainError


def _back(application: Application) -> str:
    """The page that shows the applicant's endorsements panel: the form's step while the
    application is a draft, the receipt once it has been submitted."""
    if application.is_editable:
        return reverse("applications:step", args=[application.public_id, "endorsements"])
    return reverse("applications:receipt", args=[application.public_id])


def _endorsement_of(application: Application, kind: str) -> Endorsement:
    endorsement = application.endorsements.filter(kind=kind).first()
    if endorsement is None:
        raise Http404
    return endorsement


@login_required
def add(request, public_id):
    application = application_for_applicant(request.user, public_id)
    if not application.is_editable:
        messages.info(request, _("This application has been submitted, so it cannot be changed."))
        return redirect(_back(application))
    named = set(application.endorsements.values_list("kind", flat=True))
    kinds = {k: d for k, d in required_kinds(application).items() if k not in named}
    if not kinds:
        messages.info(request, _("You have named an endorser for everything the fund asks for."))
        return redirect(_back(application))
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") in kinds else None
    form = EndorserForm(request.POST or None, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            endorsement = endorsement_add(
                application=application, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("%(name)s has been added. Send them a request when you are ready.")
                % {"name": endorsement.endorser_name},
            )
            return redirect(_back(application))
    return render(
        request,
        "applications/endorsements/add.html",
        {
            "application": application,
            "office": application.office,
            "form": form,
            "kinds": kinds,
            "back_url": _back(application),
        },
    )


@login_required
def remove(request, public_id, kind):
    application = application_for_applicant(request.user, public_id)
    endorsement = _endorsement_of(application, kind)
    if request.method == "POST":
        try:
            endorsement_remove(endorsement=endorsement, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(name)s has been removed.") % {"name": endorsement.endorser_name}
            )
        return redirect(_back(application))
    if not application.is_editable:
        return redirect(_back(application))
    return render(
        request,
        "applications/endorsements/remove.html",
        {
            "application": application,
            "office": application.office,
            "endorsement": endorsement,
            "back_url": _back(application),
        },
    )


@login_required
@require_POST
def send_request(request, public_id, kind):
    application = application_for_applicant(request.user, public_id)
    _send(request, _endorsement_of(application, kind))
    return redirect(_back(application))


@login_required
@require_POST
def staff_send_request(request, office_slug, reference, kind):
    """An officer sends (or sends again) the request while the application is being checked."""
    office = office_for_staff(request.user, office_slug)
    application = application_for_staff(request.user, office, reference)
    if not request.user.has_perm("applications.screen_application", application):
        raise Http404
    endorsement = _endorsement_of(application, kind)
    _send(request, endorsement)
    return redirect("applications:staff_application", office.slug, application.reference)


def _send(request, endorsement: Endorsement) -> None:
    try:
        endorsement_request(endorsement=endorsement, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("We have e-mailed %(name)s a link to answer. It works for 14 days.")
            % {"name": endorsement.endorser_name},
        )


@never_cache
def respond(request, token):
    """The endorser's page: no account, only the signed link."""
    try:
        endorsement = endorsement_for_token(token)
    except EndorsementLinkError as problem:
        return _link_problem(request, problem)
    application = endorsement.application
    form = EndorsementResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endorsement_respond(
                token=token,
                confirms=form.cleaned_data["supports"],
                comment=form.cleaned_data["comment"],
            )
        except EndorsementLinkError as problem:
            return _link_problem(request, problem)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("endorsements:respond", token)
    return render(
        request,
        "applications/endorsements/respond.html",
        {
            "endorsement": endorsement,
            "application": application,
            "office": application.office,
            "what": required_kinds(application).get(
                endorsement.kind, endorsement.get_kind_display()
            ),
            "form": form,
        },
    )


def _link_problem(request, problem: EndorsementLinkError):
    if problem.reason == "answered":
        endorsement = problem.endorsement
        return render(
            request,
            "applications/endorsements/answered.html",
            {
                "endorsement": endorsement,
                "application": endorsement.application,
                "office": endorsement.application.office,
            },
        )
    return render(
        request,
        "applications/endorsements/link_problem.html",
        {"problem": problem},
        status=404 if problem.reason == "invalid" else 410,
    )
