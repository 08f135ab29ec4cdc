"""Writes to commissioning projects: create, edit, record a step, leave a stage (the stage
gate), close, stop, and record the review. Each runs in one transaction with an audit event."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.money import MAX_MONEY
from commissioning.cycle.projects.models import (
    CommissioningProject,
    ProjectReview,
    ProjectSequence,
    ProjectStageChange,
    ProjectStatus,
    ProjectStep,
    ReviewOutcome,
)
from commissioning.cycle.projects.rules import missing_steps, stage_after, stage_model, stages_up_to
from commissioning.cycle.projects.selectors import steps_done

CLOSED = "CLOSED"


def _next_reference(office, now) -> str:
    year = timezone.localtime(now).year
    ProjectSequence.objects.bulk_create(
        [ProjectSequence(office=office, year=year)], ignore_conflicts=True
    )
    sequence = ProjectSequence.objects.select_for_update().get(office=office, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{office.code}-CP-{year}-{sequence.last:03d}"


def _check_values(office, *, title: str, value, priorities, areas) -> None:
    if not title.strip():
        raise DomainError(_("Enter a title for the project"), field="title")
    if value is None or value < 0 or value > MAX_MONEY:
        raise DomainError(_("Enter the project's estimated value in pounds"), field="value")
    if any(p.plan.office_id != office.pk for p in priorities):
        raise DomainError(_("Choose priorities from the office's plan"), field="priorities")
    if any(a.office_id != office.pk for a in areas):
        raise DomainError(_("Choose areas of the office"), field="areas")


def _lock(project: CommissioningProject) -> CommissioningProject:
    return CommissioningProject.objects.select_for_update().get(pk=project.pk)


def _check_active(project: CommissioningProject) -> None:
    if project.status != ProjectStatus.ACTIVE:
        raise DomainError(_("The project is closed; it cannot be changed."))


def project_create(
    *,
    office,
    actor,
    title: str,
    value: Decimal,
    summary: str = "",
    priorities=(),
    areas=(),
    lead=None,
    now=None,
) -> CommissioningProject:
    """A new project, at the first stage of the office's stage model."""
    now = now or timezone.now()
    stages = stage_model(office.policy)
    if not stages:
        raise DomainError(_("The office's policy pack has no stage model."))
    priorities, areas = list(priorities), list(areas)
    _check_values(office, title=title, value=value, priorities=priorities, areas=areas)
    with transaction.atomic():
        project = CommissioningProject.objects.create(
            office=office,
            reference=_next_reference(office, now),
            title=title.strip(),
            summary=summary.strip(),
            value=value,
            stage=stages[0].code,
            lead=lead,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        project.priorities.set(priorities)
        project.areas.set(areas)
        audit_event_record(
            actor=actor,
            verb="commissioning_project.created",
            target=project,
            office=office,
            data={"reference": project.reference, "value": str(value), "stage": project.stage},
        )
    return project


def project_update(
    *, project, actor, title: str, value: Decimal, summary: str, priorities, areas, lead=None
) -> CommissioningProject:
    priorities, areas = list(priorities), list(areas)
    _check_values(project.office, title=title, value=value, priorities=priorities, areas=areas)
    with transaction.atomic():
        locked = _lock(project)
        _check_active(locked)
        before = {"title": locked.title, "value": str(locked.value)}
        locked.title, locked.summary, locked.value = title.strip(), summary.strip(), value
        locked.lead = lead
        locked.updated_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["title", "summary", "value", "lead", "updated_by", "updated_at"])
        locked.priorities.set(priorities)
        locked.areas.set(areas)
        audit_event_record(
            actor=actor,
            verb="commissioning_project.updated",
            target=locked,
            office=locked.office,
            data={"before": before, "after": {"title": locked.title, "value": str(value)}},
        )
    return locked


