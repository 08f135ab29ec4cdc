"""Demo data for the commissioning cycle (seed_demo): for each office a couple of projects,
needs assessments, the service map and its gaps, a provider forum and a feedback survey;
Cleveland's commissioned services one at each of its five stages. Idempotent: an office that
has projects already is left as it is."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.cycle import hooks
from commissioning.cycle.engagement.models import EventKind
from commissioning.cycle.engagement.services import (
    engagement_event_save,
    survey_open,
    survey_respond,
)
from commissioning.cycle.needs.models import ExistingProvision, NeedLevel
from commissioning.cycle.needs.services import needs_assessment_save, provision_save
from commissioning.cycle.projects.models import CommissioningProject, ReviewOutcome
from commissioning.cycle.projects.rules import stage_model
from commissioning.cycle.projects.selectors import steps_done
from commissioning.cycle.projects.services import (
    project_create,
    project_review_record,
    project_stage_advance,
    project_step_record,
)
from commissioning.offices.models import Area, Office
from commissioning.offices.selectors import current_plan_priorities

# (title, value, stage index, summary)
PROJECTS = [
    (
        "Victims' services recommissioning",
        "250000",
        1,
        "Recommission support for victims of crime when the current contract ends.",
    ),
    (
        "Community safety small grants",
        "20000",
        0,
        "Small grants for community groups working on antisocial behaviour.",
    ),
]

# Cleveland's commissioned services (CLE), one at each of its five stages.
CLEVELAND = [
    (
        "Targeted Detached Youth Services",
        "60000",
        0,
        "Youth workers meeting young people where they are, in the areas of most concern.",
    ),
    (
        "Restorative Justice Service, co-commissioned with Probation",
        "180000",
        1,
        "Restorative justice for victims and offenders, jointly commissioned with the Probation "
        "Service.",
    ),
    (
        "Victim Care and Advice Service",
        "1200000",
        2,
        "The single service for victims of crime across Cleveland: needs assessment, support "
        "and referral.",
    ),
    (
        "Appropriate Adult Service",
        "150000",
        3,
        "Appropriate adults for children and vulnerable adults detained or interviewed by "
        "the police.",
    ),
    ("COPA app", "40000", 4, "An app that lets the public contact and follow up with the office."),
]

PROVISION = [
    # Same words as the applications demo, so its duplication results do not change.
    (
        "Victim Care Service",
        "Independent victim support for all victims of crime",
        "Emotional and practical support for victims of crime, referral from the police.",
        "180000",
    ),
    (
        "Youth Diversion Scheme",
        "Youth offending team",
        "After-school diversion activities and mentoring for young people at risk of exploitation.",
        "45000",
    ),
]


def seed(run) -> None:
    for office in Office.objects.select_related("policy").order_by("name"):
        if CommissioningProject.objects.filter(office=office).exists():
            continue
        if not stage_model(office.policy):
            continue
        officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
        with transaction.atomic():
            seed_office(office, officer)


def seed_office(office, officer) -> None:
    today = timezone.localdate()
    areas = list(Area.objects.current().filter(office=office).order_by("name"))
    priorities = [p for p in current_plan_priorities(office) if p.depth <= 1 and p.selectable]
    priorities = priorities or current_plan_priorities(office)[:3]
    first, second = priorities[0], priorities[min(1, len(priorities) - 1)]
    rows = CLEVELAND if office.slug == "cleveland" else PROJECTS
    projects = []
    for title, value, stage_index, summary in rows:
        project = project_create(
            office=office,
            actor=officer,
            title=title,
            value=Decimal(value),
            summary=summary,
            priorities=[first],
            areas=areas[:2],
            lead=officer,
        )
        projects.append((project, stage_index))
    _service_map(office, officer, areas, first, second, today)
    needs_assessment_save(
        office=office,
        actor=officer,
        values={
            "title": "Support for repeat victims of antisocial behaviour",
            "evidence": "Repeat callers make up a fifth of antisocial behaviour reports; few "
            "are referred to support.",
            "source": "Force incident data, last 12 months",
            "assessed_on": today - dt.timedelta(days=60),
            "level": NeedLevel.MEDIUM,
            "project": None,
        },
        areas=areas[-1:],
        priorities=[second],
    )
    for project, stage_index in projects:
        _advance(project, officer, stage_index, first, areas, today)
    _forum_and_survey(office, officer, projects[0][0], today)


def _forum_and_survey(office, officer, project, today) -> None:
    engagement_event_save(
        office=office,
        actor=officer,
        values={
            "kind": EventKind.PROVIDER_FORUM,
            "title": "Provider forum: victims' services",
            "held_on": today - dt.timedelta(days=20),
            "attendees": "Providers of the office's victims' services and two partner agencies.",
            "attendee_count": 18,
            "learnt": "Referral routes from the police are slow at weekends; providers want a "
            "shared case management system.",
        },
        projects=[project],
    )
    survey = survey_open(
        office=office,
        actor=officer,
        title=f"{office.short_name}: the latest funding round",
        closes_on=today + dt.timedelta(days=14),
    )
    for respondent, scores, well, better in (
        (
            "provider",
            (4, 4, 3),
            "The guidance was clear.",
            "The form asked for the same thing twice.",
        ),
        ("provider", (3, 4, 2), "", "More time between the call and the deadline."),
        ("service_user", (5, 5, 4), "We were asked what we needed.", ""),
    ):
        survey_respond(
            survey=survey,
            values={
                "respondent": respondent,
                "clarity": scores[0],
                "fairness": scores[1],
                "ease": scores[2],
                "went_well": well,
                "could_improve": better,
            },
        )


def _service_map(office, officer, areas, first, second, today) -> None:
    for name, provider, description, funding in PROVISION:
        existing = ExistingProvision.objects.filter(office=office, name=name).first()
        provision_save(
            office=office,
            actor=officer,
            provision=existing,
            values={
                "name": name,
                "provider": provider,
                "description": description,
                "funder": office.name,
                "annual_funding": Decimal(funding),
                "starts_on": today - dt.timedelta(days=400),
                "ends_on": today + dt.timedelta(days=330),
            },
            areas=areas[:1] if name.startswith("Victim") else areas[1:2],
            priorities=[first] if name.startswith("Victim") else [second],
        )
    provision_save(
        office=office,
        actor=officer,
        values={
            "name": "Hate crime reporting centre",
            "provider": "Community reporting partnership",
            "description": "A third-party reporting centre for hate crime, now closed.",
            "funder": office.name,
            "annual_funding": Decimal("12000"),
            "starts_on": today - dt.timedelta(days=800),
            "ends_on": today - dt.timedelta(days=30),
        },
        areas=areas[:1],
        priorities=[second],
    )


def _advance(project, officer, stage_index: int, priority, areas, today) -> None:
    """Do what each stage requires at the project's value, then move on, until the project
    stands at the stage it should show."""
    stages = stage_model(project.office.policy)
    for stage in stages[:stage_index]:
        done = steps_done(project)
        for step in stage.required_steps(project.value):
            if step.code not in done:
                _do_step(project, officer, step, priority, areas, today)
        project_stage_advance(project=project, actor=officer, note="Demo: stage complete.")


def _do_step(project, officer, step, priority, areas, today) -> None:
    code = step.code
    if code == "needs_assessment":
        needs_assessment_save(
            office=project.office,
            actor=officer,
            values={
                "title": f"Need behind {project.title}",
                "evidence": "Demand rose by a quarter over two years; waiting times for support "
                "are longer in the areas furthest from the centre.",
                "source": "Police recorded crime and the current provider's returns",
                "assessed_on": today - dt.timedelta(days=90),
                "level": NeedLevel.HIGH,
                "project": project,
            },
            areas=areas,
            priorities=[priority],
        )
    elif code in ("market_engagement", "provider_forum"):
        engagement_event_save(
            office=project.office,
            actor=officer,
            values={
                "kind": EventKind.MARKET_ENGAGEMENT
                if code == "market_engagement"
                else EventKind.PROVIDER_FORUM,
                "title": f"Provider event: {project.title}",
                "held_on": today - dt.timedelta(days=45),
                "attendees": "Twelve local providers, two partner agencies and the office's "
                "commissioning team.",
                "attendee_count": 15,
                "learnt": "Providers favour a three-year contract with a mobilisation period; "
                "smaller charities would bid as a consortium.",
            },
            projects=[project],
        )
    elif code == "project_review":
        project_review_record(
            project=project,
            actor=officer,
            reviewed_on=today - dt.timedelta(days=7),
            summary="The service met most of its outcomes; referrals from rural areas are low.",
            outcome=ReviewOutcome.CHANGE,
        )
    elif code == "process_feedback":
        survey = survey_open(
            office=project.office,
            actor=officer,
            title=f"Feedback: {project.title}",
            closes_on=today,
            project=project,
        )
        for respondent, scores in (("provider", (4, 4, 3)), ("service_user", (5, 4, 4))):
            survey_respond(
                survey=survey,
                values={
                    "respondent": respondent,
                    "clarity": scores[0],
                    "fairness": scores[1],
                    "ease": scores[2],
                    "went_well": "Clear deadlines.",
                    "could_improve": "",
                },
            )
    elif hooks.step_evidence(code) is None or not hooks.step_evidence(code)(project):
        project_step_record(
            project=project, actor=officer, code=code, note="Demo: done, notes on file."
        )
