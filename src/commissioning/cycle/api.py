"""The commissioning cycle for the office's staff: projects with their stages and steps (and
the stage gate), needs assessments, the service map, its gaps, engagement and survey
summaries. Another office's staff get 404, as for a missing record; a member of the office
whose role does not read commissioning (a panel member) gets 403."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from commissioning.accounts.permissions import roles_in
from commissioning.cycle.engagement.models import FeedbackSurvey
from commissioning.cycle.engagement.selectors import events_for_office, survey_summary
from commissioning.cycle.needs.selectors import (
    PROVISION_VIEWS,
    needs_for_office,
    office_gaps,
    provision_for_office,
)
from commissioning.cycle.permissions import is_commissioning_editor, is_commissioning_reader
from commissioning.cycle.projects.selectors import (
    STATUS_VIEWS,
    project_for_office,
    project_page_of,
    project_records,
    project_stages,
)
from commissioning.cycle.projects.services import project_stage_advance
from commissioning.offices.models import Office

router = Router(tags=["commissioning cycle"])
BASE = "/offices/{slug}/commissioning"


class ErrorOut(Schema):
    detail: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ProjectSummaryOut(Schema):
    reference: str
    title: str
    value: Decimal
    stage: str
    status: str


class StepOut(Schema):
    code: str
    title: str
    required_from: Decimal | None
    required: bool
    done: bool


class StageOut(Schema):
    code: str
    title: str
    current: bool
    steps: list[StepOut]
    missing: list[str]


class LinkOut(Schema):
    label: str
    url: str
    done: bool
    kind: str


class ProjectOut(ProjectSummaryOut):
    summary: str
    stages: list[StageOut]
    needs_assessments: list[str]
    engagement: list[str]
    links: list[LinkOut]


class NeedOut(Schema):
    id: int
    title: str
    evidence: str
    source: str
    assessed_on: dt.date
    level: str
    areas: list[str]
    priorities: list[str]
    project: str | None


class ProvisionOut(Schema):
    id: int
    service: str
    provider: str
    description: str
    funder: str
    annual_funding: Decimal | None
    areas: list[str]
    priorities: list[str]
    starts_on: dt.date | None
    ends_on: dt.date | None


class GapCellOut(Schema):
    area: str
    priority: str
    level: str | None
    needs: int
    services: int
    funding: Decimal
    gap: bool


class EventOut(Schema):
    id: int
    kind: str
    title: str
    held_on: dt.date
    attendees: str
    attendee_count: int | None
    learnt: str
    projects: list[str]


class RatingOut(Schema):
    question: str
    mean: Decimal | None
    counts: list[int]


class SurveySummaryOut(Schema):
    id: int
    title: str
    closes_on: dt.date
    responses: int
    ratings: list[RatingOut]


class ProjectFilters(Schema):
    status: Literal[STATUS_VIEWS] = Field("active", description=", ".join(STATUS_VIEWS))
    page: int = Field(1, ge=1, le=1_000_000)


class ProvisionFilters(Schema):
    view: Literal[PROVISION_VIEWS] = Field("current", description=", ".join(PROVISION_VIEWS))


class AdvanceIn(Schema):
    note: str = Field("", max_length=2000)


def _office(user, slug: str) -> Office:
    office = Office.objects.select_related("policy").filter(slug=slug).first()
    if office is None or not roles_in(user, office):
        raise Http404
    if not is_commissioning_reader(user, office):
        raise HttpError(403, "Your role in this office does not give access to commissioning.")
    return office


def _project(office, reference):
    project = project_for_office(office, reference)
    if project is None:
        raise Http404
    return project


def _summary(project) -> dict:
    return {
        "reference": project.reference,
        "title": project.title,
        "value": project.value,
        "stage": project.stage,
        "status": project.status,
    }


def _detail(project) -> ProjectOut:
    records = project_records(project)
    return ProjectOut(
        **_summary(project),
        summary=project.summary,
        stages=[
            StageOut(
                code=row.stage.code,
                title=row.stage.title,
                current=row.current,
                steps=[
                    StepOut(
                        code=s.step.code,
                        title=s.step.title,
                        required_from=s.step.required_from,
                        required=s.required,
                        done=s.done,
                    )
                    for s in row.steps
                ],
                missing=[step.code for step in row.missing],
            )
            for row in project_stages(project)
        ],
        needs_assessments=[n.title for n in records["needs"]],
        engagement=[e.title for e in records["events"]],
        links=[
            LinkOut(label=link.label, url=link.url, done=link.done, kind=link.kind)
            for link in records["links"]
        ],
    )


@router.get(
    BASE + "/projects",
    response={200: list[ProjectSummaryOut], **ERRORS},
    summary="The office's commissioning projects, newest first (staff)",
    description="25 a page; `status` picks active, completed, abandoned or all.",
)
def project_list(request, slug: str, filters: Query[ProjectFilters]):
    office = _office(request.auth, slug)
    page = project_page_of(office, status=filters.status, page=filters.page)
    if filters.page > page.paginator.num_pages:
        return []
    return [ProjectSummaryOut(**_summary(p)) for p in page]


@router.get(
    BASE + "/projects/{reference}",
    response={200: ProjectOut, **ERRORS},
    summary="A project with its stages, the steps required at its value, and its links (staff)",
)
def project_detail(request, slug: str, reference: str):
    office = _office(request.auth, slug)
    return _detail(_project(office, reference))


@router.post(
    BASE + "/projects/{reference}/advance",
    response={200: ProjectOut, 400: ErrorOut, **ERRORS},
    summary="Move a project to its next stage; refused, naming them, while required steps "
    "are not done",
)
def project_advance(request, slug: str, reference: str, payload: AdvanceIn):
    office = _office(request.auth, slug)
    if not is_commissioning_editor(request.auth, office):
        raise HttpError(403, "Your role in this office does not change commissioning.")
    project = _project(office, reference)
    project_stage_advance(project=project, actor=request.auth, note=payload.note)
    return _detail(_project(office, reference))


@router.get(
    BASE + "/needs",
    response={200: list[NeedOut], **ERRORS},
    summary="The office's needs assessments: evidence, source, date, areas, priorities (staff)",
)
def need_list(request, slug: str):
    office = _office(request.auth, slug)
    return [
        NeedOut(
            id=n.pk,
            title=n.title,
            evidence=n.evidence,
            source=n.source,
            assessed_on=n.assessed_on,
            level=n.level,
            areas=[a.name for a in n.areas.all()],
            priorities=[p.code for p in n.priorities.all()],
            project=n.project.reference if n.project_id else None,
        )
        for n in needs_for_office(office)
    ]


@router.get(
    BASE + "/service-map",
    response={200: list[ProvisionOut], **ERRORS},
    summary="The map of existing provision: service, provider, areas, priorities, funding, "
    "dates (staff)",
)
def provision_list(request, slug: str, filters: Query[ProvisionFilters]):
    office = _office(request.auth, slug)
    rows = provision_for_office(office, view=filters.view, today=timezone.localdate())
    return [
        ProvisionOut(
            id=s.pk,
            service=s.name,
            provider=s.provider,
            description=s.description,
            funder=s.funder,
            annual_funding=s.annual_funding,
            areas=[a.name for a in s.areas.all()],
            priorities=[p.code for p in s.priorities.all()],
            starts_on=s.starts_on,
            ends_on=s.ends_on,
        )
        for s in rows
    ]


@router.get(
    BASE + "/gaps",
    response={200: list[GapCellOut], **ERRORS},
    summary="Need and current provision for each area and assessed plan priority (staff)",
)
def gap_list(request, slug: str):
    office = _office(request.auth, slug)
    data = office_gaps(office, timezone.localdate())
    return [
        GapCellOut(
            area=row["area"].name,
            priority=priority.code,
            level=cell.level,
            needs=cell.needs,
            services=cell.services,
            funding=cell.funding,
            gap=cell.is_gap,
        )
        for row in data["rows"]
        for priority, cell in zip(data["columns"], row["cells"], strict=True)
    ]


@router.get(
    BASE + "/engagement",
    response={200: list[EventOut], **ERRORS},
    summary="Market engagement events and provider forums (staff)",
)
def event_list(request, slug: str):
    office = _office(request.auth, slug)
    return [
        EventOut(
            id=e.pk,
            kind=e.kind,
            title=e.title,
            held_on=e.held_on,
            attendees=e.attendees,
            attendee_count=e.attendee_count,
            learnt=e.learnt,
            projects=[p.reference for p in e.projects.all()],
        )
        for e in events_for_office(office)
    ]


@router.get(
    BASE + "/surveys/{survey_id}",
    response={200: SurveySummaryOut, **ERRORS},
    summary="A feedback survey's summary: responses and the ratings' averages and spread",
)
def survey_detail(request, slug: str, survey_id: int):
    office = _office(request.auth, slug)
    survey = FeedbackSurvey.objects.filter(office=office, pk=survey_id).first()
    if survey is None:
        raise Http404
    summary = survey_summary(survey)
    return SurveySummaryOut(
        id=survey.pk,
        title=survey.title,
        closes_on=survey.closes_on,
        responses=summary["total"],
        ratings=[
            RatingOut(question=r.name, mean=r.mean, counts=r.counts) for r in summary["ratings"]
        ],
    )
