"""An evaluator's page of a tender: for each bid, their declaration of interest and then their
scores against the published criteria. Only evaluators seated on the tender reach it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.accounts.permissions import roles_in
from commissioning.core.errors import DomainError
from commissioning.offices.models import Office
from commissioning.procurement import forms
from commissioning.procurement.exercises.models import ProcurementExercise
from commissioning.procurement.exercises.views import form_errors
from commissioning.procurement.permissions import evaluator_of
from commissioning.procurement.tenders import services
from commissioning.procurement.tenders.models import BidConflict, BidScore


def _seat(user, office_slug, reference):
    office = Office.objects.filter(slug=office_slug).first()
    if office is None or not roles_in(user, office):
        raise Http404
    exercise = ProcurementExercise.objects.filter(office=office, reference=reference).first()
    if exercise is None:
        raise Http404
    return office, evaluator_of(user, exercise)


def _render(request, office, evaluator, bound=None):
    exercise = evaluator.exercise
    declared = {d.bid_id: d for d in BidConflict.objects.filter(evaluator=evaluator)}
    scored: dict[int, dict] = {}
    for s in BidScore.objects.filter(evaluator=evaluator):
        scored.setdefault(s.bid_id, {})[f"score_{s.criterion}"] = s.score
    rows = []
    for bid in exercise.bids.select_related("supplier"):
        declare_form, score_form = forms.DeclareForm(prefix=f"d{bid.supplier.ref}"), None
        if bound and bound[0] == bid.pk:
            declare_form = bound[1] if isinstance(bound[1], forms.DeclareForm) else declare_form
        declaration = declared.get(bid.pk)
        if declaration is not None and not declaration.has_conflict:
            score_form = forms.ScoreForm(
                criteria=exercise.criteria,
                prefix=f"s{bid.supplier.ref}",
                initial=scored.get(bid.pk, {}),
            )
            if bound and bound[0] == bid.pk and isinstance(bound[1], forms.ScoreForm):
                score_form = bound[1]
        rows.append(
            {
                "bid": bid,
                "declaration": declaration,
                "declare_form": declare_form,
                "score_form": score_form,
                "scored": bid.pk in scored,
            }
        )
    failed = bool(bound and bound[1].errors)
    return render(
        request,
        "procurement/evaluate.html",
        {"office": office, "exercise": exercise, "evaluator": evaluator, "rows": rows},
        status=400 if failed else 200,
    )


@login_required
def evaluate(request, office_slug, reference):
    office, evaluator = _seat(request.user, office_slug, reference)
    return _render(request, office, evaluator)


def _bid(evaluator, supplier_ref):
    bid = evaluator.exercise.bids.filter(supplier__ref=supplier_ref).first()
    if bid is None:
        raise Http404
    return bid


@login_required
@require_POST
def declare(request, office_slug, reference, supplier_ref):
    office, evaluator = _seat(request.user, office_slug, reference)
    bid = _bid(evaluator, supplier_ref)
    form = forms.DeclareForm(request.POST, prefix=f"d{supplier_ref}")
    if form.is_valid():
        try:
            services.bid_conflict_declare(
                evaluator=evaluator, bid=bid, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Your declaration is recorded."))
            return redirect("procurement:evaluate", office.slug, reference)
    return _render(request, office, evaluator, bound=(bid.pk, form))


@login_required
@require_POST
def score(request, office_slug, reference, supplier_ref):
    office, evaluator = _seat(request.user, office_slug, reference)
    bid = _bid(evaluator, supplier_ref)
    form = forms.ScoreForm(
        request.POST, criteria=evaluator.exercise.criteria, prefix=f"s{supplier_ref}"
    )
    if form.is_valid():
        try:
            services.bid_score(
                evaluator=evaluator, bid=bid, scores=form.scores(), actor=request.user
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("procurement:evaluate", office.slug, reference)
    return _render(request, office, evaluator, bound=(bid.pk, form))
