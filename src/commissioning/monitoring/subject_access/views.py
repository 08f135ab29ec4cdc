"""The subject access page (SE3), for the office's administrators only: what the office holds
about one person, as JSON or a PDF. Its records only; every request is audited."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import office_for_staff, roles_in
from commissioning.monitoring.subject_access.services import (
    person_export,
    person_json,
    person_pdf,
)


class SubjectAccessForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's e-mail address"),
        error_messages={
            "required": _("Enter the person's e-mail address."),
            "invalid": _("Enter an e-mail address in the right form, like name@example.org."),
        },
    )
    output = forms.ChoiceField(
        label=_("Format"),
        choices=(("pdf", _("A readable PDF")), ("json", _("JSON, for another system"))),
        widget=forms.RadioSelect,
        initial="pdf",
        error_messages={"required": _("Choose a format.")},
    )


@login_required
def subject_access(request, office_slug):
    office = office_for_staff(request.user, office_slug)
    if Role.OFFICE_ADMIN not in roles_in(request.user, office):
        raise Http404
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = person_export(email=form.cleaned_data["email"], actor=request.user, office=office)
        name = "personal-data-" + office.slug
        if form.cleaned_data["output"] == "json":
            response = HttpResponse(person_json(data), content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        else:
            response = HttpResponse(person_pdf(data), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "monitoring/subject_access/page.html",
        {"office": office, "form": form},
        status=400 if form.errors else 200,
    )
