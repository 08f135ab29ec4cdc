"""Staff pages for panels: officers set panels up, moderate and record what was agreed;
members declare conflicts and score. Anything not yours is a 404; an application you declared
a conflict on is a 403 that says why."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.applications.models import Application, Status
from commissioning.applications.selectors import application_with_parts
from commissioning.assessment import forms as f
from commissioning.assessment import rules, selectors
from commissioning.assessment.models import AgreedRecommendation, PanelMember, ScoreSheet
from commissioning.assessment.permissions import (
    Conflicted,
    conflicted_application_ids,
    entry_for_member,
    is_panel_manager,
    office_for_assessment,
    panel_for_manager,
    panel_for_user,
    require_no_conflict,
)
from commissioning.assessment.services import (
    allocation_adjust,
    allocation_adopt,
    allocation_run,
    conflict_declare,
    panel_application_add,
    panel_create,
    panel_meeting_record,
    panel_member_add,
    panel_member_remove,
    recommendation_agree,
    score_sheet_save,
)
from commissioning.core.errors import DomainError


def _form_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _conflicted_page(request, office, panel, application):
    return render(
        request,
        "assessment/staff/conflicted.html",
        {"office": office, "panel": panel, "application": application},
        status=403,
    )


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


def _to_panel(panel):
    return redirect("assessment:panel", panel.office.slug, panel.pk)


# Panels ------------------------------------------------------------------------------------


@login_required
def panel_list(request, office_slug):
    office = office_for_assessment(request.user, office_slug)
    return render(
        request,
        "assessment/staff/panel_list.html",
        {
            "office": office,
            "panels": selectors.panels_for(request.user, office),
            "can_manage": is_panel_manager(request.user, office),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_create_view(request, office_slug):
    office = office_for_assessment(request.user, office_slug)
    if not is_panel_manager(request.user, office):
        raise Http404
    form = f.PanelForm(request.POST if request.method == "POST" else None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            panel = panel_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Panel %(name)s set up.") % {"name": panel.name})
            return _to_panel(panel)
    return render(request, "assessment/staff/panel_form.html", {"office": office, "form": form})


@login_required
def panel_detail(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel, member = panel_for_user(request.user, office, panel_id)
    can_manage = is_panel_manager(request.user, office)
    return render(
        request,
        "assessment/staff/panel.html",
        {
            "office": office,
            "panel": panel,
            "member": member,
            "can_manage": can_manage,
            "members": selectors.panel_members(panel),
            "rows": selectors.panel_entries(panel, request.user),
            "meetings": selectors.meetings_of(panel) if can_manage else [],
            "eligible": (
                Application.objects.filter(round=panel.round, status=Status.ELIGIBLE).exists()
                if can_manage
                else False
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add_view(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    form = f.MemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = (
            get_user_model()
            .objects.filter(email__iexact=form.cleaned_data["email"], is_active=True)
            .first()
        )
        if user is None:
            form.add_error("email", _("No one with a role in the office has that e-mail address"))
        else:
            try:
                member = panel_member_add(
                    panel=panel,
                    user=user,
                    standing=form.cleaned_data["standing"],
                    actor=request.user,
                )
            except DomainError as error:
                field = "email" if error.field == "user" else error.field
                form.add_error(field if field in form.fields else None, error.message)
            else:
                messages.success(
                    request, _("%(person)s added to the panel.") % {"person": member.user}
                )
                return _to_panel(panel)
    return render(
        request,
        "assessment/staff/member_add.html",
        {"office": office, "panel": panel, "form": form},
    )


@login_required
@require_POST
def member_remove_view(request, office_slug, panel_id, member_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    member = PanelMember.objects.filter(panel=panel, pk=member_id).select_related("user").first()
    if member is None:
        raise Http404
    try:
        panel_member_remove(member=member, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s removed from the panel.") % {"person": member.user})
    return _to_panel(panel)


@login_required
@require_http_methods(["GET", "POST"])
def application_add_view(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    eligible = list(
        Application.objects.filter(round=panel.round, status=Status.ELIGIBLE)
        .select_related("organisation")
        .order_by("reference")
    )
    form = f.AddApplicationForm(
        request.POST if request.method == "POST" else None, applications=eligible
    )
    if request.method == "POST" and form.is_valid():
        application = next(a for a in eligible if a.reference == form.cleaned_data["application"])
        try:
            panel_application_add(panel=panel, application=application, actor=request.user)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("%(ref)s is before the panel and being assessed.")
                % {"ref": application.reference},
            )
            return _to_panel(panel)
    return render(
        request,
        "assessment/staff/application_add.html",
        {"office": office, "panel": panel, "form": form, "eligible": eligible},
    )


# Members: declare and score ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def declare_view(request, office_slug, panel_id, reference):
    office = office_for_assessment(request.user, office_slug)
    panel, _member = panel_for_user(request.user, office, panel_id)
    application, member, declaration = entry_for_member(request.user, panel, reference)
    if declaration is not None:
        if declaration.has_conflict:
            return _conflicted_page(request, office, panel, application)
        return redirect("assessment:score", office.slug, panel.pk, application.reference)
    form = f.ConflictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = conflict_declare(
                member=member,
                application=application,
                has_conflict=form.cleaned_data["has_conflict"],
                interest=form.cleaned_data["interest"],
                actor=request.user,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            if declaration.has_conflict:
                messages.success(
                    request,
                    _("Your conflict of interest is recorded. You will not see or score %(ref)s.")
                    % {"ref": application.reference},
                )
                return _to_panel(panel)
            return redirect("assessment:score", office.slug, panel.pk, application.reference)
    organisation = application.organisation
    return render(
        request,
        "assessment/staff/declare.html",
        {
            "office": office,
            "panel": panel,
            "application": application,
            "organisation": organisation,
            "form": form,
        },
    )


def _sheet_initial(sheet: ScoreSheet | None) -> dict:
    if sheet is None:
        return {}
    initial = {
        "recommendation": sheet.recommendation,
        "amount": sheet.amount,
        "comment": sheet.comment,
    }
    for score in sheet.scores.all():
        initial[f"score_{score.criterion}"] = str(score.score)
        initial[f"comment_{score.criterion}"] = score.comment
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def score_view(request, office_slug, panel_id, reference):
    office = office_for_assessment(request.user, office_slug)
    panel, _member = panel_for_user(request.user, office, panel_id)
    application, member, declaration = entry_for_member(request.user, panel, reference)
    if declaration is None:
        return redirect("assessment:declare", office.slug, panel.pk, application.reference)
    try:
        require_no_conflict(declaration)
    except Conflicted:
        return _conflicted_page(request, office, panel, application)
    rubric = rules.rubric_for(application.fund.code, office.policy.assessment)
    sheet = (
        ScoreSheet.objects.filter(member=member, application=application)
        .prefetch_related("scores")
        .first()
    )
    submitted = sheet is not None and sheet.is_submitted
    can_score = not submitted and application.status == Status.IN_ASSESSMENT
    form = f.ScoreSheetForm(
        request.POST if request.method == "POST" and can_score else None,
        initial=_sheet_initial(sheet),
        rubric=rubric,
    )
    if request.method == "POST" and can_score and form.is_valid():
        try:
            sheet = score_sheet_save(
                member=member,
                application=application,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                amount=form.cleaned_data["amount"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
                submit="submit" in request.POST,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            if sheet.is_submitted:
                messages.success(request, _("Your scores are submitted."))
            else:
                messages.success(request, _("Your scores are saved. Submit them when finished."))
            return redirect("assessment:score", office.slug, panel.pk, application.reference)
    own_total = None
    if sheet is not None:
        own_total = rules.weighted_total({s.criterion: s.score for s in sheet.scores.all()}, rubric)
    return render(
        request,
        "assessment/staff/score.html",
        {
            "office": office,
            "panel": panel,
            "application": application_with_parts(application.pk),
            "rubric": rubric,
            "form": form,
            "sheet": sheet,
            "own_total": own_total,
            "submitted": submitted,
            "can_score": can_score,
            "others": selectors.scores_seen_by(member, application) if submitted else None,
        },
    )


# Officers: moderation, meetings, recommendations, the register ------------------------------


@login_required
def moderation_view(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    moderated = selectors.moderation(panel, request.user)
    return render(
        request,
        "assessment/staff/moderation.html",
        {
            "office": office,
            "panel": panel,
            "moderated": moderated,
            "spread_points": rules.spread_flag_points(office.policy.assessment),
            "meetings": list(selectors.meetings_of(panel)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record_view(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    members = selectors.panel_members(panel)
    form = f.MeetingForm(
        request.POST if request.method == "POST" else None,
        members=members,
        initial={"held_on": panel.meeting_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel_meeting_record(
                panel=panel,
                held_on=form.cleaned_data["held_on"],
                attendees=form.chosen(),
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("assessment:moderation", office.slug, panel.pk)
    assessment = office.policy.assessment
    return render(
        request,
        "assessment/staff/meeting_form.html",
        {
            "office": office,
            "panel": panel,
            "form": form,
            "quorum": rules.panel_quorum(assessment),
            "independent_required": rules.independent_member_required(assessment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agree_view(request, office_slug, panel_id, reference):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    application = (
        Application.objects.select_related("fund", "organisation", "office")
        .filter(panel_entry__panel=panel, reference=reference)
        .first()
    )
    if application is None:
        raise Http404
    if application.pk in conflicted_application_ids(request.user, panel):
        return _conflicted_page(request, office, panel, application)
    agreed = AgreedRecommendation.objects.filter(application=application).first()
    meetings = [m for m in selectors.meetings_of(panel) if m.quorate]
    form = f.AgreeForm(request.POST if request.method == "POST" else None, meetings=meetings)
    if request.method == "POST" and agreed is None and form.is_valid():
        try:
            recommendation_agree(
                panel=panel,
                application=application,
                meeting=form.meetings[form.cleaned_data["meeting"]],
                outcome=form.cleaned_data["outcome"],
                amount=form.cleaned_data["amount"],
                conditions=form.cleaned_data["conditions"],
                rationale=form.cleaned_data["rationale"],
                actor=request.user,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("The panel's recommendation on %(ref)s is recorded.")
                % {"ref": application.reference},
            )
            return redirect("assessment:moderation", office.slug, panel.pk)
    return render(
        request,
        "assessment/staff/agree.html",
        {
            "office": office,
            "panel": panel,
            "application": application,
            "agreed": agreed,
            "meetings": meetings,
            "form": form,
            "moderated": selectors.moderation(panel, request.user, [application])[0],
        },
    )


@login_required
def conflict_register_view(request, office_slug):
    office = office_for_assessment(request.user, office_slug)
    if not is_panel_manager(request.user, office):
        raise Http404
    return render(
        request,
        "assessment/staff/conflicts.html",
        {"office": office, "declarations": selectors.conflict_register(office)},
    )


# Portfolio allocation ----------------------------------------------------------------------


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
            _form_error(form, error)
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
    meetings = [m for m in selectors.meetings_of(panel) if m.quorate]
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
            _form_error(adjust, error)
        else:
            messages.success(request, _("Your changes to the allocation are saved."))
            return redirect("assessment:allocation_run", office.slug, panel.pk, run.pk)
    if request.method == "POST" and "adopt" in request.POST and adopt.is_valid():
        try:
            allocation_adopt(
                run=run, meeting=adopt.meetings[adopt.cleaned_data["meeting"]], actor=request.user
            )
        except DomainError as error:
            _form_error(adopt, error)
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
