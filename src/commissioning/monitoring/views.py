"""Monitoring pages. The organisation fills in and submits its own returns; the office's staff
see returns due and submitted, an award's schedule, and accept or send back returns. Anything
not yours is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import office_for_staff, roles_in
from commissioning.core.errors import DomainError
from commissioning.monitoring import services
from commissioning.monitoring.forms import AddReturnForm, DueDateForm, ReturnForm, ReviewForm
from commissioning.monitoring.hooks import monitored_kind
from commissioning.monitoring.performance.models import Decommissioning, DecommissioningStatus
from commissioning.monitoring.permissions import (
    is_monitoring_reader,
    is_monitoring_reviewer,
    return_for_organisation,
    return_for_staff,
)
from commissioning.monitoring.selectors import (
    VIEWS,
    organisation_returns,
    return_figures,
    return_rows,
    return_with_parts,
    schedule_for_office,
    schedule_parts,
    staff_return_page,
)
from commissioning.organisations.permissions import organisation_for

VIEW_LABELS = {
    "awaiting_review": gettext_lazy("Awaiting review"),
    "overdue": gettext_lazy("Overdue"),
    "due": gettext_lazy("Due"),
    "returned": gettext_lazy("Returned for changes"),
    "accepted": gettext_lazy("Accepted"),
    "all": gettext_lazy("All"),
}


def _office(user, office_slug):
    office = office_for_staff(user, office_slug)
    if not is_monitoring_reader(user, office):
        raise Http404
    return office


def _form_errors(form, exc: DomainError) -> None:
    problems = getattr(exc, "problems", [(exc.field, exc.message)])
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)


# The organisation's pages --------------------------------------------------------------------


@login_required
def organisation_list(request, ref):
    organisation = organisation_for(request.user, ref)
    returns = list(organisation_returns(organisation))
    proposals = list(
        Decommissioning.objects.filter(
            award__organisation=organisation, status=DecommissioningStatus.CONSULTING
        ).select_related("award")
    )
    return render(
        request,
        "monitoring/organisation/list.html",
        {
            "organisation": organisation,
            "returns": returns,
            "proposals": proposals,
            "today": timezone.localdate(),
        },
    )


@login_required
def organisation_return(request, ref, award_ref, number):
    organisation = organisation_for(request.user, ref)
    found = return_for_organisation(request.user, organisation, award_ref, number)
    ret = return_with_parts(found.pk)
    measures = services.measure_codes(ret.office) if ret.schedule.victims_services else []
    demographics = services.asks_demographics(ret.office)
    form = ReturnForm(
        request.POST or None, monitoring_return=ret, measures=measures, demographics=demographics
    )
    if request.method == "POST":
        if not ret.is_editable:
            raise Http404
        if form.is_valid():
            try:
                services.return_save(
                    monitoring_return=ret, actor=request.user, data=form.service_data()
                )
                if request.POST.get("action") == "submit":
                    services.return_submit(monitoring_return=ret, actor=request.user)
                    messages.success(
                        request,
                        _("Your return has been sent to %(office)s.") % {"office": ret.office.name},
                    )
                    return redirect("monitoring:organisation_list", ref=organisation.ref)
                messages.success(request, _("Your return has been saved. You can come back to it."))
                return redirect(request.path)
            except DomainError as exc:
                _form_errors(form, exc)
    status = 400 if form.errors else 200
    return render(
        request,
        "monitoring/organisation/return.html",
        {
            "organisation": organisation,
            "ret": ret,
            "form": form,
            "figures": return_figures(ret, outside_office=False),
            "rows": return_rows(ret),
        },
        status=status,
    )


# Staff pages ---------------------------------------------------------------------------------


@login_required
def staff_returns(request, office_slug):
    office = _office(request.user, office_slug)
    view = request.GET.get("view", "awaiting_review")
    if view not in VIEWS:
        view = "awaiting_review"
    q = request.GET.get("q", "")[:100]
    try:
        page_number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page_number = 1
    page = staff_return_page(
        office, view=view, today=timezone.localdate(), q=q, page_number=page_number
    )
    return render(
        request,
        "monitoring/staff/list.html",
        {
            "office": office,
            "page": page,
            "view": view,
            "views": [(v, VIEW_LABELS[v]) for v in VIEWS],
            "q": q,
            "today": timezone.localdate(),
            "can_subject_access": Role.OFFICE_ADMIN in roles_in(request.user, office),
        },
    )


def _schedule(office, reference):
    """The office's schedule of the award (or other subject) with this reference; 404 else."""
    schedule = schedule_for_office(office, reference)
    if schedule is None:
        raise Http404
    return schedule