def project_step_record(*, project, actor, code: str, note: str, now=None) -> ProjectStep:
    """An officer records a step of the current or an earlier stage as done, saying what was
    done and where the evidence is."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say what was done and where the evidence is"), field="note")
    with transaction.atomic():
        locked = _lock(project)
        _check_active(locked)
        reached = stages_up_to(stage_model(locked.office.policy), locked.stage)
        stage = next((s for s in reached if s.step(code)), None)
        if stage is None:
            raise DomainError(_("That is not a step of this or an earlier stage."), field="code")
        if locked.recorded_steps.filter(code=code).exists():
            raise DomainError(_("That step is already recorded as done."), field="code")
        step = ProjectStep.objects.create(
            project=locked,
            stage=stage.code,
            code=code,
            note=note,
            done_at=now,
            done_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_event_record(
            actor=actor,
            verb="commissioning_project.step_recorded",
            target=locked,
            office=locked.office,
            data={"stage": stage.code, "step": code, "note": note},
        )
    return step


def _gate(project, stages) -> None:
    """Refuse to leave the stage while a step its value requires is not done; name them."""
    current = next(s for s in stages if s.code == project.stage)
    missing = missing_steps(current, project.value, steps_done(project))
    if missing:
        raise DomainError(
            _("The project cannot leave %(stage)s until these steps are done: %(steps)s.")
            % {
                "stage": current.title,
                "steps": get_text_list([step.title for step in missing], _("and")),
            }
        )


def _change(project, *, old: str, new: str, actor, note: str, now) -> None:
    ProjectStageChange.objects.create(
        project=project,
        old=old,
        new=new,
        at=now,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def project_stage_advance(*, project, actor, note: str = "", now=None) -> CommissioningProject:
    """Move the project to the next stage, if every step required at its value is done."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(project)
        _check_active(locked)
        stages = stage_model(locked.office.policy)
        following = stage_after(stages, locked.stage)
        if following is None:
            raise DomainError(_("This is the last stage: close the project instead."))
        _gate(locked, stages)
        old = locked.stage
        locked.stage = following.code
        locked.updated_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["stage", "updated_by", "updated_at"])
        _change(locked, old=old, new=following.code, actor=actor, note=note, now=now)
        audit_event_record(
            actor=actor,
            verb="commissioning_project.stage_changed",
            target=locked,
            office=locked.office,
            data={"from": old, "to": following.code, "note": note},
        )
    project.stage = locked.stage
    return locked


def project_close(*, project, actor, note: str = "", now=None) -> CommissioningProject:
    """Complete the project from its last stage, once that stage's required steps are done."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(project)
        _check_active(locked)
        stages = stage_model(locked.office.policy)
        if stage_after(stages, locked.stage) is not None:
            raise DomainError(_("A project is closed from its last stage."))
        _gate(locked, stages)
        locked.status, locked.closed_at = ProjectStatus.COMPLETED, now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        _change(locked, old=locked.stage, new=CLOSED, actor=actor, note=note, now=now)
        audit_event_record(
            actor=actor,
            verb="commissioning_project.completed",
            target=locked,
            office=locked.office,
            data={"note": note},
        )
    project.status, project.closed_at = locked.status, locked.closed_at
    return locked


def project_stop(*, project, actor, reason: str, now=None) -> CommissioningProject:
    """Stop a project at any stage, with the reason (no gate: nothing is being commissioned)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the project is stopping"), field="reason")
    with transaction.atomic():
        locked = _lock(project)
        _check_active(locked)
        locked.status, locked.closed_at = ProjectStatus.ABANDONED, now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        _change(locked, old=locked.stage, new=CLOSED, actor=actor, note=reason, now=now)
        audit_event_record(
            actor=actor,
            verb="commissioning_project.stopped",
            target=locked,
            office=locked.office,
            data={"reason": reason},
        )
    return locked


def project_review_record(
    *, project, actor, reviewed_on, summary: str, outcome: str
) -> ProjectReview:
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(_("Say what the review found"), field="summary")
    if outcome not in ReviewOutcome.values:
        raise DomainError(_("Choose what happens next"), field="outcome")
    if reviewed_on is None or reviewed_on > timezone.localdate():
        raise DomainError(_("The review date must be today or in the past"), field="reviewed_on")
    with transaction.atomic():
        locked = _lock(project)
        review = ProjectReview.objects.create(
            project=locked,
            reviewed_on=reviewed_on,
            summary=summary,
            outcome=outcome,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_event_record(
            actor=actor,
            verb="commissioning_project.reviewed",
            target=locked,
            office=locked.office,
            data={"outcome": outcome, "reviewed_on": reviewed_on.isoformat()},
        )
    return review
