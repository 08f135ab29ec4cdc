"""Demo grant agreements in every office: one awaiting the organisation's signature, one
awaiting the office's countersignature, and two signed by both (their awards active). Where the
office has fewer than four awards, a further signed decision makes them, the way the product
does. Every write goes through the services; running it again adds nothing."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import User
from commissioning.applications.models import Status
from commissioning.awards.agreements.models import Agreement
from commissioning.awards.agreements.services import (
    agreement_countersign,
    agreement_issue,
    agreement_send,
    agreement_sign_by_provider,
    countersigning_roles,
)
from commissioning.awards.models import Award
from commissioning.core.errors import DomainError
from commissioning.decisions.services import DecisionLine, decision_create
from commissioning.organisations.models import OrganisationMember

logger = logging.getLogger(__name__)

WANTED = 4
PROJECTS = [
    {
        "title": "Youth diversion through evening sport",
        "short_description": "Evening football and boxing with mentoring for young people.",
        "need": "Antisocial behaviour reports peak on weekday evenings near the town centre.",
        "activities": "Three evening sessions a week with qualified coaches and youth mentors.",
        "budget": [
            ("staff", "Coaches and mentors", "3000"),
            ("equipment", "Kit and equipment", "1500"),
            ("venue", "Sports hall hire", "1000"),
        ],
    },
    {
        "title": "Safe walking routes home from the night-time economy",
        "short_description": "Street marshals and a safe-space hub on Friday and Saturday nights.",
        "need": "Women and girls report feeling unsafe walking home from the town centre at night.",
        "activities": "Trained marshals on the main routes and a staffed hub until 3am.",
        "budget": [
            ("staff", "Street marshals", "2500"),
            ("venue", "Safe-space hub", "1500"),
            ("publicity", "Posters and social media", "500"),
        ],
    },
    {
        "title": "Scam awareness for older residents",
        "short_description": "Talks, call blockers and a helpline for older residents.",
        "need": "Doorstep and telephone fraud against older residents rose in the past year.",
        "activities": "Twenty talks in community venues and call blockers for those targeted.",
        "budget": [
            ("equipment", "Call blockers", "2500"),
            ("staff", "Talks and helpline", "2000"),
            ("publicity", "Leaflets", "500"),
        ],
    },
    {
        "title": "Safe spaces for women at night",
        "short_description": "Trained volunteers and a safe space in the night-time economy.",
        "need": "Women report feeling unsafe in the town centre late at night.",
        "activities": "A staffed safe space and street volunteers on Friday and Saturday nights.",
        "budget": [
            ("staff", "Volunteer training and coordination", "3000"),
            ("venue", "Safe space hire", "1500"),
            ("equipment", "Radios and first aid kits", "500"),
        ],
    },
]


def seed_office(office) -> None:
    if Agreement.objects.filter(award__office=office).exists():
        return
    awards = list(Award.objects.filter(office=office).order_by("made_at", "id"))
    if len(awards) < WANTED:
        _more_awards(office, WANTED - len(awards))
        awards = list(Award.objects.filter(office=office).order_by("made_at", "id"))
    officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
    if officer is None or not awards:
        return
    # Two signed by both, so that payments and claims have active awards to show.
    steps = [_countersigned, _countersigned, _provider_signed, _sent]
    for award, step in zip(awards, steps, strict=False):
        try:
            with transaction.atomic():
                step(award, officer)
        except DomainError as exc:
            logger.warning("Demo agreement for %s not made: %s", award.reference, exc)


def _more_awards(office, count: int) -> None:
    """A second signed decision, approving new applications, whose awards the signing makes."""
    from commissioning.decisions import demo as decisions_demo

    officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
    round_ = decisions_demo._round(office)
    if officer is None or round_ is None:
        return
    # Two projects a decision, so that each stays within the office's lowest sign-off tier.
    for start in range(0, min(count, len(PROJECTS)), 2):
        _decision_of(office, officer, round_, PROJECTS[start : min(start + 2, count)])


def _decision_of(office, officer, round_, projects) -> None:
    from commissioning.decisions import demo as decisions_demo

    try:
        with transaction.atomic():
            applications = [decisions_demo._application(round_, p) for p in projects]
            for application in applications:
                decisions_demo._advance(application, Status.RECOMMENDED, officer)
            decision = decision_create(
                office=office,
                actor=officer,
                fields={
                    "title": _("Community safety grants: second panel of the year"),
                    "summary": _("Awards recommended by the assessment panel."),
                    "rationale": _(
                        "The projects meet the fund's criteria and the Police and Crime Plan, "
                        "within the fund's budget."
                    ),
                    "financial_implications": _("Met from the fund's budget."),
                },
                lines=[
                    DecisionLine(application=a, outcome="approve", amount=decisions_demo._ask(a))
                    for a in applications
                ],
            )
            if decisions_demo._submit(decision, officer):
                decisions_demo._sign_all(decision)
    except DomainError as exc:
        logger.warning("Demo awards for %s's agreements not made: %s", office.slug, exc)


def _sent(award, officer):
    agreement = agreement_issue(
        award=award,
        actor=officer,
        reason=_("The award made by decision %(n)s") % {"n": award.decision.number},
    )
    return agreement_send(agreement=agreement, actor=officer)


def _provider_signed(award, officer):
    agreement = _sent(award, officer)
    member = (
        OrganisationMember.objects.filter(
            organisation=award.organisation, role=OrganisationMember.Role.ADMIN
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    if member is None:
        return agreement
    name = member.user.get_full_name() or member.user.email
    return agreement_sign_by_provider(
        agreement=agreement,
        signatory=member.user,
        name=name,
        role=_("Authorised signatory"),
        signature=name,
        confirmed=True,
        document_sha256=agreement.document_sha256,
    )


# How many codes each countersigner has given in this run: a code is accepted once, so a
# second signature within the same 30 seconds gives the next period's code.
_codes_used: dict[int, int] = {}


def _countersigned(award, officer):
    agreement = _provider_signed(award, officer)
    prefixes = {"commissioner": "commissioner", "deputy_commissioner": "deputy"}
    for role in countersigning_roles(award.office):
        prefix = prefixes.get(role)
        user = User.objects.filter(email=f"{prefix}@{award.office.slug}.example").first()
        if prefix and user is not None:
            ahead = _codes_used.get(user.pk, 0) % 2
            _codes_used[user.pk] = _codes_used.get(user.pk, 0) + 1
            return agreement_countersign(
                agreement=agreement,
                signatory=user,
                mfa_verified=True,
                code=totp_current_code(user, periods_ahead=ahead),
                document_sha256=agreement.document_sha256,
            )
    return agreement
