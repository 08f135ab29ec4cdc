"""Reads for commissioning projects: the office's list (constant queries), a project's page
with its stages, steps and links, and which steps are done."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q

from commissioning.cycle import hooks
from commissioning.cycle.projects.models import CommissioningProject, ProjectStatus
from commissioning.cycle.projects.rules import Stage, Step, stage_model, stages_up_to

STATUS_VIEWS = ("active", "completed", "abandoned", "all")


def project_page_of(office, *, status: str = "active", stage: str = "", q: str = "", page=1):
    """A page of the office's projects: one query for the rows, one count."""
    queryset = CommissioningProject.objects.filter(office=office)
    if status in ProjectStatus.values:
        queryset = queryset.filter(status=status)
    if stage:
        queryset = queryset.filter(stage=stage)
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(reference__icontains=q))
    rows = queryset.select_related("lead").order_by("-created_at", "-pk")
    return Paginator(rows, 25).get_page(page)


def project_for_office(office, reference: str) -> CommissioningProject | None:
    return (
        CommissioningProject.objects.filter(office=office, reference=reference)
        .select_related("office__policy", "lead")
        .first()
    )


def steps_done(project, codes=None) -> set[str]:
    """The codes of the project's steps that are done: recorded by an officer, or evidenced by
    the records an app has registered for the step's code (cycle/hooks.py)."""
    if codes is None:
        codes = {step.code for stage in stage_model(project.office.policy) for step in stage.steps}
    done = set(project.recorded_steps.values_list("code", flat=True))
    for code in set(codes) - done:
        check = hooks.step_evidence(code)
        if check is not None and check(project):
            done.add(code)
    return done


@dataclass(frozen=True)
class StepRow:
    step: Step
    required: bool
    done: bool
    recorded: object  # the ProjectStep, if an officer recorded it
    evidenced: bool  # an app can show this step's evidence


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    position: int
    current: bool
    reached: bool
    steps: list[StepRow]

    @property
    def missing(self) -> list[Step]:
        return [row.step for row in self.steps if row.required and not row.done]


def project_stages(project) -> list[StageRow]:
    """Each stage with its steps: required at the project's value or not, done or not."""
    stages = stage_model(project.office.policy)
    reached = {stage.code for stage in stages_up_to(stages, project.stage)}
    recorded = {step.code: step for step in project.recorded_steps.select_related("done_by")}
    done = steps_done(project)
    evidenced = hooks.evidenced_codes()
    return [
        StageRow(
            stage=stage,
            position=index,
            current=stage.code == project.stage and project.is_active,
            reached=stage.code in reached,
            steps=[
                StepRow(
                    step=step,
                    required=step.required_at(project.value),
                    done=step.code in done,
                    recorded=recorded.get(step.code),
                    evidenced=step.code in evidenced,
                )
                for step in stage.steps
            ],
        )
        for index, stage in enumerate(stages, start=1)
    ]


def project_records(project) -> dict:
    """What the project links: its needs assessments, engagement, surveys and reviews (here),
    and the rounds, procurement, contracts and awards other apps register (hooks)."""
    links = hooks.project_links(project)
    return {
        "needs": list(project.needs_assessments.order_by("-assessed_on")),
        "events": list(project.engagement_events.order_by("-held_on")),
        "surveys": list(project.feedback_surveys.order_by("-closes_on")),
        "reviews": list(project.reviews.order_by("-reviewed_on")),
        "links": links,
        "changes": list(project.stage_changes.select_related("actor")),
    }
