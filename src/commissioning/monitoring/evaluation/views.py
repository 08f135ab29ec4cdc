"""Evaluation pages: the organisation answers the questions of its Year End Assessment,
end-of-award or pilot evaluation; the officer assesses it and may save its finding to the
evidence library. Anything not yours is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError
from commissioning.monitoring.evaluation import services
from commissioning.monitoring.evaluation.forms import AssessmentForm, EvaluationForm, FindingForm
from commissioning.monitoring.evaluation.models import Evaluation
from commissioning.monitoring.models import MonitoringReturn
from commissioning.monitoring.permissions import (
    is_monitoring_reviewer,
    return_for_organisation,
    return_for_staff,
)
from commissioning.monitoring.views import _form_errors, _office
from commissioning.organisations.permissions import organisation_for


def _evaluation_of(ret):
    if ret.kind not in services.EVALUATION_KINDS:
        raise Http404
    return Evaluation.objects.filter(monitoring_return=ret).first()


@login_required
def organisation_evaluation(request, ref, award_ref, number):
    organisation = organisation_for(request.user, ref)
    ret = return_for_organisation(
        request.user,
        organisation,
        award_ref,
        number,
        queryset=MonitoringReturn.objects.select_related("award", "office", "schedule"),
    )
    evaluation = _evaluation_of(ret)
    initial = {q: getattr(evaluation, q, "") for q in services.questions_for(ret.kind)}
    form = EvaluationForm(request.POST or None, kind=ret.kind, initial=initial)
    if request.method == "POST":
        if not ret.is_editable:
            raise Http404
        if form.is_valid():
            try:
                services.evaluation_save(
                    monitoring_return=ret, actor=request.user, data=form.cleaned_data
                )
                messages.success(request, _("Your evaluation has been saved."))
                return redirect(
                    "monitoring:organisation_return",
                    ref=organisation.ref,
                    award_ref=award_ref,
                    number=number,
                )
            except DomainError as exc:
                _form_errors(form, exc)
    return render(
        request,
        "monitoring/organisation/evaluation.html",
        {"organisation": organisation, "ret": ret, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def staff_evaluation(request, office_slug, award_ref, number):
    office = _office(request.user, office_slug)
    ret = return_for_staff(request.user, office, award_ref, number)
    evaluation = _evaluation_of(ret)
    can_change = (
        evaluation is not None
        and not ret.is_editable
        and is_monitoring_reviewer(request.user, office)
    )
    assess_form = AssessmentForm(
        initial={
            "rating": getattr(evaluation, "rating", ""),
            "recommendation": getattr(evaluation, "recommendation", ""),
            "officer_summary": getattr(evaluation, "officer_summary", ""),
        }
    )
    finding_form = FindingForm(
        initial={
            "intervention": ret.title,
            "evidence": getattr(evaluation, "officer_summary", ""),
        }
    )
    if request.method == "POST":
        if not can_change:
            raise Http404
        action = request.POST.get("action")
        form = None
        try:
            if action == "assess":
                form = assess_form = AssessmentForm(request.POST)
                if form.is_valid():
                    services.evaluation_assess(
                        evaluation=evaluation, actor=request.user, **form.cleaned_data
                    )
                    messages.success(request, _("Your assessment has been saved."))
                    return redirect(request.path)
            elif action == "finding":
                form = finding_form = FindingForm(request.POST)
                if form.is_valid():
                    services.evaluation_finding_save(
                        evaluation=evaluation, actor=request.user, **form.cleaned_data
                    )
                    messages.success(request, _("The finding is now in the evidence library."))
                    return redirect(request.path)
            else:
                raise Http404
        except DomainError as exc:
            _form_errors(form, exc)
    return render(
        request,
        "monitoring/staff/evaluation.html",
        {
            "office": office,
            "ret": ret,
            "evaluation": evaluation,
            "questions": [
                (EvaluationForm(kind=ret.kind).fields[q].label, getattr(evaluation, q, ""))
                for q in services.questions_for(ret.kind)
            ],
            "can_change": can_change,
            "assess_form": assess_form,
            "finding_form": finding_form,
        },
        status=400 if assess_form.errors or finding_form.errors else 200,
    )
