"""Staff pages for scoring and moderation: members score the applications before their
panel; officers moderate and record what the panel agreed. An application you declared a
conflict on is a 403 that says why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commissioning.applications.models import Application, Status
from commissioning.applications.selectors import application_with_parts
from commissioning.assessment import rules
from commissioning.assessment.models import AgreedRecommendation, ScoreSheet
from commissioning.assessment.pages import conflicted_page, form_error
from commissioning.assessment.panels.selectors import meetings_of
from commissioning.assessment.permissions import (
    Conflicted,
    conflicted_application_ids,
    entry_for_member,
    office_for_assessment,
    panel_for_manager,
    panel_for_user,
    require_no_conflict,
)
from commissioning.assessment.scoring import forms as f
from commissioning.assessment.scoring import selectors
from commissioning.assessment.scoring.services import recommendation_agree, score_sheet_save
from commissioning.core.errors import DomainError


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
        return conflicted_page(request, office, panel, application)
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
            form_error(form, error)
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
            "meetings": list(meetings_of(panel)),
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
        return conflicted_page(request, office, panel, application)
    agreed = AgreedRecommendation.objects.filter(application=application).first()
    meetings = [m for m in meetings_of(panel) if m.quorate]
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
            form_error(form, error)
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
