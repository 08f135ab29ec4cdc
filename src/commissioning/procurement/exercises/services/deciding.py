"""The decisions on an exercise: a single tender and every award are decided by a decision
record (decision subjects "procurement_single_tender" and "procurement_award") that goes
through the office's sign-off tiers; `decision_signed` (procurement/hooks.py) acts when the
last signature lands."""

from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.decisions.services import (
    decision_create_for_subject,
    decision_submit_for_signature,
)
from commissioning.procurement.contracts.services import victims_terms
from commissioning.procurement.exercises.models import Bid, ExerciseStatus, ProcurementExercise
from commissioning.procurement.exercises.services.running import exercise_transition
from commissioning.procurement.tenders.selectors import evaluation_results
from commissioning.procurement.tenders.services import evaluation_panel_check

SINGLE_TENDER = "procurement_single_tender"
AWARD = "procurement_award"


def _decision_fields(exercise: ProcurementExercise, fields: dict, default_title: str) -> dict:
    cleaned = {k: v for k, v in (fields or {}).items() if v not in (None, "")}
    cleaned.setdefault("title", default_title)
    cleaned.setdefault("summary", exercise.description[:1000])
    return cleaned


def single_tender_justify(*, exercise: ProcurementExercise, actor, fields: dict, now=None):
    """Draft the decision record that justifies a single tender and send it for signature;
    the exercise cannot open until it is signed."""
    if not exercise.single_tender:
        raise DomainError(_("This exercise is not a single tender."))
    if exercise.status != ExerciseStatus.PLANNING:
        raise DomainError(_("A single tender is justified before the exercise opens."))
    if exercise.single_tender_decision_id:
        raise DomainError(_("A decision on this single tender has already been drafted."))
    fields = _decision_fields(
        exercise, fields, _("Single tender: %(title)s") % {"title": exercise.title}
    )
    fields.setdefault("rationale", exercise.single_tender_reason)
    with transaction.atomic():
        decision = decision_create_for_subject(
            office=exercise.office,
            actor=actor,
            fields=fields,
            subject_kind=SINGLE_TENDER,
            subject_reference=exercise.reference,
            amount=exercise.estimated_value,
            now=now,
        )
        exercise.single_tender_decision = decision
        exercise.save(update_fields=["single_tender_decision", "updated_at"])
        decision = decision_submit_for_signature(decision=decision, actor=actor, now=now)
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.single_tender_justified",
            target=exercise,
            office=exercise.office,
            data={"decision": decision.number},
        )
    return decision


def single_tender_approve(*, exercise: ProcurementExercise, decision, actor):
    """The single tender's decision record is signed: the exercise may open."""
    with transaction.atomic():
        locked = ProcurementExercise.objects.select_for_update().get(pk=exercise.pk)
        if locked.single_tender_decision_id != decision.pk:
            raise DomainError(_("This decision is not the one on the single tender."))
        locked.single_tender_approved = True
        locked.save(update_fields=["single_tender_approved", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.single_tender_approved",
            target=locked,
            office=locked.office,
            data={"decision": decision.number},
        )
    exercise.single_tender_approved = True
    return exercise


def award_propose(
    *, exercise: ProcurementExercise, bid: Bid, actor, fields: dict | None = None, now=None
):
    """Propose the award to a bid, as a decision record sent for signature under the office's
    sign-off tiers. A tender's award goes to the best-scored bid under the published split."""
    from commissioning.decisions.services import (
        decision_create_for_subject,
        decision_submit_for_signature,
    )

    if bid.exercise_id != exercise.pk:
        raise DomainError(_("Choose one of this exercise's bids."), field="bid")
    if exercise.status != ExerciseStatus.EVALUATION:
        raise DomainError(_("An award is proposed once the quotes or bids are evaluated."))
    if exercise.is_tender:
        evaluation_panel_check(exercise)
        results = evaluation_results(exercise)
        if not results.complete:
            raise DomainError(
                _("Every evaluator must declare their interests and score every bid first.")
            )
        if results.ranked[0].bid_id != bid.pk:
            raise DomainError(
                _(
                    "The award goes to the best-scored bid under the published quality and cost "
                    "split."
                ),
                field="bid",
            )
    terms = exercise.contract_terms or {}
    victims_terms(exercise.office, exercise.fund, terms.get("standards"), terms.get("code_rights"))
    fields = _decision_fields(
        exercise,
        fields or {},
        _("Contract award: %(title)s") % {"title": exercise.title},
    )
    fields.setdefault(
        "rationale",
        _("%(supplier)s, by %(route)s.")
        % {"supplier": bid.supplier.name, "route": exercise.route_label},
    )
    with transaction.atomic():
        decision = decision_create_for_subject(
            office=exercise.office,
            actor=actor,
            fields=fields,
            subject_kind=AWARD,
            subject_reference=exercise.reference,
            amount=bid.price,
            now=now,
        )
        exercise.winning_bid, exercise.award_decision = bid, decision
        exercise.save(update_fields=["winning_bid", "award_decision", "updated_at"])
        exercise_transition(exercise=exercise, to=ExerciseStatus.AWARD_PROPOSED, actor=actor)
        decision = decision_submit_for_signature(decision=decision, actor=actor, now=now)
    return decision
