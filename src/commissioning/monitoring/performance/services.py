"""Writes for performance management (MO6): improvement plans and their actions, and
de-commissioning, discussed with the provider and decided by a signed decision record
(subject kind "decommissioning")."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.transitions import transition
from commissioning.monitoring.performance.models import (
    DECOMMISSIONING_WORKFLOW,
    CommentSide,
    Decommissioning,
    DecommissioningComment,
    DecommissioningRisk,
    DecommissioningStatus,
    ImprovementAction,
    ImprovementPlan,
    Level,
    PlanStatus,
)

SUBJECT_KIND = "decommissioning"


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _required(value, field: str, message: str, limit: int = 20000) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, field=field)
    return text[:limit]


# Improvement plans ---------------------------------------------------------------------------


def improvement_plan_open(*, award, actor, reason: str) -> ImprovementPlan:
    reason = _required(reason, "reason", _("Say why the award needs an improvement plan."))
    with transaction.atomic():
        if ImprovementPlan.objects.filter(award=award, status=PlanStatus.OPEN).exists():
            raise DomainError(_("This award already has an open improvement plan."))
        plan = ImprovementPlan.objects.create(
            office=award.office, award=award, reason=reason, created_by=_actor(actor)
        )
        audit_event_record(
            actor=actor,
            verb="improvement_plan.opened",
            target=plan,
            office=award.office,
            data={"award": award.reference},
        )
    return plan


def _open_plan(plan) -> ImprovementPlan:
    locked = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.OPEN:
        raise DomainError(_("This improvement plan is closed."))
    return locked


def improvement_action_add(
    *, plan, actor, description: str, owner_name: str, due_on: dt.date
) -> ImprovementAction:
    description = _required(description, "description", _("Say what is to be done."), 5000)
    owner_name = _required(owner_name, "owner_name", _("Name who will do it."), 200)
    with transaction.atomic():
        locked = _open_plan(plan)
        if due_on < locked.created_at.date():
            raise DomainError(
                _("The action must be due after the plan was opened."), field="due_on"
            )
        action = ImprovementAction.objects.create(
            plan=locked,
            description=description,
            owner_name=owner_name,
            due_on=due_on,
            created_by=_actor(actor),
        )
        audit_event_record(
            actor=actor,
            verb="improvement_action.added",
            target=action,
            office=locked.office,
            data={"due_on": due_on.isoformat()},
        )
    return action


def improvement_action_done(*, action, actor, done_on: dt.date | None = None):
    done_on = done_on or timezone.localdate()
    with transaction.atomic():
        locked = (
            ImprovementAction.objects.select_for_update(of=("self",))
            .select_related("plan")
            .get(pk=action.pk)
        )
        if locked.done_on:
            raise DomainError(_("This action is already marked as done."))
        locked.done_on = done_on
        locked.save(update_fields=["done_on", "updated_at"])
        audit_event_record(
            actor=actor, verb="improvement_action.done", target=locked, office=locked.plan.office
        )
    return locked


def improvement_plan_close(*, plan, actor, note: str, now=None) -> ImprovementPlan:
    note = _required(note, "closing_note", _("Say how the plan ended."), 5000)
    with transaction.atomic():
        locked = _open_plan(plan)
        locked.status, locked.closing_note = PlanStatus.CLOSED, note
        locked.closed_at = now or timezone.now()
        locked.updated_by = _actor(actor)
        locked.save(
            update_fields=["status", "closing_note", "closed_at", "updated_at", "updated_by"]
        )
        audit_event_record(
            actor=actor, verb="improvement_plan.closed", target=locked, office=locked.office
        )
    return locked


# De-commissioning ----------------------------------------------------------------------------


def _risks(rows) -> list[dict]:
    clean = []
    for row in rows:
        risk = (row.get("risk") or "").strip()
        if not risk:
            continue
        if row.get("likelihood") not in Level.values or row.get("impact") not in Level.values:
            raise DomainError(
                _("Give the likelihood and impact of each risk as low, medium or high."),
                field="risks",
            )
        mitigation = (row.get("mitigation") or "").strip()
        if not mitigation:
            raise DomainError(_("Say how each risk will be managed."), field="risks")
        clean.append(
            {
                "risk": risk[:5000],
                "likelihood": row["likelihood"],
                "impact": row["impact"],
                "mitigation": mitigation[:5000],
            }
        )
    if not clean:
        raise DomainError(
            _("Assess at least one risk to the people who use the service."), field="risks"
        )
    return clean


def decommissioning_propose(
    *, award, actor, reason: str, proposed_end_on: dt.date, risks: list[dict]
) -> Decommissioning:
    """Propose ending an award early, with the risk assessment, to discuss with the provider."""
    reason = _required(reason, "reason", _("Say why the service should end."))
    if proposed_end_on < award.starts_on or proposed_end_on > award.ends_on:
        raise DomainError(
            _("The proposed end must fall within the award, before %(end)s.")
            % {"end": award.ends_on.strftime("%-d %B %Y")},
            field="proposed_end_on",
        )
    rows = _risks(risks)
    with transaction.atomic():
        open_ = Decommissioning.objects.select_for_update().filter(
            award=award,
            status__in=[DecommissioningStatus.CONSULTING, DecommissioningStatus.FOR_DECISION],
        )
        if open_.exists():
            raise DomainError(_("A de-commissioning of this award is already under way."))
        count = Decommissioning.objects.filter(award=award).count()
        item = Decommissioning.objects.create(
            office=award.office,
            award=award,
            reference=f"{award.reference}-DC{count + 1}",
            reason=reason,
            proposed_end_on=proposed_end_on,
            created_by=_actor(actor),
        )
        DecommissioningRisk.objects.bulk_create(
            DecommissioningRisk(decommissioning=item, **row) for row in rows
        )
        audit_event_record(
            actor=actor,
            verb="decommissioning.proposed",
            target=item,
            office=award.office,
            data={"award": award.reference, "risks": len(rows)},
        )
    return item


def decommissioning_comment(*, decommissioning, actor, side: str, text: str):
    """A comment from the office or the provider; each is kept as written."""
    text = _required(text, "text", _("Write your comment."), 20000)
    if side not in CommentSide.values:
        raise DomainError(_("A comment is from the office or the provider."))
    with transaction.atomic():
        locked = Decommissioning.objects.select_for_update().get(pk=decommissioning.pk)
        if locked.status != DecommissioningStatus.CONSULTING:
            raise DomainError(_("The discussion of this de-commissioning has closed."))
        comment = DecommissioningComment.objects.create(
            decommissioning=locked, side=side, author=_actor(actor), text=text
        )
        audit_event_record(
            actor=actor,
            verb="decommissioning.commented",
            target=locked,
            office=locked.office,
            data={"side": side},
        )
    return comment


def decommissioning_refer_for_decision(*, decommissioning, actor, now=None) -> Decommissioning:
    """Close the discussion and draft the decision record, with the reasons, the risk
    assessment and both sides' comments, for signature. Needs the provider's view."""
    with transaction.atomic():
        locked = (
            Decommissioning.objects.select_for_update(of=("self",))
            .select_related("award", "office")
            .get(pk=decommissioning.pk)
        )
        comments = list(locked.comments.order_by("at", "id"))
        if not any(c.side == CommentSide.PROVIDER for c in comments):
            raise DomainError(
                _("The provider has not yet given its view. Ask it to comment first.")
            )
        award = locked.award
        risks = "\n".join(
            f"- {r.risk} (likelihood {r.likelihood}, impact {r.impact}). {r.mitigation}"
            for r in locked.risks.all()
        )
        views = "\n".join(f"- {c.get_side_display()}: {c.text}" for c in comments)
        from commissioning.decisions.services import decision_create_for_subject

        decision = decision_create_for_subject(
            office=locked.office,
            actor=actor,
            fields={
                "title": _("De-commissioning of %(ref)s") % {"ref": award.reference},
                "summary": _("End %(title)s (%(org)s) on %(end)s.")
                % {
                    "title": award.title,
                    "org": award.organisation.name,
                    "end": locked.proposed_end_on.strftime("%-d %B %Y"),
                },
                "rationale": f"{locked.reason}\n\n{_('Risk assessment')}:\n{risks}",
                "options_considered": f"{_('The views given')}:\n{views}",
                "financial_implications": _("The award is for %(amount)s.")
                % {"amount": f"£{award.amount:,.2f}"},
            },
            subject_kind=SUBJECT_KIND,
            subject_reference=locked.reference,
            amount=Decimal(award.amount),
            now=now,
        )
        locked.decision = decision
        locked.save(update_fields=["decision", "updated_at"])
        transition(
            DECOMMISSIONING_WORKFLOW, locked, to=DecommissioningStatus.FOR_DECISION, actor=actor
        )
    decommissioning.refresh_from_db()
    return decommissioning


def decommissioning_withdraw(*, decommissioning, actor, reason: str) -> Decommissioning:
    reason = _required(reason, "reason", _("Say why it is withdrawn."), 5000)
    with transaction.atomic():
        transition(
            DECOMMISSIONING_WORKFLOW,
            decommissioning,
            to=DecommissioningStatus.WITHDRAWN,
            actor=actor,
            note=reason,
        )
    return decommissioning


def decommissioning_decision_signed(*, decision, links, actor, now) -> None:
    """Registered with the decisions app: the signed record decides the de-commissioning."""
    if decision.subject_kind != SUBJECT_KIND:
        return
    found = Decommissioning.objects.filter(decision=decision).first()
    if found is None:
        raise DomainError(_("No de-commissioning waits for this decision record."))
    transition(DECOMMISSIONING_WORKFLOW, found, to=DecommissioningStatus.DECIDED, actor=actor)
