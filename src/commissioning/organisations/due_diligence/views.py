"""The staff page of an organisation's due diligence with an office: the checks on record
and, for those who may, the form to record a new one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commissioning.accounts.permissions import office_for_staff
from commissioning.core.errors import DomainError
from commissioning.organisations.due_diligence import rules
from commissioning.organisations.due_diligence.forms import DueDiligenceForm
from commissioning.organisations.due_diligence.permissions import (
    can_record,
    organisation_for_staff,
)
from commissioning.organisations.due_diligence.selectors import due_diligence_checks
from commissioning.organisations.due_diligence.services import due_diligence_record


@login_required
@require_http_methods(["GET", "POST"])
def due_diligence_page(request, office_slug: str, org_ref: str):
    office = office_for_staff(request.user, office_slug)
    organisation = organisation_for_staff(request.user, office, org_ref)
    policy = getattr(office, "policy", None)
    may_record = can_record(request.user, office) and bool(rules.valid_months(policy))
    if request.method == "POST" and not may_record:
        raise Http404
    form = None
    if may_record:
        form = DueDiligenceForm(
            request.POST if request.method == "POST" else None,
            policy=policy,
            initial={"checked_on": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                check = due_diligence_record(
                    organisation=organisation,
                    office=office,
                    actor=request.user,
                    **form.service_arguments(),
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("Due diligence recorded: %(outcome)s, valid until %(date)s.")
                    % {
                        "outcome": check.get_outcome_display(),
                        "date": rules._date(check.valid_until),
                    },
                )
                return redirect(request.path)
    checks = list(due_diligence_checks(organisation=organisation, office=office))
    return render(
        request,
        "organisations/staff/due_diligence.html",
        {
            "office": office,
            "organisation": organisation,
            "checks": checks,
            "today": timezone.localdate(),
            "form": form,
            "valid_months": rules.valid_months(policy),
            "back_url": request.GET.get("back", "")
            if str(request.GET.get("back", "")).startswith(f"/staff/{office.slug}/")
            else "",
        },
    )
