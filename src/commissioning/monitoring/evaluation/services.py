"""Evaluations (MO5): the organisation answers the evaluation questions of a Year End
Assessment, an end-of-award or a pilot evaluation with the return of that kind; the officer
assesses it; a finding can go to the evidence library (CY5) through the cycle app's service."""

from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.cycle.evidence.models import EvidenceRating
from commissioning.cycle.evidence.services import evidence_item_save
from commissioning.monitoring.evaluation.models import Evaluation, Recommendation
from commissioning.monitoring.models import EDITABLE, MonitoringReturn, ReturnKind

EVALUATION_KINDS = frozenset(
    {
        ReturnKind.YEAR_END_ASSESSMENT,
        ReturnKind.END_OF_AWARD_EVALUATION,
        ReturnKind.PILOT_EVALUATION,
    }
)
QUESTIONS = ("achievements", "what_worked", "challenges", "lessons", "sustainability")
# The questions a Year End Assessment leaves out: the project goes on.
NOT_AT_YEAR_END = frozenset({"sustainability"})


def questions_for(kind: str) -> tuple[str, ...]:
    if kind == ReturnKind.YEAR_END_ASSESSMENT:
        return tuple(q for q in QUESTIONS if q not in NOT_AT_YEAR_END)
    return QUESTIONS


def evaluation_missing(ret: MonitoringReturn) -> list[tuple[str, str]]:
    """(field, message) for each evaluation question not yet answered, for a return of an
    evaluation kind; nothing for other returns."""
    if ret.kind not in EVALUATION_KINDS:
        return []
    evaluation = Evaluation.objects.filter(monitoring_return=ret).first()
    missing = [q for q in questions_for(ret.kind) if not getattr(evaluation, q, "")]
    if not missing:
        return []
    return [
        (
            "evaluation",
            _("Answer the evaluation questions (%(n)s still to answer) before you submit.")
            % {"n": len(missing)},
        )
    ]


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def evaluation_save(*, monitoring_return, actor, data: dict) -> Evaluation:
    """Save the organisation's answers while the return can still be changed."""
    with transaction.atomic():
        ret = MonitoringReturn.objects.select_for_update().get(pk=monitoring_return.pk)
        if ret.kind not in EVALUATION_KINDS:
            raise DomainError(_("This return has no evaluation questions."))
        if ret.status not in EDITABLE:
            raise DomainError(_("This return has been submitted, so it can no longer be changed."))
        evaluation, _created = Evaluation.objects.get_or_create(
            monitoring_return=ret,
            defaults={"office_id": ret.office_id, "created_by": _actor(actor)},
        )
        asked = questions_for(ret.kind)
        for name in asked:
            if name in data:
                setattr(evaluation, name, str(data[name] or "").strip()[:20000])
        evaluation.updated_by = _actor(actor)
        evaluation.save()
        audit_event_record(
            actor=actor,
            verb="evaluation.saved",
            target=evaluation,
            office=ret.office,
            data={"fields": sorted(n for n in asked if n in data)},
        )
    return evaluation


def evaluation_assess(
    *, evaluation, actor, rating: str, recommendation: str, officer_summary: str
) -> Evaluation:
    """The officer's assessment of a submitted evaluation."""
    if rating not in EvidenceRating.values:
        raise DomainError(_("Choose how well it worked."), field="rating")
    if recommendation not in Recommendation.values:
        raise DomainError(_("Choose a recommendation."), field="recommendation")
    summary = (officer_summary or "").strip()
    if not summary:
        raise DomainError(_("Summarise what the evaluation shows."), field="officer_summary")
    with transaction.atomic():
        # The return too: it must stay submitted (not sent back) until this is saved.
        locked = (
            Evaluation.objects.select_for_update(of=("self", "monitoring_return"))
            .select_related("monitoring_return")
            .get(pk=evaluation.pk)
        )
        if locked.monitoring_return.status in EDITABLE:
            raise DomainError(_("The organisation has not yet submitted this evaluation."))
        locked.rating, locked.recommendation = rating, recommendation
        locked.officer_summary = summary[:20000]
        locked.updated_by = _actor(actor)
        locked.save(
            update_fields=[
                "rating",
                "recommendation",
                "officer_summary",
                "updated_at",
                "updated_by",
            ]
        )
        audit_event_record(
            actor=actor,
            verb="evaluation.assessed",
            target=locked,
            office=locked.office,
            data={"rating": rating, "recommendation": recommendation},
        )
    return locked


def evaluation_finding_save(
    *, evaluation, actor, intervention: str, evidence: str, source: str = ""
):
    """Save the assessed evaluation's finding to the office's evidence library (CY5)."""
    with transaction.atomic():
        locked = (
            Evaluation.objects.select_for_update(of=("self",))
            .select_related("monitoring_return__award", "monitoring_return__schedule", "office")
            .get(pk=evaluation.pk)
        )
        if not locked.rating:
            raise DomainError(_("Assess the evaluation before saving its finding."))
        if locked.evidence_item_id:
            raise DomainError(_("This evaluation's finding is already in the evidence library."))
        ret = locked.monitoring_return
        item = evidence_item_save(
            office=locked.office,
            actor=actor,
            intervention=intervention,
            evidence=evidence,
            rating=locked.rating,
            source=source or f"{ret.get_kind_display()}, {ret.title}",
            source_reference=ret.reference,
        )
        locked.evidence_item = item
        locked.save(update_fields=["evidence_item", "updated_at"])
    return item
