"""Staff pages for needs assessments, the service map of existing provision, and the gaps
between them (a chart with its table)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError
from commissioning.cycle.forms import form_errors
from commissioning.cycle.needs import services
from commissioning.cycle.needs.forms import NeedsAssessmentForm, ProvisionForm
from commissioning.cycle.needs.models import NeedLevel
from commissioning.cycle.needs.selectors import (
    PROVISION_VIEWS,
    need_for_office,
    needs_for_office,
    office_gaps,
    provision_for_office,
    provision_item,
)
from commissioning.cycle.permissions import (
    is_commissioning_editor,
    office_for_editor,
    office_for_reader,
)


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
def needs_list(request, office_slug):
    office = office_for_reader(request.user, office_slug)
    return render(
        request,
        "cycle/needs/list.html",
        {
            "office": office,
            "needs": list(needs_for_office(office)),
            "can_change": is_commissioning_editor(request.user, office),
        },
    )


def _edit(request, office, *, form, save, heading, back_href, back_label, done):
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.values())
            messages.success(request, done)
            return redirect(back_href)
        except DomainError as exc:
            form_errors(form, exc)
    return render(
        request,
        "cycle/form.html",
        {
            "office": office,
            "form": form,
            "heading": heading,
            "button": _("Save"),
            "back_href": back_href,
            "back_label": back_label,
        },
        status=400 if form.errors else 200,
    )


def _need_initial(need) -> dict:
    return {
        "title": need.title,
        "evidence": need.evidence,
        "source": need.source,
        "assessed_on": need.assessed_on,
        "level": need.level,
        "project": str(need.project_id or ""),
        "areas": [str(a.pk) for a in need.areas.all()],
        "priorities": [str(p.pk) for p in need.priorities.all()],
    }


@login_required
def need_edit(request, office_slug, pk=None):
    office = office_for_editor(request.user, office_slug)
    need = None
    if pk is not None:
        need = need_for_office(office, _pk(pk))
        if need is None:
            raise Http404
    initial = _need_initial(need) if need else {"level": NeedLevel.MEDIUM}
    form = NeedsAssessmentForm(request.POST or None, office=office, initial=initial)

    def save(**values):
        services.needs_assessment_save(office=office, actor=request.user, assessment=need, **values)

    return _edit(
        request,
        office,
        form=form,
        save=save,
        heading=_("Change the needs assessment") if need else _("Record a needs assessment"),
        back_href=reverse("cycle:needs_list", args=[office.slug]),
        back_label=_("Needs assessments"),
        done=_("The needs assessment has been saved."),
    )


@login_required
def provision_list(request, office_slug):
    office = office_for_reader(request.user, office_slug)
    view = request.GET.get("view", "current")
    if view not in PROVISION_VIEWS:
        view = "current"
    today = timezone.localdate()
    return render(
        request,
        "cycle/needs/provision_list.html",
        {
            "office": office,
            "services": list(provision_for_office(office, view=view, today=today)),
            "view": view,
            "views": [("current", _("Current")), ("ended", _("Funding ended")), ("all", _("All"))],
            "can_change": is_commissioning_editor(request.user, office),
        },
    )


@login_required
def provision_edit(request, office_slug, pk=None):
    office = office_for_editor(request.user, office_slug)
    item = None
    initial = {}
    if pk is not None:
        item = provision_item(office, _pk(pk))
        if item is None:
            raise Http404
        initial = {
            name: getattr(item, name)
            for name in (
                "name",
                "provider",
                "description",
                "funder",
                "annual_funding",
                "starts_on",
                "ends_on",
            )
        }
        initial["areas"] = [str(a.pk) for a in item.areas.all()]
        initial["priorities"] = [str(p.pk) for p in item.priorities.all()]
    form = ProvisionForm(request.POST or None, office=office, initial=initial)

    def save(**values):
        services.provision_save(office=office, actor=request.user, provision=item, **values)

    return _edit(
        request,
        office,
        form=form,
        save=save,
        heading=_("Change the service") if item else _("Add a service to the map"),
        back_href=reverse("cycle:provision_list", args=[office.slug]),
        back_label=_("Service map"),
        done=_("The service map has been saved."),
    )


@login_required
def gaps(request, office_slug):
    office = office_for_reader(request.user, office_slug)
    return render(
        request,
        "cycle/needs/gaps.html",
        {"office": office, **office_gaps(office, timezone.localdate())},
    )
