"""Staff actions on an application's screening: run it again, override one result, conclude.
Each redirects back to the staff application page, where the screening panel shows the
results. Anyone who may not screen the application gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.models import ScreeningOutcome, Status
from commissioning.applications.permissions import application_for_staff
from commissioning.applications.screening.forms import ScreeningOverrideForm
from commissioning.applications.screening.rules import RULE_TITLES
from commissioning.applications.screening.selectors import current_screening_result
from commissioning.applications.screening.services import (
    screening_conclude,
    screening_override,
    screening_run,
)
from commissioning.core.errors import DomainError


def _application_to_screen(request, office_slug: str, reference: str):
    office = office_for_staff(request.user, office_slug)
    application = application_for_staff(request.user, office, reference)
    if not request.user.has_perm("applications.screen_application", application):
        raise Http404
    return application


def _back(application):
    return redirect(
        "applications:staff_application", application.office.slug, application.reference
    )


@login_required
@require_POST
def screening_run_view(request, office_slug: str, reference: str):
    application = _application_to_screen(request, office_slug, reference)
    try:
        screening_run(application=application, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Screening run again: %(outcome)s.")
            % {"outcome": ScreeningOutcome(application.screening_outcome).label},
        )
    return _back(application)


@login_required
@require_http_methods(["GET", "POST"])
def screening_override_view(request, office_slug: str, reference: str, rule: str):
    application = _application_to_screen(request, office_slug, reference)
    result = current_screening_result(application, rule)
    if result is None:
        raise Http404
    form = ScreeningOverrideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            screening_override(result=result, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("The officer's result for ‘%(rule)s’ is saved.")
                % {"rule": RULE_TITLES.get(rule, rule)},
            )
            return _back(application)
    return render(
        request,
        "applications/staff/screening_override.html",
        {
            "office": application.office,
            "application": application,
            "result": result,
            "form": form,
        },
    )


@login_required
@require_POST
def screening_conclude_view(request, office_slug: str, reference: str):
    application = _application_to_screen(request, office_slug, reference)
    try:
        screening_conclude(application=application, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if application.status == Status.INELIGIBLE:
            message = _("The application is not eligible. The applicant has been told why.")
        else:
            message = _("The application is eligible and can go forward to assessment.")
        messages.success(request, message)
    return _back(application)
