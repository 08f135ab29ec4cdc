from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.attachments.forms import AttachmentForm
from commissioning.applications.attachments.services import attachment_add, attachment_remove
from commissioning.applications.models import Application, Attachment
from commissioning.applications.permissions import (
    application_for_applicant,
    application_for_staff,
)
from commissioning.core.errors import DomainError
from commissioning.core.uploads import download_response, uploaded_files


def _back(application: Application) -> str:
    """The page that shows the applicant's documents panel."""
    if application.is_editable:
        return reverse("applications:step", args=[application.public_id, "attachments"])
    return reverse("applications:receipt", args=[application.public_id])


def _attachment_of(application: Application, attachment_id: str) -> Attachment:
    attachment = application.attachments.filter(public_id=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def _download(attachment: Attachment):
    return download_response(
        attachment.path, filename=attachment.filename, content_type=attachment.content_type
    )


@login_required
def add(request, public_id):
    application = application_for_applicant(request.user, public_id)
    if not application.is_editable:
        messages.info(request, _("This application has been submitted, so it cannot be changed."))
        return redirect(_back(application))
    form = AttachmentForm(request.POST or None, uploaded_files(request) or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = attachment_add(
                application=application,
                actor=request.user,
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": attachment.filename})
            return redirect(_back(application))
    return render(
        request,
        "applications/attachments/add.html",
        {
            "application": application,
            "office": application.office,
            "form": form,
            "back_url": _back(application),
        },
    )


@login_required
def remove(request, public_id, attachment_id):
    application = application_for_applicant(request.user, public_id)
    attachment = _attachment_of(application, attachment_id)
    if request.method == "POST":
        try:
            attachment_remove(attachment=attachment, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(name)s has been removed.") % {"name": attachment.filename}
            )
        return redirect(_back(application))
    if not application.is_editable:
        return redirect(_back(application))
    return render(
        request,
        "applications/attachments/remove.html",
        {
            "application": application,
            "office": application.office,
            "attachment": attachment,
            "back_url": _back(application),
        },
    )


@login_required
@require_GET
def download(request, public_id, attachment_id):
    """For members of the applicant organisation."""
    application = application_for_applicant(request.user, public_id)
    return _download(_attachment_of(application, attachment_id))


@login_required
@require_GET
def staff_download(request, office_slug, reference, attachment_id):
    """For staff of the application's office."""
    office = office_for_staff(request.user, office_slug)
    application = application_for_staff(request.user, office, reference)
    return _download(_attachment_of(application, attachment_id))
