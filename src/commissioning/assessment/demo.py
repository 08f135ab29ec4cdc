"""Demo data for assessment in every office: a panel part-way through scoring, and a moderated
panel whose recommendations are agreed (with a portfolio allocation run). Every write goes
through the services, as a real user's would; running it twice adds nothing."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.accounts.demo import DEMO_TOTP_SECRET, demo_user
from commissioning.accounts.mfa import totp_activate
from commissioning.accounts.models import Role, User
from commissioning.accounts.services import membership_grant
from commissioning.applications.models import Application, Round, ScreeningOutcome, Status
from commissioning.applications.services import application_start, application_submit
from commissioning.assessment import rules
from commissioning.assessment.models import AgreedOutcome, Panel, Recommendation, Standing
from commissioning.assessment.panels.services import (
    conflict_declare,
    panel_application_add,
    panel_create,
    panel_meeting_record,
    panel_member_add,
)
from commissioning.assessment.scoring.services import (
    recommendation_agree,
    score_sheet_save,
    score_sheet_submit,
)
from commissioning.offices.models import Office
from commissioning.organisations.models import OrganisationMember

MODERATED = "Spring panel"
SCORING = "Summer panel"
# Extra members: (e-mail name, full name, standing).
EXTRA_MEMBERS = [
    ("jordan.lake", "Jordan Lake", Standing.INDEPENDENT),
    ("kim.osei", "Kim Osei", Standing.VOLUNTARY_SECTOR),
]
EXTRA_PROJECTS = [
    {
        "title": "Safer parks lighting survey",
        "short_description": "Residents and the council survey dark paths in three parks.",
        "need": "Reports of antisocial behaviour in the parks after dark doubled last winter.",
        "activities": "Night walks with residents, a lighting audit and a report to the council.",
        "budget": [
            ("volunteer_expenses", "Volunteer travel", "400"),
            ("evaluation", "Survey analysis", "900"),
            ("publicity", "Leaflets and posters", "300"),
        ],
    },
    {
        "title": "Scam awareness for older residents",
        "short_description": "Talks and home visits to help older people spot scams.",
        "need": "Trading Standards recorded 300 doorstep and telephone scams against older "
        "residents last year, most of them unreported to the police.",
        "activities": "Monthly talks at lunch clubs and home visits by trained volunteers.",
        "budget": [
            ("training", "Volunteer training", "600"),
            ("travel", "Home visit travel", "500"),
            ("publicity", "Printed guides", "700"),
        ],
    },
    {
        "title": "Domestic abuse drop-in at the library",
        "short_description": "A weekly confidential drop-in with a trained advocate.",
        "need": "Half of the survivors referred to the refuge had never contacted a service; a "
        "library is a safe place to ask for help.",
        "activities": "A weekly two-hour drop-in, with referral to specialist support.",
        "budget": [
            ("staff", "Sessional advocate", "1500"),
            ("venue", "Room hire", "300"),
        ],
    },
    {
        "title": "Bike marking and cycle security days",
        "short_description": "Free bike marking and lock advice at community events.",
        "need": "Cycle theft is the most reported acquisitive crime in the town centre.",
        "activities": "Ten events a year with the neighbourhood team, marking bikes.",
        "budget": [
            ("equipment", "Marking kits and locks", "800"),
            ("publicity", "Event publicity", "200"),
        ],
    },
    {
        "title": "Knife crime education in youth clubs",
        "short_description": "Workshops on the consequences of carrying a knife.",
        "need": "Youth workers report young people carrying knives for protection; three "
        "incidents near youth clubs this year.",
        "activities": "Six-week workshop programme led by a trained facilitator and a paramedic.",
        "budget": [
            ("staff", "Facilitator sessions", "1200"),
            ("equipment", "Workshop materials", "300"),
        ],
    },
]
# Each member's scores by criterion position, for the moderated panel's three applications;
# the third application has a wide spread on its first criterion.
SCORE_PATTERNS = [
    [[4, 4, 3, 4, 3, 4, 3, 3], [3, 4, 4, 3, 3, 3, 4, 2], [4, 3, 4, 4, 4, 3, 3, 3]],
    [[2, 2, 1, 2, 3, 2, 2, 1], [2, 1, 2, 2, 2, 1, 2, 1], [1, 2, 2, 1, 2, 2, 1, 2]],
    [[5, 3, 4, 4, 3, 4, 4, 3], [1, 3, 3, 4, 3, 3, 3, 3], [4, 4, 3, 3, 4, 4, 3, 4]],
]


def seed(run) -> None:
    """This stage of the demo in every office, one transaction an office."""
    for office in Office.objects.order_by("name"):
        with transaction.atomic():
            seed_office(office)


def seed_office(office) -> None:
    """Add this stage of the demo to one office; running it twice adds nothing."""
    if Panel.objects.filter(office=office, name__in=[MODERATED, SCORING]).exists():
        return
    officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
    panellist = User.objects.filter(email=f"panel@{office.slug}.example").first()
    if officer is None or panellist is None:
        return
    round_ = _round(office)
    if round_ is None:
        return
    applications = _eligible_applications(round_, officer, wanted=5)
    if len(applications) < 3:
        return
    extras = [_extra_member(office, *spec) for spec in EXTRA_MEMBERS]
    today = timezone.localdate()
    seats = [
        (panellist, Standing.INDEPENDENT),
        (extras[0][0], extras[0][1]),
        (extras[1][0], extras[1][1]),
        (officer, Standing.OFFICE),
    ]
    moderated = panel_create(
        round=round_, name=MODERATED, meeting_date=today - dt.timedelta(days=7), actor=officer
    )
    members = [
        panel_member_add(panel=moderated, user=user, standing=standing, actor=officer)
        for user, standing in seats
    ]
    for application in applications[:3]:
        panel_application_add(panel=moderated, application=application, actor=officer)
    _score_moderated(members, applications[:3], officer)
    meeting = panel_meeting_record(
        panel=moderated,
        held_on=today - dt.timedelta(days=7),
        attendees=members,
        notes="All members attended. Conflicts of interest were noted before discussion.",
        actor=officer,
    )
    _agree(moderated, meeting, applications[:3], officer)
    _allocation(moderated, officer)

    scoring = panel_create(
        round=round_, name=SCORING, meeting_date=today + dt.timedelta(days=14), actor=officer
    )
    members = [
        panel_member_add(panel=scoring, user=user, standing=standing, actor=officer)
        for user, standing in seats[:3]
    ]
    rest = applications[3:]
    for application in rest:
        panel_application_add(panel=scoring, application=application, actor=officer)
    if rest:
        _score_one(members[0], rest[0], [4, 3, 4, 3, 4, 3, 4, 3], officer, submit=True)
        _score_one(members[1], rest[0], [3, 3, 2, 3, 4, 3, 3, 3], officer, submit=False)
    if len(rest) > 1:
        conflict_declare(
            member=members[0],
            application=rest[1],
            has_conflict=False,
            interest="",
            actor=members[0].user,
        )


def _round(office) -> Round | None:
    now = timezone.now()
    for round_ in Round.objects.filter(office=office).select_related("fund").order_by("slug"):
        if round_.is_open(now) and round_.fund.open_to_applications:
            return round_
    return None


def _eligible_applications(round_: Round, officer, *, wanted: int) -> list[Application]:
    """Eligible applications to the round, screening the submitted ones and adding new ones
    from the demo organisations where there are too few."""
    from commissioning.applications.demo import _fill

    for application in round_.applications.filter(status=Status.SUBMITTED):
        _screen(application, officer)
    found = list(round_.applications.filter(status=Status.ELIGIBLE).order_by("reference"))
    memberships = list(
        OrganisationMember.objects.filter(role=OrganisationMember.Role.ADMIN)
        .select_related("organisation", "user")
        .order_by("organisation__name")
    )
    eligible = [
        m
        for m in memberships
        if m.organisation.applicant_type in round_.fund.eligible_applicant_types
    ]
    for index, project in enumerate(EXTRA_PROJECTS):
        if len(found) >= wanted or not eligible:
            break
        membership = eligible[index % len(eligible)]
        if round_.applications.filter(title=project["title"]).exists():
            continue
        application = application_start(
            round=round_, organisation=membership.organisation, actor=membership.user
        )
        _fill(application, project, membership.user, over_limit=False)
        application = application_submit(application=application, actor=membership.user)
        _screen(application, officer)
        application.refresh_from_db()
        if application.status == Status.ELIGIBLE:
            found.append(application)
    return found


def _screen(application: Application, officer) -> None:
    """Screen; where rules only refer to an officer, record the officer's pass as a demo
    would. An application that fails a rule is left for the officer to confirm."""
    from commissioning.applications.screening.services import (
        screening_conclude,
        screening_override,
        screening_run,
    )

    results = screening_run(application=application, actor=officer)
    if application.status == Status.ELIGIBLE:
        return
    if any(r.effective_outcome == ScreeningOutcome.FAIL for r in results):
        return
    for result in results:
        if result.effective_outcome != ScreeningOutcome.PASS:
            screening_override(
                result=result,
                outcome=ScreeningOutcome.PASS,
                reason="Checked with the applicant by the commissioning officer.",
                actor=officer,
            )
    screening_conclude(application=application, actor=officer)


def _extra_member(office, name: str, full_name: str, standing: str):
    user = demo_user(
        f"{name}@{office.slug}.example", full_name, f"Panel member, {office.short_name}"
    )
    membership_grant(user=user, office=office, role=Role.PANEL_MEMBER)
    totp_activate(user=user, secret=DEMO_TOTP_SECRET)
    return user, standing


def _score_one(member, application, pattern, officer, *, submit: bool, recommendation=""):
    conflict_declare(
        member=member,
        application=application,
        has_conflict=False,
        interest="",
        actor=member.user,
    )
    rubric = rules.rubric_for(application.fund.code, application.office.policy.assessment)
    scores = {
        c.code: (pattern[i % len(pattern)], "Clear evidence given." if i == 0 else "")
        for i, c in enumerate(rubric)
    }
    if not recommendation:
        total = rules.weighted_total({k: v for k, (v, _c) in scores.items()}, rubric)
        recommendation = Recommendation.FUND if total >= 50 else Recommendation.DO_NOT_FUND
    sheet = score_sheet_save(
        member=member,
        application=application,
        scores=scores,
        recommendation=recommendation,
        comment="A well-evidenced bid." if recommendation == Recommendation.FUND else "",
        actor=member.user,
    )
    if submit:
        score_sheet_submit(sheet=sheet, actor=member.user)


def _score_moderated(members, applications, officer) -> None:
    """Three applications scored by the members; the voluntary-sector member has an interest
    in the second, declares it and so neither scores nor sees it."""
    conflict_declare(
        member=members[2],
        application=applications[1],
        has_conflict=True,
        interest="A trustee of the applicant organisation is a close relative.",
        actor=members[2].user,
    )
    for a_index, application in enumerate(applications):
        scorers = [m for i, m in enumerate(members) if not (a_index == 1 and i == 2)]
        for m_index, member in enumerate(scorers):
            pattern = SCORE_PATTERNS[a_index][m_index % len(SCORE_PATTERNS[a_index])]
            _score_one(member, application, pattern, officer, submit=True)


def _agree(panel, meeting, applications, officer) -> None:
    reasons = [
        (
            AgreedOutcome.FUND,
            "A strong bid: clear evidence of local need, measurable outcomes and good links "
            "with the neighbourhood policing team.",
        ),
        (
            AgreedOutcome.DECLINE,
            "The bid did not show enough evidence of need in the area, and the outcomes were "
            "not measurable. The panel would welcome a revised bid with local data.",
        ),
        (
            AgreedOutcome.FUND_WITH_CONDITIONS,
            "A promising project. Members differed on its impact, so the panel asks for "
            "quarterly figures on the people it reaches.",
        ),
    ]
    for application, (outcome, rationale) in zip(applications, reasons, strict=False):
        recommendation_agree(
            panel=panel,
            application=application,
            meeting=meeting,
            outcome=outcome,
            amount=None if outcome == AgreedOutcome.DECLINE else application.amount_requested,
            conditions="Quarterly monitoring figures on reach."
            if outcome == AgreedOutcome.FUND_WITH_CONDITIONS
            else "",
            rationale=rationale,
            actor=officer,
        )


def _allocation(panel, officer) -> None:
    """A portfolio allocation run over the moderated panel, where the optimiser is present."""
    from commissioning.assessment.allocation.services import allocation_run

    budget = sum(
        (
            r.amount
            for r in panel.recommendations.exclude(outcome=AgreedOutcome.DECLINE)
            if r.amount
        ),
        Decimal(0),
    )
    if budget:
        allocation_run(panel=panel, actor=officer, budget=budget)
