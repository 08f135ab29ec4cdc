"""Demo decision records for every office: one fully signed (and published where the office's
rules publish it) with an award and a decline letter sent, and one waiting for signatures, with
the first signatory's signature where more than one is needed. Every write goes through the
services, as a real user's would. Running it twice adds nothing.

It runs once the demo's applications have been submitted and screened: when called inside a
transaction (as `seed_demo` does), it waits for that transaction to commit."""

import logging
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.accounts.models import User
from commissioning.applications.models import Application, Round, Status
from commissioning.applications.services import (
    application_start,
    application_submit,
    application_transition,
)
from commissioning.core.errors import DomainError
from commissioning.decisions.models import DecisionApplication, DecisionRecord
from commissioning.decisions.rules import is_publishable
from commissioning.decisions.services import (
    DecisionLine,
    decision_create,
    decision_publish,
    decision_sign,
    decision_submit_for_signature,
)
from commissioning.organisations.due_diligence import due_diligence_blocker
from commissioning.organisations.due_diligence.rules import CHECK_FIELDS
from commissioning.organisations.due_diligence.services import due_diligence_record
from commissioning.organisations.models import OrganisationMember

logger = logging.getLogger(__name__)

# Who signs in the demo, by role: the demo users seed_demo creates in every office.
SIGNATORY_PREFIXES = {
    "commissioner": "commissioner",
    "monitoring_officer": "monitoring",
    "chief_finance_officer": "cfo",
}

PROJECTS = [
    {
        "title": "Safer homes for repeat victims of burglary",
        "short_description": "Locks, lighting and door chains fitted for repeat victims.",
        "need": "A fifth of burglaries in the area were at homes burgled in the past year.",
        "activities": "A handyperson fits locks, lights and chains within a week of referral.",
        "budget": [
            ("equipment", "Locks, lights and door chains", "3500"),
            ("staff", "Handyperson time", "2000"),
            ("travel", "Travel to homes", "500"),
        ],
    },
    {
        "title": "Rural crime watch training",
        "short_description": "Training and radios for farm and rural watch volunteers.",
        "need": "Thefts of machinery and fuel from farms rose last year and are under-reported.",
        "activities": "Six training evenings, a radio network and a reporting guide.",
        "budget": [
            ("training", "Six training evenings", "2500"),
            ("equipment", "Radios", "3000"),
            ("publicity", "Reporting guide", "500"),
        ],
    },
]


def seed(run) -> None:
    """This stage of the demo in every office, one transaction an office."""
    from commissioning.offices.models import Office

    for office in Office.objects.order_by("name"):
        with transaction.atomic():
            seed_office(office)


def seed_office(office) -> None:
    """Add this stage of the demo to one office; running it twice adds nothing."""
    transaction.on_commit(partial(_seed, office.pk))


def _seed(office_id: int) -> None:
    from commissioning.offices.models import Office

    office = Office.objects.select_related("policy").get(pk=office_id)
    if DecisionRecord.objects.filter(office=office).exists():
        return
    officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
    if officer is None:
        return
    round_ = _round(office)
    if round_ is None:
        return
    awaiting_app, awarded_app = (_application(round_, project) for project in PROJECTS)
    declined_app = _declinable(office, exclude={awaiting_app.pk, awarded_app.pk})
    for application in (awaiting_app, awarded_app):
        _advance(application, Status.RECOMMENDED, officer)
    lines = [DecisionLine(application=awarded_app, outcome="approve", amount=_ask(awarded_app))]
    if declined_app is not None:
        _advance(declined_app, Status.NOT_RECOMMENDED, officer)
        lines.append(
            DecisionLine(
                application=declined_app,
                outcome="decline",
                reason=_("The panel scored the project below the funding line for this round."),
            )
        )

    signed = decision_create(
        office=office,
        actor=officer,
        fields={
            "title": _("Community safety grants: first panel of the year"),
            "summary": _("Awards and declines recommended by the assessment panel."),
            "rationale": _(
                "The panel assessed each application against the fund's criteria and the "
                "Police and Crime Plan. The awards are within the fund's budget."
            ),
            "options_considered": _(
                "Fund every eligible application in part; fund only the highest scoring."
            ),
            "financial_implications": _("Met from this year's fund budget."),
            "legal_implications": _("Grants are made under the Commissioner's powers."),
            "equality_implications": _("The projects serve people with protected characteristics."),
            "exempt_parts": ["legal_implications"],
            "exemption_reason": _("Legal advice is exempt from publication."),
        },
        lines=lines,
    )
    if _submit(signed, officer):
        _sign_all(signed)
    signed.refresh_from_db()
    if signed.status == "signed" and is_publishable(signed.total, office.policy.publication):
        decision_publish(decision=signed, actor=officer)

    awaiting = decision_create(
        office=office,
        actor=officer,
        fields={
            "title": _("Award for target hardening for repeat victims"),
            "summary": _("An award recommended by the assessment panel."),
            "rationale": _("The project meets a need identified in the needs assessment."),
            "financial_implications": _("Met from this year's fund budget."),
        },
        lines=[
            DecisionLine(application=awaiting_app, outcome="approve", amount=_ask(awaiting_app))
        ],
    )
    if _submit(awaiting, officer) and len(awaiting.required_roles) > 1:
        _sign_as(awaiting, awaiting.required_roles[0])


