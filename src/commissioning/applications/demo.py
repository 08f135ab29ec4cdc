"""Demo rounds and applications for every office: calls open now, drafts, and submitted
applications that screening passes, fails or refers; then due diligence on some of the
organisations that applied. Idempotent; every write goes through the services, as a real user's
would."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.accounts.demo import demo_email
from commissioning.accounts.models import OfficeMembership, Role, User
from commissioning.applications.endorsements.services import (
    endorsement_add,
    endorsement_link_token,
    endorsement_request,
    endorsement_respond,
)
from commissioning.applications.models import Application, Round, Status
from commissioning.applications.rounds.services import round_create, round_open
from commissioning.applications.screening.rules import matched_keywords
from commissioning.applications.services import (
    application_add_row,
    application_confirm_declarations,
    application_start,
    application_submit,
    application_update,
)
from commissioning.cycle.models import ExistingProvision
from commissioning.offices.models import Area, Office, Priority
from commissioning.organisations.due_diligence.models import DueDiligenceCheck
from commissioning.organisations.due_diligence.rules import add_months, valid_months
from commissioning.organisations.due_diligence.services import due_diligence_record
from commissioning.organisations.models import Organisation, OrganisationMember

LONDON = zoneinfo.ZoneInfo("Europe/London")

PROJECTS = [
    {
        "title": "Street Angels night-time welfare",
        "short_description": (
            "Trained volunteers help vulnerable people in the town centre at night."
        ),
        "need": "Ambulance call-outs for intoxicated people rose by a third last year, and the "
        "neighbourhood team reports repeat incidents around the bus station.",
        "activities": "Friday and Saturday patrols from 10pm to 3am; a safe space with first aid; "
        "radio link to CCTV and the police.",
        "budget": [
            ("volunteer_expenses", "Volunteer travel and meals", "900"),
            ("equipment", "Radios, torches and first-aid kits", "600"),
            ("training", "First aid and safeguarding training", "500"),
        ],
    },
    {
        "title": "Youth boxing and mentoring after school",
        "short_description": "Weekly boxing sessions with mentoring for young people at risk "
        "of exploitation.",
        "need": "The youth offending team identified 40 young people at risk of criminal "
        "exploitation in the area; there is no after-school provision on weekdays.",
        "activities": "Two evening sessions a week, one-to-one mentoring and referral to "
        "employment support.",
        "budget": [
            ("staff", "Sessional coaches", "1200"),
            ("venue", "Gym hire", "500"),
            ("equipment", "Gloves and pads", "300"),
        ],
    },
]


def seed(run) -> None:
    """Open calls, drafts and submitted applications in every office, by the demo
    organisations; then due diligence on some of those that applied."""
    run.notes.append(
        "Endorsers need no account: they confirm through a one-time link in their e-mail."
    )
    members = (
        OrganisationMember.objects.filter(role=OrganisationMember.Role.ADMIN)
        .select_related("organisation", "user")
        .order_by("organisation__name")
    )
    organisations = [m.organisation for m in members]
    users = {m.organisation_id: m.user for m in members}
    # One transaction a stage, so that what runs after commit (screening on submission,
    # e-mails) has run before the next stage picks the applications up.
    for office in Office.objects.order_by("name"):
        officer = User.objects.get(email=demo_email("officer", office))
        with transaction.atomic():
            seed_rounds(office, officer)
            seed_provision(office)
            seed_applications(office, organisations, users)
        with transaction.atomic():
            seed_due_diligence(office)


def _noon_london(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=LONDON)


def seed_rounds(office, actor) -> list[Round]:
    today = timezone.localdate()
    rounds = []
    for fund in office.funds.current().filter(open_to_applications=True).order_by("code"):
        slug = f"{fund.code.lower()}-{today.year}"
        round_ = Round.objects.filter(office=office, slug=slug).first()
        if round_ is None:
            panels = fund.panels_per_year or 1
            round_ = round_create(
                fund=fund,
                actor=actor,
                slug=slug,
                title=f"{fund.name} {today.year}",
                summary=fund.summary,
                criteria=fund.guidance or fund.summary,
                opens_at=_noon_london(today - dt.timedelta(days=30)),
                closes_at=None if fund.is_rolling else _noon_london(today + dt.timedelta(days=45)),
                panel_dates=[
                    (today + dt.timedelta(days=60 + i * 365 // panels)).isoformat()
                    for i in range(min(panels, 4))
                ],
            )
            round_ = round_open(round=round_, actor=actor)
        rounds.append(round_)
    if office.slug == "cumbria" and rounds:
        community = next((r for r in rounds if r.fund.max_award == 2500), rounds[0])
        if not Round.objects.filter(office=office, slug="road-safety").exists():
            targeted = round_create(
                fund=community.fund,
                actor=actor,
                slug="road-safety",
                title="Road safety: targeted call",
                theme="Road safety",
                summary="Community projects that reduce antisocial driving and make roads safer.",
                criteria="Projects must address antisocial driving or road safety locally.",
                opens_at=_noon_london(today - dt.timedelta(days=7)),
                closes_at=_noon_london(today + dt.timedelta(days=21)),
            )
            rounds.append(round_open(round=targeted, actor=actor))
    return rounds


def seed_provision(office) -> None:
    rows = [
        (
            "Victim Care Service",
            "Independent victim support for all victims of crime",
            "Emotional and practical support for victims of crime, referral from the police.",
        ),
        (
            "Youth Diversion Scheme",
            "Youth offending team",
            "After-school diversion activities and mentoring for young people at risk of "
            "exploitation.",
        ),
    ]
    for name, provider, description in rows:
        ExistingProvision.objects.get_or_create(
            office=office,
            name=name,
            defaults={"provider": provider, "description": description, "funder": office.name},
        )


def seed_applications(office, organisations: list, users: dict, now=None) -> None:
    """A draft and two submitted applications per open round, by eligible organisations."""
    now = now or timezone.now()
    for round_ in Round.objects.filter(office=office).select_related("fund").order_by("slug"):
        if not round_.is_open(now):
            continue
        eligible = [
            o for o in organisations if o.applicant_type in round_.fund.eligible_applicant_types
        ]
        if not eligible:
            continue
        for index, project in enumerate(PROJECTS):
            organisation = eligible[index % len(eligible)]
            user = users[organisation.pk]
            if Application.objects.filter(
                round=round_, organisation=organisation, title=project["title"]
            ).exists():
                continue
            application = application_start(round=round_, organisation=organisation, actor=user)
            _fill(application, project, user, over_limit=(index == 1))
            application_submit(application=application, actor=user, now=now)
        draft_org = eligible[0]  # it also has a submitted application
        if not Application.objects.filter(
            round=round_, organisation=draft_org, reference=""
        ).exists():
            draft = application_start(
                round=round_, organisation=draft_org, actor=users[draft_org.pk]
            )
            application_update(
                application=draft,
                actor=users[draft_org.pk],
                fields={"title": "Community speed watch", "amount_requested": Decimal("800")},
            )


def _fill(application, project, user, *, over_limit: bool) -> None:
    fund = application.fund
    total = sum(Decimal(amount) for _c, _d, amount in project["budget"])
    amount = total
    if fund.max_award is not None and total > fund.max_award:
        amount = fund.max_award
    if over_limit and fund.max_award is not None:
        amount = fund.max_award + Decimal("500")
    application_update(
        application=application,
        actor=user,
        fields={
            "title": project["title"],
            "short_description": project["short_description"],
            "need_and_evidence": project["need"],
            "activities": project["activities"],
            "amount_requested": amount,
            "starts_on": dt.date(timezone.localdate().year + 1, 4, 1),
            "ends_on": dt.date(timezone.localdate().year + 2, 3, 31),
            "is_pilot": False,
            "is_continuation": False,
            "beneficiaries_count": 120,
            "beneficiaries_description": "Local residents and young people.",
            "involves_children_or_vulnerable_adults": True,
            "sustainability": "Volunteers and partner contributions continue the work.",
            "risks": "Volunteer turnover: a waiting list of trained volunteers.",
            "evaluation": "Quarterly figures from partners and a survey of participants.",
            "partnership": "The neighbourhood policing team and the community safety partnership.",
            "senior_officer_name": "Jordan Ellis",
            "senior_officer_role": "Chair of trustees",
            "senior_officer_email": "chair@" + user.email.partition("@")[2],
        },
        priorities=list(
            Priority.objects.current()
            .filter(plan__office=application.office, plan__is_current=True, selectable=True)
            .order_by("position")[:2]
        ),
        areas=list(Area.objects.current().filter(office=application.office)[:2]),
    )
    purposes = fund.permitted_purposes
    if purposes:
        text = " ".join((project["title"], project["short_description"], project["activities"]))
        chosen = next((p for p in purposes if matched_keywords(text, p)), purposes[0])
        application_update(
            application=application, actor=user, fields={"purposes": [chosen["code"]]}
        )
    application_add_row(
        application=application,
        actor=user,
        kind="outcomes",
        values={
            "description": "Fewer repeat incidents",
            "indicator": "Police incident reports",
            "baseline": "40 a quarter",
            "target": "25 a quarter",
            "target_date": dt.date(timezone.localdate().year + 2, 3, 31),
        },
    )
    application_add_row(
        application=application,
        actor=user,
        kind="outputs",
        values={"description": "Sessions delivered", "quantity": 80},
    )
    for category, description, cost in project["budget"]:
        application_add_row(
            application=application,
            actor=user,
            kind="budget_lines",
            values={"category": category, "description": description, "amount": Decimal(cost)},
        )
    covered = sum(Decimal(c) for _x, _y, c in project["budget"]) - application.amount_requested
    if covered > 0:
        application_add_row(
            application=application,
            actor=user,
            kind="match_funding",
            values={"source": "Town council grant", "amount": covered, "secured": True},
        )
    elif covered < 0:
        application_add_row(
            application=application,
            actor=user,
            kind="budget_lines",
            values={
                "category": "overheads",
                "description": "Management and evaluation",
                "amount": -covered,
            },
        )
    for required in fund.required_endorsements:
        endorsement = endorsement_add(
            application=application,
            actor=user,
            kind=required["kind"],
            endorser_name="PCSO Sam Whitfield",
            endorser_email="sam.whitfield@police.example",
            endorser_role="Neighbourhood policing team",
        )
        endorsement = endorsement_request(endorsement=endorsement, actor=user)
        endorsement_respond(
            token=endorsement_link_token(endorsement),
            confirms=True,
            comment="I know the group and support the project.",
        )
    application_confirm_declarations(application=application, actor=user)


def seed_due_diligence(office) -> int:
    """Due diligence in the demo: a pass for the first two organisations that have applied to
    the office, and one that has expired for the third. Offices whose pack sets no validity
    period get none. Running it again adds nothing. Returns the number of checks added."""
    months = valid_months(getattr(office, "policy", None))
    membership = (
        OfficeMembership.objects.active()
        .filter(office=office, role=Role.COMMISSIONING_OFFICER)
        .select_related("user")
        .first()
    )
    if not months or membership is None:
        return 0
    # Later steps of the demo bring more organisations to the office, so "the first three" is
    # only chosen once: an office with any check has had its demo checks.
    if DueDiligenceCheck.objects.filter(office=office).exists():
        return 0
    organisation_ids = (
        Application.objects.filter(office=office)
        .exclude(status=Status.DRAFT)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    organisations = list(Organisation.objects.filter(id__in=organisation_ids).order_by("name")[:3])
    today = timezone.localdate()
    all_met = {
        "accounts_reviewed": True,
        "no_irregularities": True,
        "positive_cash": True,
        "safeguarding": True,
        "data_protection": True,
        "effective": True,
        "partners_supportive": True,
    }
    added = 0
    for position, organisation in enumerate(organisations):
        expired = position == 2
        checked_on = add_months(today, -(months + 1)) if expired else today - dt.timedelta(days=30)
        due_diligence_record(
            organisation=organisation,
            office=office,
            actor=membership.user,
            outcome="pass",
            checked_on=checked_on,
            financial_notes="Latest annual accounts reviewed; reserves cover three months.",
            non_financial_notes="Safeguarding and data protection policies in date.",
            **all_met,
        )
        added += 1
    return added
