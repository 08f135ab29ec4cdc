"""What procurement does when a decision record about one of its exercises is fully signed
(registered with decisions.hooks.on_decision_signed in ProcurementConfig.ready()). It runs in
the signing transaction: a contract that cannot be committed refuses the last signature."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.core.errors import DomainError
from commissioning.decisions.hooks import SubjectKind
from commissioning.procurement.contracts.services import contract_register
from commissioning.procurement.exercises.models import ExerciseStatus, ProcurementExercise
from commissioning.procurement.exercises.services import (
    AWARD,
    SINGLE_TENDER,
    exercise_transition,
    single_tender_approve,
)


def _exercise_link(decision) -> str:
    return reverse("procurement:exercise", args=[decision.office.slug, decision.subject_reference])


DECISION_SUBJECTS = (
    SubjectKind(
        code=SINGLE_TENDER,
        label=gettext_lazy("Justification of a single tender"),
        link=_exercise_link,
    ),
    SubjectKind(code=AWARD, label=gettext_lazy("Contract award"), link=_exercise_link),
)


def decision_signed(*, decision, links, actor, now):
    kind = getattr(decision, "subject_kind", "")
    if kind == SINGLE_TENDER:
        exercise = ProcurementExercise.objects.filter(single_tender_decision=decision).first()
        if exercise is not None:
            single_tender_approve(exercise=exercise, decision=decision, actor=actor)
    elif kind == AWARD:
        exercise = (
            ProcurementExercise.objects.select_for_update(of=("self",))
            .select_related("office__policy", "fund", "winning_bid__supplier", "pooled_budget")
            .filter(award_decision=decision)
            .first()
        )
        if exercise is None:
            return
        if exercise.status != ExerciseStatus.AWARD_PROPOSED:
            raise DomainError(_("The exercise is no longer awaiting its award."))
        contract_from_award(exercise=exercise, actor=actor, now=now)


def contract_from_award(*, exercise: ProcurementExercise, actor, now):
    terms = exercise.contract_terms or {}
    bid = exercise.winning_bid
    contract = contract_register(
        office=exercise.office,
        actor=actor,
        provider=bid.supplier,
        fund=exercise.fund,
        title=exercise.title,
        value=bid.price,
        starts_on=exercise.contract_starts_on,
        ends_on=exercise.contract_ends_on,
        award_form=exercise.award_form,
        exercise=exercise,
        pooled_budget=exercise.pooled_budget,
        extensions=[tuple(e) for e in terms.get("extensions", [])],
        kpis=terms.get("kpis", []),
        standards=terms.get("standards"),
        code_rights=terms.get("code_rights"),
        now=now,
    )
    exercise_transition(exercise=exercise, to=ExerciseStatus.AWARDED, actor=actor)
    return contract


def supplies_office(organisation, office) -> bool:
    """An organisation that bid for or holds a contract with the office has dealings with it."""
    from commissioning.procurement.contracts.models import Contract
    from commissioning.procurement.exercises.models import Bid

    return (
        Bid.objects.filter(supplier=organisation, exercise__office=office).exists()
        or Contract.objects.filter(provider=organisation, office=office).exists()
    )