def _submit(decision: DecisionRecord, officer) -> bool:
    """Send for signature, after the officer records due diligence on the organisations to be
    funded where the office needs it. A record the office's rules still hold back stays a
    draft in the demo."""
    for link in decision.decided_applications.filter(outcome="approve").select_related(
        "application__office__policy", "application__organisation"
    ):
        _due_diligence(link.application, officer)
    try:
        decision_submit_for_signature(decision=decision, actor=officer)
    except DomainError as exc:
        logger.warning("Demo decision %s left as a draft: %s", decision.number, exc.message)
        return False
    decision.refresh_from_db()
    return True


def _due_diligence(application: Application, officer) -> None:
    """A passing due diligence check on the organisation, when the office requires one and
    none is in date."""
    if not due_diligence_blocker(application=application):
        return
    try:
        due_diligence_record(
            organisation=application.organisation,
            office=application.office,
            actor=officer,
            outcome="pass",
            financial_notes=_("Latest annual accounts reviewed; no irregularities."),
            non_financial_notes=_("Safeguarding and data protection policies in date."),
            **{name: True for names in CHECK_FIELDS.values() for name in names},
        )
    except (DomainError, TypeError) as exc:
        logger.warning("Demo due diligence not recorded: %s", exc)


def _round(office):
    for round_ in Round.objects.filter(office=office).select_related("fund").order_by("slug"):
        if round_.is_open() and round_.applications.exclude(status=Status.DRAFT).exists():
            return round_
    return None


def _application(round_, project) -> Application:
    """A submitted application for the demo, by an organisation that already applied."""
    from commissioning.applications.demo import _fill

    existing = Application.objects.filter(round=round_, title=project["title"]).first()
    if existing is not None:
        return existing
    model = round_.applications.exclude(status=Status.DRAFT).select_related("organisation").first()
    member = (
        OrganisationMember.objects.filter(organisation=model.organisation)
        .select_related("user")
        .order_by("id")
        .first()
    )
    application = application_start(
        round=round_, organisation=model.organisation, actor=member.user
    )
    _fill(application, project, member.user, over_limit=False)
    return application_submit(application=application, actor=member.user)


def _declinable(office, *, exclude) -> Application | None:
    """An application screening did not pass, which the demo declines."""
    taken = DecisionApplication.objects.values("application_id")
    return (
        Application.objects.filter(
            office=office, status__in=[Status.SCREENING, Status.INELIGIBLE, Status.NOT_RECOMMENDED]
        )
        .exclude(pk__in=exclude)
        .exclude(pk__in=taken)
        .order_by("reference")
        .first()
    )


# The way from each state to the panel's recommendation, one allowed step at a time.
ROUTE = {
    Status.SUBMITTED: Status.ELIGIBLE,
    Status.INELIGIBLE: Status.SCREENING,
    Status.SCREENING: Status.ELIGIBLE,
    Status.ELIGIBLE: Status.IN_ASSESSMENT,
}


def _advance(application: Application, target: str, actor) -> None:
    application.refresh_from_db()
    note = _("Demo: moved on by the commissioning officer")
    while application.status in ROUTE:
        application_transition(
            application=application, to=ROUTE[application.status], actor=actor, note=note
        )
    if application.status == Status.IN_ASSESSMENT:
        application_transition(application=application, to=target, actor=actor, note=note)


def _ask(application: Application):
    application.refresh_from_db()
    return application.amount_requested


def _sign_as(decision: DecisionRecord, role: str) -> bool:
    prefix = SIGNATORY_PREFIXES.get(role)
    user = User.objects.filter(email=f"{prefix}@{decision.office.slug}.example").first()
    if prefix is None or user is None:
        return False
    decision_sign(decision=decision, signatory=user, mfa_verified=True, role=role)
    return True


def _sign_all(decision: DecisionRecord) -> None:
    for role in decision.required_roles:
        if not _sign_as(decision, role):
            return
