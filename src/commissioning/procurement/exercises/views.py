"""The office's procurement exercises: the list, starting one, and its page, where officers
open it, record quotes and bids, seat the evaluation panel, close it, and propose the award.
Thin: each view checks permission, validates a form and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.core.errors import DomainError
from commissioning.core.uploads import uploaded_files
from commissioning.procurement import forms, selectors
from commissioning.procurement.contracts.services import is_victims_fund
from commissioning.procurement.exercises import services
from commissioning.procurement.exercises.models import ExerciseStatus
from commissioning.procurement.permissions import (
    exercise_for_staff,
    is_procurement_manager,
    office_for_procurement,
)
from commissioning.procurement.tenders import services as tender_services
from commissioning.procurement.tenders.selectors import evaluation_results


def form_errors(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _manager_office(user, office_slug):
    office = office_for_procurement(user, office_slug)
    if not is_procurement_manager(user, office):
        raise Http404
    return office


@login_required
def exercise_list(request, office_slug):
    office = office_for_procurement(request.user, office_slug)
    return render(
        request,
        "procurement/exercise_list.html",
        {
            "office": office,
            "exercises": list(selectors.exercise_list(office)),
            "can_manage": is_procurement_manager(request.user, office),
        },
    )


@login_required
def exercise_start(request, office_slug):
    office = _manager_office(request.user, office_slug)
    form = forms.ExerciseStartForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = services.exercise_start(
                office=office, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(ref)s started: %(route)s.")
                % {"ref": exercise.reference, "route": exercise.route_label},
            )
            return redirect("procurement:exercise", office.slug, exercise.reference)
    return render(
        request,
        "procurement/exercise_start.html",
        {"office": office, "form": form},
        status=400 if form.errors else 200,
    )


def _page(request, office, exercise, **forms_given):
    exercise = selectors.exercise_with_parts(exercise)
    results = evaluation_results(exercise) if exercise.is_tender else None
    scores = {r.bid_id: r for r in results.ranked} if results else {}
    context = {
        "office": office,
        "exercise": exercise,
        "bids": [(bid, scores.get(bid.pk)) for bid in exercise.bids.all()],
        "results": results,
        "can_manage": is_procurement_manager(request.user, office),
        "open_form": forms.OpenForm(),
        "project_form": forms.ExerciseProjectForm(
            office=office, initial={"project": exercise.project_id}
        ),
        "bid_form": forms.BidForm(),
        "evaluator_form": forms.EvaluatorForm(office=office),
        "propose_form": forms.ProposeForm(exercise=exercise),
        "service_users_form": forms.ServiceUsersForm(),
        "terms_form": forms.ContractTermsForm(victims=is_victims_fund(office, exercise.fund)),
        "seated": any(e.user_id == request.user.pk for e in exercise.evaluators.all()),
    }
    context.update(forms_given)
    failed = any(f.errors for f in forms_given.values())
    return render(
        request, "procurement/exercise_detail.html", context, status=400 if failed else 200
    )


@login_required
def exercise_detail(request, office_slug, reference):
    office = office_for_procurement(request.user, office_slug)
    exercise = exercise_for_staff(request.user, office, reference)
    return _page(request, office, exercise)


def _act(request, office_slug, reference):
    office = _manager_office(request.user, office_slug)
    return office, exercise_for_staff(request.user, office, reference)


def _done(request, office, exercise, message):
    messages.success(request, message)
    return redirect("procurement:exercise", office.slug, exercise.reference)


def _with_signatories(decision) -> str:
    return _("Decision %(number)s is with its signatories.") % {"number": decision.number}


def _submit(request, office, exercise, form_name, form, call, message):
    """The shape of every form on the exercise's page: a valid form goes to one service (`call`
    with the cleaned data); a refusal comes back as the form's error on the page, and success
    as `message` (text, or a function of what the service returned) after a redirect."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except DomainError as exc:
            form_errors(form, exc)
        else:
            return _done(
                request, office, exercise, message(result) if callable(message) else message
            )
    return _page(request, office, exercise, **{form_name: form})


