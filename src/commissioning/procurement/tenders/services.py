"""Every write to a tender's evaluation: seating evaluators, their declarations of interest on
each bid, and their scores. A tender cannot be evaluated by a panel the office's pack would
refuse: too few evaluators, or no independent member where the pack asks for one (CAM 5.2)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.accounts.permissions import roles_in
from commissioning.assessment.models import Standing
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.procurement.exercises.models import Bid, ExerciseStatus, ProcurementExercise
from commissioning.procurement.rules import SCORE_MAX
from commissioning.procurement.tenders.models import BidConflict, BidScore, Evaluator


def evaluation_panel_check(exercise: ProcurementExercise) -> None:
    """Refuse a panel the pack would not accept, saying what is missing."""
    evaluators = list(exercise.evaluators.all())
    if exercise.independent_member_required and not any(e.is_independent for e in evaluators):
        raise DomainError(
            _(
                "The evaluation panel needs an independent member; add one before the bids are "
                "evaluated."
            )
        )
    if len(evaluators) < exercise.panel_min_members:
        raise DomainError(
            _("The evaluation panel needs at least %(count)s evaluators; it has %(has)s.")
            % {"count": exercise.panel_min_members, "has": len(evaluators)}
        )


def evaluator_add(
    *, exercise: ProcurementExercise, user, standing: str, actor, service_user: bool = False
) -> Evaluator:
    """Seat an evaluator. They hold a role in the office, so sign in with a second factor."""
    if not exercise.is_tender:
        raise DomainError(_("Only a competitive tender has an evaluation panel."))
    if exercise.status not in {ExerciseStatus.PLANNING, ExerciseStatus.OPEN}:
        raise DomainError(_("The panel is formed before the bids are evaluated."))
    if standing not in Standing.values:
        raise DomainError(_("Choose the evaluator's standing."), field="standing")
    if not roles_in(user, exercise.office):
        raise DomainError(
            _("%(person)s has no role in %(office)s. Give them the panel member role first.")
            % {"person": user, "office": exercise.office.short_name},
            field="user",
        )
    if exercise.evaluators.filter(user=user).exists():
        raise DomainError(
            _("%(person)s is already on this panel.") % {"person": user}, field="user"
        )
    with transaction.atomic():
        evaluator = Evaluator.objects.create(
            exercise=exercise,
            user=user,
            standing=standing,
            service_user=service_user,
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.evaluator_added",
            target=exercise,
            office=exercise.office,
            data={"user": user.pk, "standing": standing, "service_user": service_user},
        )
    return evaluator


def service_users_record(*, exercise: ProcurementExercise, actor, how: str) -> ProcurementExercise:
    """Record how service users took part in the evaluation (CAM 5.2: where possible)."""
    how = (how or "").strip()
    if not how:
        raise DomainError(_("Say how service users took part."), field="how")
    with transaction.atomic():
        exercise.service_users_involved, exercise.service_user_involvement = True, how
        exercise.save(
            update_fields=["service_users_involved", "service_user_involvement", "updated_at"]
        )
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.service_users_recorded",
            target=exercise,
            office=exercise.office,
        )
    return exercise


def _evaluating(evaluator: Evaluator, bid: Bid) -> None:
    if bid.exercise_id != evaluator.exercise_id:
        raise DomainError(_("This bid is not before your panel."))
    if evaluator.exercise.status != ExerciseStatus.EVALUATION:
        raise DomainError(_("The bids are not being evaluated now."))
    evaluation_panel_check(evaluator.exercise)


def bid_conflict_declare(
    *, evaluator: Evaluator, bid: Bid, has_conflict: bool, interest: str, actor
) -> BidConflict:
    """Before scoring a bid, an evaluator says whether they have an interest in it, as for
    funding panels (AS2). A declared conflict stands and keeps them from scoring the bid."""
    interest = (interest or "").strip()
    if has_conflict and not interest:
        raise DomainError(_("Describe the interest you have"), field="interest")
    _evaluating(evaluator, bid)
    with transaction.atomic():
        found = BidConflict.objects.select_for_update().filter(evaluator=evaluator, bid=bid).first()
        if found is not None:
            if found.has_conflict:
                raise DomainError(_("You declared a conflict of interest on this bid; it stands."))
            if not has_conflict:
                return found
            found.has_conflict, found.interest, found.declared_at = True, interest, timezone.now()
            found.save(update_fields=["has_conflict", "interest", "declared_at"])
            BidScore.objects.filter(evaluator=evaluator, bid=bid).delete()
            declaration = found
        else:
            declaration = BidConflict.objects.create(
                evaluator=evaluator,
                bid=bid,
                has_conflict=has_conflict,
                interest=interest if has_conflict else "",
            )
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.conflict_declared",
            target=evaluator.exercise,
            office=evaluator.exercise.office,
            data={"evaluator": evaluator.pk, "bid": bid.pk, "has_conflict": has_conflict},
        )
    return declaration


def bid_score(
    *, evaluator: Evaluator, bid: Bid, scores: dict, comments: dict | None = None, actor
) -> list[BidScore]:
    """An evaluator's scores of a bid, 0 to 5 on every published criterion."""
    _evaluating(evaluator, bid)
    declaration = BidConflict.objects.filter(evaluator=evaluator, bid=bid).first()
    if declaration is None:
        raise DomainError(_("Declare whether you have an interest in this bid first."))
    if declaration.has_conflict:
        raise DomainError(_("You declared a conflict of interest on this bid, so cannot score it."))
    comments = comments or {}
    cleaned = {}
    for criterion in evaluator.exercise.criteria:
        code = criterion["code"]
        try:
            value = int(scores.get(code, ""))
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= SCORE_MAX:
            raise DomainError(
                _("Score %(criterion)s from 0 to 5.") % {"criterion": criterion["title"]},
                field=f"score_{code}",
            )
        cleaned[code] = value
    with transaction.atomic():
        BidScore.objects.filter(evaluator=evaluator, bid=bid).delete()
        rows = BidScore.objects.bulk_create(
            BidScore(
                evaluator=evaluator,
                bid=bid,
                criterion=code,
                score=value,
                comment=(comments.get(code) or "").strip(),
            )
            for code, value in cleaned.items()
        )
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.bid_scored",
            target=evaluator.exercise,
            office=evaluator.exercise.office,
            data={"evaluator": evaluator.pk, "bid": bid.pk, "scores": cleaned},
        )
    return rows
