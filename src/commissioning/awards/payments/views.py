"""Finance pages: the instalments to approve or withhold, payment runs with their file and
confirmation; and the organisation's payments received. Finance pages are for the office's
finance officers only; anything else is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.awards.bank.permissions import finance_office
from commissioning.awards.payments.forms import ConfirmPaidForm, ReasonForm, ResolveForm
from commissioning.awards.payments.models import InstalmentStatus, PaymentRunStatus
from commissioning.awards.payments.selectors import (
    blocked_count,
    finance_queue,
    instalment_for_office,
    office_runs,
    payments_received,
    run_for_office,
    run_instalments,
)
from commissioning.awards.payments.services import (
    instalment_approve,
    instalment_resolve,
    instalment_withhold,
    payment_run_cancel,
    payment_run_candidates,
    payment_run_confirm,
    payment_run_create,
    payment_run_file,
)
from commissioning.core.errors import DomainError
from commissioning.organisations.permissions import organisation_for


@login_required
def finance_home(request, office_slug):
    office = finance_office(request.user, office_slug)
    queue = finance_queue(office)
    return render(
        request,
        "awards/payments/finance.html",
        {
            "office": office,
            "releasable": queue[InstalmentStatus.RELEASABLE],
            "approved": queue[InstalmentStatus.APPROVED],
            "withheld": queue[InstalmentStatus.WITHHELD],
            "blocked": blocked_count(office),
        },
    )


def _instalment(request, office_slug, pk):
    office = finance_office(request.user, office_slug)
    instalment = instalment_for_office(office, pk)
    if instalment is None:
        raise Http404
    return office, instalment


@login_required
def instalment_detail(request, office_slug, pk, *, withhold_form=None, resolve_form=None):
    office, instalment = _instalment(request, office_slug, pk)
    from commissioning.awards.payments.services import blocked_reason

    status = 400 if (withhold_form or resolve_form) else 200
    return render(
        request,
        "awards/payments/instalment.html",
        {
            "office": office,
            "instalment": instalment,
            "award": instalment.award,
            "blocked": blocked_reason(instalment, instalment.award),
            "changes": instalment.status_changes.all(),
            "withhold_form": withhold_form or ReasonForm(),
            "resolve_form": resolve_form or ResolveForm(),
            "form": withhold_form or resolve_form,
        },
        status=status,
    )


def _act(request, action, success: str, back):
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return back


@login_required
@require_POST
def instalment_approve_view(request, office_slug, pk):
    office, instalment = _instalment(request, office_slug, pk)
    back = request.POST.get("back") == "finance"
    target = (
        redirect("awards:finance", office.slug)
        if back
        else redirect("awards:instalment", office.slug, instalment.pk)
    )
    return _act(
        request,
        lambda: instalment_approve(instalment=instalment, actor=request.user),
        _("Instalment %(ref)s approved for the next payment run.") % {"ref": instalment.reference},
        target,
    )


@login_required
@require_POST
def instalment_withhold_view(request, office_slug, pk):
    office, instalment = _instalment(request, office_slug, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return instalment_detail(request, office_slug, pk, withhold_form=form)
    return _act(
        request,
        lambda: instalment_withhold(
            instalment=instalment, reason=form.cleaned_data["reason"], actor=request.user
        ),
        _("Instalment %(ref)s withheld.") % {"ref": instalment.reference},
        redirect("awards:instalment", office.slug, instalment.pk),
    )


@login_required
@require_POST
def instalment_resolve_view(request, office_slug, pk):
    office, instalment = _instalment(request, office_slug, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return instalment_detail(request, office_slug, pk, resolve_form=form)
    return _act(
        request,
        lambda: instalment_resolve(
            instalment=instalment, note=form.cleaned_data["note"], actor=request.user
        ),
        _("Instalment %(ref)s is no longer withheld.") % {"ref": instalment.reference},
        redirect("awards:instalment", office.slug, instalment.pk),
    )


@login_required
def runs(request, office_slug):
    office = finance_office(request.user, office_slug)
    if request.method == "POST":
        try:
            run = payment_run_create(office=office, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("awards:payment_runs", office.slug)
        messages.success(request, _("Payment run %(ref)s made.") % {"ref": run.reference})
        return redirect("awards:payment_run", office.slug, run.reference)
    candidates = payment_run_candidates(office)
    return render(
        request,
        "awards/payments/runs.html",
        {
            "office": office,
            "runs": office_runs(office),
            "included": [(i, a) for i, a, r in candidates if not r],
            "excluded": [(i, r) for i, a, r in candidates if r],
        },
    )


def _run(request, office_slug, reference):
    office = finance_office(request.user, office_slug)
    run = run_for_office(office, reference)
    if run is None:
        raise Http404
    return office, run


@login_required
def run_detail(request, office_slug, reference, *, confirm_form=None, cancel_form=None):
    office, run = _run(request, office_slug, reference)
    return render(
        request,
        "awards/payments/run.html",
        {
            "office": office,
            "run": run,
            "instalments": run_instalments(run),
            "is_open": run.status == PaymentRunStatus.OPEN,
            "confirm_form": confirm_form or ConfirmPaidForm(),
            "cancel_form": cancel_form or ReasonForm(),
            "form": confirm_form or cancel_form,
            "changes": run.status_changes.select_related("actor"),
        },
        status=400 if (confirm_form or cancel_form) else 200,
    )


@login_required
def run_file(request, office_slug, reference):
    """The CSV for the finance system, with full bank details; audited."""
    office, run = _run(request, office_slug, reference)
    if run.status == PaymentRunStatus.CANCELLED:
        raise Http404
    try:
        text = payment_run_file(run=run, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("awards:payment_run", office.slug, run.reference)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{run.reference}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def run_confirm(request, office_slug, reference):
    office, run = _run(request, office_slug, reference)
    form = ConfirmPaidForm(request.POST)
    if not form.is_valid():
        return run_detail(request, office_slug, reference, confirm_form=form)
    return _act(
        request,
        lambda: payment_run_confirm(
            run=run, paid_on=form.cleaned_data["paid_on"], actor=request.user
        ),
        _("Payment run %(ref)s is paid; the ledger shows the payments.") % {"ref": run.reference},
        redirect("awards:payment_run", office.slug, run.reference),
    )


@login_required
@require_POST
def run_cancel(request, office_slug, reference):
    office, run = _run(request, office_slug, reference)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return run_detail(request, office_slug, reference, cancel_form=form)
    return _act(
        request,
        lambda: payment_run_cancel(run=run, reason=form.cleaned_data["reason"], actor=request.user),
        _("Payment run %(ref)s cancelled; its instalments stay approved.") % {"ref": run.reference},
        redirect("awards:payment_run", office.slug, run.reference),
    )


@login_required
def organisation_payments(request, ref):
    """Payments received, for the organisation's members."""
    organisation = organisation_for(request.user, ref)
    return render(
        request,
        "awards/payments/received.html",
        {"organisation": organisation, "payments": payments_received(organisation)},
    )
