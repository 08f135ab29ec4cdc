"""Demo data for the public register (seed_demo, after the awards' step): more than a year of
published awards in every office, so that the register, the dashboards and the open data are
full. Each office gets a round that ran through the past year and three panels' decisions,
about thirteen, seven and one months ago, each awarding one project, signed and published when
they were made. Kept to three, as each award runs the whole chain of services (letters
included) and the demo runs inside many tests. Every write goes through the services, with the
time of the event; running it again adds nothing."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.applications.models import Round, Status
from commissioning.applications.rounds.services import round_create, round_open
from commissioning.applications.services import (
    application_start,
    application_submit,
    application_update,
)
from commissioning.core.errors import DomainError
from commissioning.decisions.models import DecisionRecord, DecisionStatus
from commissioning.decisions.rules import is_publishable
from commissioning.decisions.services import (
    DecisionLine,
    decision_create,
    decision_publish,
    decision_sign,
    decision_submit_for_signature,
)
from commissioning.offices.models import Budget, Office
from commissioning.organisations.models import OrganisationMember

logger = logging.getLogger(__name__)

ROUND_SLUG = "past-year"
HISTORY_TITLE = "Community safety grants: panel"
# When each project applied; its decision is signed 30 days later.
HISTORY_DAYS_AGO = (430, 250, 40)

PROJECTS = [
    {
        "title": "Neighbourhood watch street signs and starter kits",
        "short_description": "Signs, leaflets and starter kits for six new watch schemes.",
        "need": "Six streets with repeat burglaries have no watch scheme.",
        "activities": "Set up six schemes with signs, leaflets and a launch meeting each.",
        "budget": [
            ("equipment", "Street signs and starter kits", "1800"),
            ("publicity", "Leaflets for every household", "700"),
        ],
    },
    {
        "title": "Safer parks after dark",
        "short_description": "Youth workers and better lighting in two parks at night.",
        "need": "Antisocial behaviour reports in the two parks doubled after dark.",
        "activities": "Detached youth work three evenings a week and four new lights.",
        "budget": [
            ("staff", "Detached youth workers", "2200"),
            ("equipment", "Solar lighting", "1300"),
        ],
    },
    {
        "title": "Support for older victims of fraud",
        "short_description": "Home visits and call blockers for older victims of scams.",
        "need": "Older residents lost large sums to doorstep and telephone scams last year.",
        "activities": "Volunteer home visits, call blockers and a scams awareness session.",
        "budget": [
            ("equipment", "Call blockers", "1500"),
            ("volunteer_expenses", "Volunteer travel", "600"),
        ],
    },
]


def seed(run) -> None:
    """This stage of the demo in every office, one transaction an office."""
    for office in Office.objects.select_related("policy").order_by("name"):
        try:
            with transaction.atomic():
                seed_office(office)
        except DomainError as exc:
            logger.warning("Demo award history for %s not made: %s", office.slug, exc.message)


def seed_office(office, now=None) -> None:
    now = now or timezone.now()
    if DecisionRecord.objects.filter(office=office, title__startswith=HISTORY_TITLE).exists():
        return
    officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
    applicants = list(
        OrganisationMember.objects.filter(
            role=OrganisationMember.Role.ADMIN,
            organisation__applications__office=office,
            organisation__applications__submitted_at__isnull=False,
        )
        .select_related("organisation", "user")
        .order_by("organisation__name", "id")
        .distinct()
    )
    if officer is None or not applicants:
        return
    start = now - dt.timedelta(days=max(HISTORY_DAYS_AGO) + 10)
    round_ = _past_round(office, officer, start, now)
    if round_ is None:
        return
    eligible = [
        m
        for m in applicants
        if m.organisation.applicant_type in round_.fund.eligible_applicant_types
    ] or applicants
    for index, (days_ago, project) in enumerate(zip(HISTORY_DAYS_AGO, PROJECTS, strict=True)):
        applied = now - dt.timedelta(days=days_ago)
        member = eligible[index % len(eligible)]
        _award_history(office, officer, round_, member, project, applied)


def _past_round(office, officer, start, now) -> Round | None:
    """A round of the office's first open fund, open through the past year, with a budget for
    the financial years it funds."""
    round_ = Round.objects.filter(office=office, slug=ROUND_SLUG).select_related("fund").first()
    if round_ is not None:
        return round_
    funded_years = set(
        Budget.objects.filter(fund__office=office).values_list("fund_id", "financial_year")
    )
    year = start.year if start.month >= 4 else start.year - 1
    for fund in office.funds.current().filter(open_to_applications=True).order_by("code"):
        if (fund.pk, year) in funded_years:
            break
    else:
        return None
    round_ = round_create(
        fund=fund,
        actor=officer,
        now=start,
        slug=ROUND_SLUG,
        title=f"{fund.name}: the past year",
        summary=fund.summary,
        criteria=fund.guidance or fund.summary,
        opens_at=start,
        closes_at=now - dt.timedelta(days=20),
    )
    return round_open(round=round_, actor=officer, now=start)


def _award_history(office, officer, round_, member, project, applied) -> None:
    from commissioning.applications.demo import _fill
    from commissioning.decisions.demo import _advance, _due_diligence

    application = application_start(
        round=round_, organisation=member.organisation, actor=member.user, now=applied
    )
    _fill(application, project, member.user, over_limit=False)
    begins = applied.date() + dt.timedelta(days=45)
    application_update(
        application=application,
        actor=member.user,
        fields={"starts_on": begins, "ends_on": begins + dt.timedelta(days=300)},
    )
    application = application_submit(application=application, actor=member.user, now=applied)
    _advance(application, Status.RECOMMENDED, officer)
    application.refresh_from_db()
    _due_diligence(application, officer)
    decided = applied + dt.timedelta(days=30)
    decision = decision_create(
        office=office,
        actor=officer,
        now=decided,
        fields={
            "title": f"{HISTORY_TITLE}, {timezone.localtime(decided):%B %Y}",
            "summary": "An award recommended by the assessment panel.",
            "rationale": "The project meets the fund's criteria and the Police and Crime Plan.",
            "financial_implications": "Met from the fund's budget for the year.",
        },
        lines=[
            DecisionLine(
                application=application,
                outcome="approve",
                amount=application.amount_requested,
            )
        ],
    )
    decision = decision_submit_for_signature(decision=decision, actor=officer, now=decided)
    for role in decision.required_roles:
        signatory = _signatory(office, role)
        if signatory is None:
            return
        decision_sign(
            decision=decision, signatory=signatory, mfa_verified=True, role=role, now=decided
        )
    decision.refresh_from_db()
    if decision.status == DecisionStatus.SIGNED and is_publishable(
        decision.total, office.policy.publication
    ):
        decision_publish(decision=decision, actor=officer, now=decided + dt.timedelta(days=2))


def _signatory(office, role):
    from commissioning.decisions.demo import SIGNATORY_PREFIXES

    prefix = SIGNATORY_PREFIXES.get(role)
    if prefix is None:
        return None
    return User.objects.filter(email=f"{prefix}@{office.slug}.example").first()
