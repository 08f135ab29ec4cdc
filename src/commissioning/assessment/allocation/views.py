"""Staff pages for portfolio allocation (AS5): officers run the optimiser over the panel's
scored applications, adjust its proposal and adopt it at a quorate meeting. An officer who
declared a conflict on any application before the panel is refused, with the reason."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commissioning.assessment import rules
from commissioning.assessment.allocation import forms as f
from commissioning.assessment.allocation import selectors
from commissioning.assessment.allocation.services import (
    allocation_adjust,
    allocation_adopt,
    allocation_run,
)
from commissioning.assessment.pages import form_error
from commissioning.assessment.panels.selectors import meetings_of
from commissioning.assessment.permissions import (
    conflicted_application_ids,
    office_for_assessment,
    panel_for_manager,
)
from commissioning.core.errors import DomainError


def _allocation_refused(request, office, panel):
    """A 403 page for an officer who declared a conflict on any application before the panel:
    the allocation shows every application's scores and decides between them (AS2)."""
    if not conflicted_application_ids(request.user, panel):
        return None
    return render(
        request,
        "assessment/staff/allocation_conflicted.html",
        {"office": office, "panel": panel},
        status=403,
    )


def _default_budget(panel):
    from commissioning.offices.models import Budget
    from commissioning.offices.selectors import this_financial_year

    budget = (
        Budget.objects.filter(
            fund=panel.round.fund, financial_year=this_financial_year(timezone.localdate())
        )
        .prefetch_related("top_slices")
        .first()
    )
    return budget.available if budget else None


@login_required
@require_http_methods(["GET", "POST"])
def allocation_view(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    if refused := _allocation_refused(request, office, panel):
        return refused
    bids = selectors.allocation_bids(panel)
    form = f.AllocationForm(
        request.POST if request.method == "POST" else None,
        references=[b.bid.key for b in bids],
        initial={"budget": _default_budget(panel)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = allocation_run(
                panel=panel,
                actor=request.user,
                budget=form.cleaned_data["budget"],
                include=frozenset(form.cleaned_data["include"]),
                exclude=frozenset(form.cleaned_data["exclude"]),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            return redirect("assessment:allocation_run", office.slug, panel.pk, run.pk)
    return render(
        request,
        "assessment/staff/allocation.html",
        {
            "office": office,
            "panel": panel,
            "bids": bids,
            "form": form,
            "limits": rules.allocation_limits(office.policy.assessment),
            "runs": selectors.allocation_runs_of(panel),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocation_run_view(request, office_slug, panel_id, run_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    if refused := _allocation_refused(request, office, panel):
        return refused
    run = selectors.allocation_runs_of(panel).filter(pk=run_id).first()
    if run is None:
        raise Http404
    bids = run.inputs.get("bids", [])
    meetings = [m for m in meetings_of(panel) if m.quorate]
    adjust = f.AdjustForm(
        request.POST if request.method == "POST" and "adjust" in request.POST else None,
        bids=bids,
        initial={f"amount_{key}": Decimal(amount) for key, amount in run.chosen.items()},
    )
    adopt = f.AdoptForm(
        request.POST if request.method == "POST" and "adopt" in request.POST else None,
        meetings=meetings,
    )
    if request.method == "POST" and "adjust" in request.POST and adjust.is_valid():
        try:
            allocation_adjust(run=run, chosen=adjust.chosen(), actor=request.user)
        except DomainError as error:
            form_error(adjust, error)
        else:
            messages.success(request, _("Your changes to the allocation are saved."))
            return redirect("assessment:allocation_run", office.slug, panel.pk, run.pk)
    if request.method == "POST" and "adopt" in request.POST and adopt.is_valid():
        try:
            allocation_adopt(
                run=run, meeting=adopt.meetings[adopt.cleaned_data["meeting"]], actor=request.user
            )
        except DomainError as error:
            form_error(adopt, error)
        else:
            messages.success(
                request, _("The allocation is adopted as the panel's recommendations.")
            )
            return redirect("assessment:moderation", office.slug, panel.pk)
    errors = adjust if adjust.errors else adopt
    return render(
        request,
        "assessment/staff/allocation_run.html",
        {
            "office": office,
            "panel": panel,
            "run": run,
            "result": run.result,
            "bids": bids,
            "adjust": adjust,
            "adopt": adopt,
            "form": errors,
            "meetings": meetings,
            "chosen_total": sum((Decimal(v) for v in run.chosen.values()), Decimal(0)),
        },
    )
