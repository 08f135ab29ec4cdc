"""What the assessment pages share: a domain error on its form field, the page that says why
an application is closed to you, and the way back to the panel."""

from django.shortcuts import redirect, render

from commissioning.core.errors import DomainError


def form_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def conflicted_page(request, office, panel, application):
    return render(
        request,
        "assessment/staff/conflicted.html",
        {"office": office, "panel": panel, "application": application},
        status=403,
    )


def to_panel(panel):
    return redirect("assessment:panel", panel.office.slug, panel.pk)
