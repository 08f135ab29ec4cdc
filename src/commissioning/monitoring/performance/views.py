"""Performance pages (MO6): the office's awards with their RAG, overdue returns and outputs
against target; an award's improvement plans; de-commissioning, for the office and for the
provider, who gives its view on the same page. Anything not yours is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.awards.models import Award
from commissioning.core.errors import DomainError
from commissioning.decisions.hooks import SubjectKind
from commissioning.monitoring.performance import services
from commissioning.monitoring.performance.forms import (
    ActionForm,
    CloseForm,
    CommentForm,
    PlanForm,
    ProposeForm,
    WithdrawForm,
)
from commissioning.monitoring.performance.models import (
    CommentSide,
    Decommissioning,
    DecommissioningStatus,
    ImprovementPlan,
    PlanStatus,
)
from commissioning.monitoring.performance.selectors import RAG_FILTERS, performance_page
from commissioning.monitoring.permissions import is_monitoring_reviewer
from commissioning.monitoring.views import _form_errors, _office
from commissioning.organisations.permissions import is_organisation_member, organisation_for


def _decommissioning_link(decision) -> str | None:
    reference, marker, _n = decision.subject_reference.rpartition("-DC")
    if not marker:
        return None
    return reverse("monitoring:staff_decommissioning", args=[decision.office.slug, reference])


DECOMMISSIONING_DECISIONS = SubjectKind(
    code=services.SUBJECT_KIND,
    label=gettext_lazy("De-commissioning of an award"),
    link=_decommissioning_link,
)


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


@login_required
def performance(request, office_slug):
    office = _office(request.user, office_slug)
    rag = request.GET.get("rag", "")
    rag = rag if rag in RAG_FILTERS else ""
    overdue_only = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    page = performance_page(
        office, today=today, rag=rag, overdue_only=overdue_only, page_number=_page_number(request)
    )
    return render(
        request,
        "monitoring/staff/performance.html",
        {"office": office, "page": page, "rag": rag, "overdue_only": overdue_only},
    )


def _award(office, award_ref):
    award = (
        Award.objects.filter(office=office, reference=award_ref)
        .select_related("organisation", "office")
        .first()
    )
    if award is None:
        raise Http404
    return award


def _run(request, form, call, success: str):
    """Validate the form, call the service with its data; None on success (with a message)."""
    if not form.is_valid():
        return form
    try:
        call(form)
    except DomainError as exc:
        _form_errors(form, exc)
        return form
    messages.success(request, success)
    return None


@login_required
def improvement_plans(request, office_slug, award_ref):
    office = _office(request.user, office_slug)
    award = _award(office, award_ref)
    can_change = is_monitoring_reviewer(request.user, office)
    plans = list(
        ImprovementPlan.objects.filter(award=award)
        .prefetch_related("actions")
        .order_by("-created_at")
    )
    open_plan = next((p for p in plans if p.status == PlanStatus.OPEN), None)
    forms = {"plan": PlanForm(), "action": ActionForm(), "close": CloseForm()}
    if request.method == "POST":
        if not can_change:
            raise Http404
        action = request.POST.get("action", "")
        user = request.user
        if action == "open":
            failed = _run(
                request,
                PlanForm(request.POST),
                lambda f: services.improvement_plan_open(award=award, actor=user, **f.cleaned_data),
                _("The improvement plan has been opened."),
            )
        elif action == "add_action" and open_plan:
            failed = _run(
                request,
                ActionForm(request.POST),
                lambda f: services.improvement_action_add(
                    plan=open_plan, actor=user, **f.cleaned_data
                ),
                _("The action has been added."),
            )
        elif action == "close" and open_plan:
            failed = _run(
                request,
                CloseForm(request.POST),
                lambda f: services.improvement_plan_close(
                    plan=open_plan, actor=user, note=f.cleaned_data["closing_note"]
                ),
                _("The improvement plan has been closed."),
            )
        elif action.startswith("done_") and open_plan:
            found = next((a for a in open_plan.actions.all() if f"done_{a.pk}" == action), None)
            if found is None:
                raise Http404
            try:
                services.improvement_action_done(action=found, actor=user)
            except DomainError as exc:
                messages.error(request, exc.message)
            return redirect(request.path)
        else:
            raise Http404
        if failed is None:
            return redirect(request.path)
        forms[{"open": "plan", "add_action": "action", "close": "close"}[action]] = failed
    return render(
        request,
        "monitoring/staff/improvement_plans.html",
        {
            "office": office,
            "award": award,
            "plans": plans,
            "open_plan": open_plan,
            "can_change": can_change,
            "today": timezone.localdate(),
            **{f"{k}_form": v for k, v in forms.items()},
        },
        status=400 if any(f.errors for f in forms.values()) else 200,
    )


def _decommissionings(award):
    return list(
        Decommissioning.objects.filter(award=award)
        .select_related("decision")
        .prefetch_related("risks", "comments", "comments__author")
        .order_by("-created_at")
    )


def _current(items):
    return next(
        (
            d
            for d in items
            if d.status in (DecommissioningStatus.CONSULTING, DecommissioningStatus.FOR_DECISION)
        ),
        None,
    )


@login_required
def decommissioning_staff(request, office_slug, award_ref):
    office = _office(request.user, office_slug)
    award = _award(office, award_ref)
    can_change = is_monitoring_reviewer(request.user, office)
    items = _decommissionings(award)
    current = _current(items)
    forms = {"propose": ProposeForm(), "comment": CommentForm(), "withdraw": WithdrawForm()}
    if request.method == "POST":
        if not can_change:
            raise Http404
        action, user = request.POST.get("action", ""), request.user
        if action == "propose" and current is None:
            failed = _run(
                request,
                ProposeForm(request.POST),
                lambda f: services.decommissioning_propose(
                    award=award,
                    actor=user,
                    reason=f.cleaned_data["reason"],
                    proposed_end_on=f.cleaned_data["proposed_end_on"],
                    risks=f.risk_rows(),
                ),
                _("The proposal has been made. The provider can now give its view."),
            )
        elif action == "comment" and current:
            failed = _run(
                request,
                CommentForm(request.POST),
                lambda f: services.decommissioning_comment(
                    decommissioning=current, actor=user, side=CommentSide.OFFICE, **f.cleaned_data
                ),
                _("Your comment has been added."),
            )
        elif action == "withdraw" and current:
            failed = _run(
                request,
                WithdrawForm(request.POST),
                lambda f: services.decommissioning_withdraw(
                    decommissioning=current, actor=user, **f.cleaned_data
                ),
                _("The proposal has been withdrawn."),
            )
        elif action == "refer" and current:
            try:
                services.decommissioning_refer_for_decision(decommissioning=current, actor=user)
                messages.success(request, _("A decision record has been drafted for signature."))
            except DomainError as exc:
                messages.error(request, exc.message)
            return redirect(request.path)
        else:
            raise Http404
        if failed is None:
            return redirect(request.path)
        forms[action] = failed
    return render(
        request,
        "monitoring/staff/decommissioning.html",
        {
            "office": office,
            "award": award,
            "items": items,
            "current": current,
            "can_change": can_change,
            **{f"{k}_form": v for k, v in forms.items()},
        },
        status=400 if any(f.errors for f in forms.values()) else 200,
    )


@login_required
def decommissioning_provider(request, ref, award_ref):
    organisation = organisation_for(request.user, ref)
    if not is_organisation_member(request.user, organisation):
        raise Http404
    award = (
        Award.objects.filter(organisation=organisation, reference=award_ref)
        .select_related("office")
        .first()
    )
    if award is None:
        raise Http404
    items = _decommissionings(award)
    if not items:
        raise Http404
    current = _current(items)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if current is None or current.status != DecommissioningStatus.CONSULTING:
            raise Http404
        failed = _run(
            request,
            form,
            lambda f: services.decommissioning_comment(
                decommissioning=current,
                actor=request.user,
                side=CommentSide.PROVIDER,
                **f.cleaned_data,
            ),
            _("Your comment has been sent to %(office)s.") % {"office": award.office.name},
        )
        if failed is None:
            return redirect(request.path)
    return render(
        request,
        "monitoring/organisation/decommissioning.html",
        {
            "organisation": organisation,
            "award": award,
            "items": items,
            "current": current,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