def _schedule_page(office, schedule) -> dict:
    kind = None if schedule.award_id else monitored_kind(schedule.subject_kind)
    return {
        "office": office,
        "award": schedule.award,
        "schedule": schedule,
        "subject_label": kind.label if kind else "",
        "subject_link": kind.link(office, schedule.subject_reference)
        if kind and kind.link
        else None,
        **schedule_parts(schedule),
        "today": timezone.localdate(),
    }


@login_required
def staff_schedule(request, office_slug, award_ref):
    office = _office(request.user, office_slug)
    schedule = _schedule(office, award_ref)
    return render(
        request,
        "monitoring/staff/schedule.html",
        {
            **_schedule_page(office, schedule),
            "can_change": is_monitoring_reviewer(request.user, office),
            "add_form": AddReturnForm(),
        },
    )


@login_required
@require_POST
def staff_return_add(request, office_slug, award_ref):
    office = _office(request.user, office_slug)
    if not is_monitoring_reviewer(request.user, office):
        raise Http404
    schedule = _schedule(office, award_ref)
    form = AddReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_add(
                schedule=schedule,
                kind=form.cleaned_data["kind"],
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
            messages.success(request, _("The return has been added to the schedule."))
            return redirect(
                "monitoring:staff_schedule",
                office_slug=office.slug,
                award_ref=schedule.subject_reference,
            )
        except DomainError as exc:
            _form_errors(form, exc)
    return render(
        request,
        "monitoring/staff/schedule.html",
        {**_schedule_page(office, schedule), "can_change": True, "add_form": form},
        status=400,
    )


@login_required
def staff_return(request, office_slug, award_ref, number):
    office = _office(request.user, office_slug)
    ret = return_with_parts(return_for_staff(request.user, office, award_ref, number).pk)
    can_review = ret.awaits_review and is_monitoring_reviewer(request.user, office)
    can_move = ret.is_editable and is_monitoring_reviewer(request.user, office)
    review_form = ReviewForm(request.POST or None) if can_review else None
    move_form = (
        DueDateForm(request.POST or None, initial={"due_on": ret.due_on}) if can_move else None
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "review" and review_form is not None:
            move_form = DueDateForm(initial={"due_on": ret.due_on}) if can_move else None
            if review_form.is_valid():
                try:
                    if review_form.cleaned_data["decision"] == "accept":
                        services.return_accept(
                            monitoring_return=ret,
                            actor=request.user,
                            comments=review_form.cleaned_data["comments"],
                        )
                        messages.success(request, _("The return has been accepted."))
                    else:
                        services.return_send_back(
                            monitoring_return=ret,
                            actor=request.user,
                            comments=review_form.cleaned_data["comments"],
                        )
                        messages.success(
                            request, _("The return has been sent back to the organisation.")
                        )
                    return redirect(request.path)
                except DomainError as exc:
                    _form_errors(review_form, exc)
        elif action == "move" and move_form is not None:
            review_form = None
            if move_form.is_valid():
                try:
                    services.return_due_date_move(
                        monitoring_return=ret,
                        due_on=move_form.cleaned_data["due_on"],
                        reason=move_form.cleaned_data["reason"],
                        actor=request.user,
                    )
                    messages.success(request, _("The due date has been moved."))
                    return redirect(request.path)
                except DomainError as exc:
                    _form_errors(move_form, exc)
        else:
            raise Http404
        status = 400
    return render(
        request,
        "monitoring/staff/return.html",
        {
            "office": office,
            "ret": ret,
            "figures": return_figures(ret, outside_office=False),
            "rows": return_rows(ret),
            "review_form": review_form,
            "move_form": move_form,
            "today": timezone.localdate(),
        },
        status=status,
    )