def _press(request, office, exercise, call, message):
    """A button without a form: the service's refusal is shown as a message on the page."""
    try:
        result = call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("procurement:exercise", office.slug, exercise.reference)
    return _done(request, office, exercise, message(result) if callable(message) else message)


@login_required
@require_POST
def exercise_open(request, office_slug, reference):
    office, exercise = _act(request, office_slug, reference)
    return _submit(
        request,
        office,
        exercise,
        "open_form",
        forms.OpenForm(request.POST),
        lambda data: services.exercise_open(exercise=exercise, actor=request.user, **data),
        _("The exercise is open."),
    )


@login_required
@require_POST
def exercise_project(request, office_slug, reference):
    office, exercise = _act(request, office_slug, reference)
    return _submit(
        request,
        office,
        exercise,
        "project_form",
        forms.ExerciseProjectForm(request.POST, office=office),
        lambda data: services.exercise_project_link(
            exercise=exercise, actor=request.user, project=data["project"]
        ),
        _("The commissioning project is saved."),
    )


@login_required
@require_POST
def bid_add(request, office_slug, reference):
    office, exercise = _act(request, office_slug, reference)
    return _submit(
        request,
        office,
        exercise,
        "bid_form",
        forms.BidForm(request.POST, uploaded_files(request)),
        lambda data: services.bid_record(
            exercise=exercise,
            actor=request.user,
            supplier=data["supplier_ref"],
            price=data["price"],
            received_on=data["received_on"],
            document=data["document"],
            local_supplier=data["local_supplier"],
        ),
        _("The quote or bid is recorded."),
    )


@login_required
@require_POST
def evaluator_add(request, office_slug, reference):
    office, exercise = _act(request, office_slug, reference)
    return _submit(
        request,
        office,
        exercise,
        "evaluator_form",
        forms.EvaluatorForm(request.POST, office=office),
        lambda data: tender_services.evaluator_add(exercise=exercise, actor=request.user, **data),
        _("The evaluator is on the panel."),
    )


@login_required
@require_POST
def service_users(request, office_slug, reference):
    office, exercise = _act(request, office_slug, reference)
    return _submit(
        request,
        office,
        exercise,
        "service_users_form",
        forms.ServiceUsersForm(request.POST),
        lambda data: tender_services.service_users_record(
            exercise=exercise, actor=request.user, how=data["how"]
        ),
        _("Service users' part is recorded."),
    )


@login_required
@require_POST
def exercise_close(request, office_slug, reference):
    office, exercise = _act(request, office_slug, reference)
    return _press(
        request,
        office,
        exercise,
        lambda: services.exercise_close(exercise=exercise, actor=request.user),
        _("Closed: the evaluation has begun."),
    )


@login_required
@require_POST
def single_tender_justify(request, office_slug, reference):
    office, exercise = _act(request, office_slug, reference)
    return _press(
        request,
        office,
        exercise,
        lambda: services.single_tender_justify(exercise=exercise, actor=request.user, fields={}),
        _with_signatories,
    )


@login_required
@require_POST
def award_propose(request, office_slug, reference):
    office, exercise = _act(request, office_slug, reference)
    if exercise.status != ExerciseStatus.EVALUATION:
        raise Http404
    return _submit(
        request,
        office,
        exercise,
        "propose_form",
        forms.ProposeForm(request.POST, exercise=exercise),
        lambda data: services.award_propose(exercise=exercise, bid=data["bid"], actor=request.user),
        _with_signatories,
    )


@login_required
@require_POST
def contract_terms(request, office_slug, reference):
    office, exercise = _act(request, office_slug, reference)
    form = forms.ContractTermsForm(request.POST, victims=is_victims_fund(office, exercise.fund))
    return _submit(
        request,
        office,
        exercise,
        "terms_form",
        form,
        lambda _data: services.contract_terms_set(
            exercise=exercise, actor=request.user, **form.terms()
        ),
        _("The contract's terms are saved."),
    )
