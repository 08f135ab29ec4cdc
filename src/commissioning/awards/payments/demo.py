"""Demo data for payments, in every office: three awards, one active with its first
instalment paid through a confirmed payment run, one active with an instalment releasable,
one not yet active with its instalments blocked; and, once every office's run is paid, a
change of bank details waiting for verification. Every write goes through the services, as
real users' would. Running it again adds nothing.

It runs after the decisions' demo step, which makes its awards once the seeding transaction
commits, so this step waits for the same commit (its callback runs after theirs)."""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.accounts.models import User
from commissioning.awards.bank.models import BankAccountStatus, BankVerification
from commissioning.awards.bank.selectors import pending_change, verified_account
from commissioning.awards.bank.services import (
    bank_change_verify,
    bank_details_enter,
    callback_number_add,
)
from commissioning.awards.models import Award, AwardStatus
from commissioning.awards.payments.models import Condition, InstalmentStatus, PaymentRun
from commissioning.awards.payments.services import (
    instalment_approve,
    instalment_claim_approved,
    instalment_return_accepted,
    payment_run_confirm,
    payment_run_create,
)
from commissioning.core.errors import DomainError
from commissioning.organisations.models import OrganisationMember

logger = logging.getLogger(__name__)

# The award's way to active, from each state (the agreements app will do this for real).
TO_ACTIVE = {
    AwardStatus.OFFERED: AwardStatus.SENT,
    AwardStatus.SENT: AwardStatus.SIGNED_BY_PROVIDER,
    AwardStatus.SIGNED_BY_PROVIDER: AwardStatus.ACTIVE,
}
MORE_PROJECTS = [
    {
        "title": "Street lighting walkabouts with residents",
        "short_description": "Residents and officers map dark spots where people feel unsafe.",
        "need": "Residents' surveys name poorly lit paths as where they feel least safe.",
        "activities": "Monthly walkabouts, a map of dark spots and a report to the council.",
        "budget": [
            ("staff", "Coordinator time", "1500"),
            ("publicity", "Leaflets and a map", "500"),
        ],
    },
    {
        "title": "Youth diversion football evenings",
        "short_description": "Friday evening football with mentoring for young people.",
        "need": "Anti-social behaviour reports peak on Friday evenings near the town centre.",
        "activities": "Weekly football with youth workers, mentoring and referrals.",
        "budget": [
            ("staff", "Youth workers", "1500"),
            ("equipment", "Kit and pitch hire", "500"),
        ],
    },
]
DEMO_ACCOUNT = {"account_name": "Demo Community Trust", "sort_code": "309950"}


def seed_office(office) -> None:
    transaction.on_commit(partial(_seed, office.pk))


def seed_pending_changes() -> None:
    transaction.on_commit(_pending_changes)


def _user(prefix: str, office) -> User | None:
    return User.objects.filter(email=f"{prefix}@{office.slug}.example").first()


def _admin(organisation):
    member = (
        OrganisationMember.objects.filter(
            organisation=organisation, role=OrganisationMember.Role.ADMIN
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    return member.user if member else None


def _seed(office_id: int) -> None:
    from commissioning.offices.models import Office

    office = Office.objects.select_related("policy").get(pk=office_id)
    officer, finance = _user("officer", office), _user("finance", office)
    if officer is None or finance is None:
        return
    if PaymentRun.objects.filter(office=office).exists():
        return
    try:
        with transaction.atomic():
            awards = _awards(office, officer)
            if len(awards) < 3:
                logger.warning("Demo payments for %s: only %s awards", office.slug, len(awards))
                return
            paid, releasable = awards[0], awards[1]
            for award in (paid, releasable):
                _activate(award, officer)
                _meet_first_condition(award, officer)
            _verified_bank_details(paid.organisation, office, finance)
            first = paid.instalments.order_by("sequence").first()
            instalment_approve(instalment=first, actor=finance)
            run = payment_run_create(office=office, actor=finance)
            payment_run_confirm(run=run, paid_on=timezone.localdate(), actor=finance)
    except DomainError as exc:
        logger.warning("Demo payments for %s not made: %s", office.slug, exc.message)


def _awards(office, officer) -> list[Award]:
    """Three of the office's awards, making two more through a signed decision if needed."""
    awards = list(Award.objects.filter(office=office).order_by("made_at", "id"))
    if len(awards) >= 3:
        return awards[:3]
    from commissioning.applications.models import Status
    from commissioning.decisions import demo as decisions_demo
    from commissioning.decisions.services import DecisionLine, decision_create

    round_ = decisions_demo._round(office)
    if round_ is None:
        return awards
    applications = [decisions_demo._application(round_, p) for p in MORE_PROJECTS]
    for application in applications:
        decisions_demo._advance(application, Status.RECOMMENDED, officer)
    decision = decision_create(
        office=office,
        actor=officer,
        fields={
            "title": _("Community safety grants: second panel of the year"),
            "summary": _("Two awards recommended by the assessment panel."),
            "rationale": _("Both projects meet the fund's criteria and the plan's priorities."),
            "financial_implications": _("Met from the fund's budget."),
        },
        lines=[
            DecisionLine(application=a, outcome="approve", amount=decisions_demo._ask(a))
            for a in applications
        ],
    )
    if decisions_demo._submit(decision, officer):
        decisions_demo._sign_all(decision)
    return list(Award.objects.filter(office=office).order_by("made_at", "id"))[:3]


def _activate(award: Award, officer) -> None:
    """Demo stand-in for the agreement being sent, signed and countersigned."""
    from commissioning.awards.services import award_transition

    award.refresh_from_db()
    while award.status in TO_ACTIVE:
        award_transition(
            award=award,
            to=TO_ACTIVE[award.status],
            actor=officer,
            note=_("Demo: the agreement was signed by both"),
        )


def _meet_first_condition(award: Award, officer) -> None:
    """Demo stand-in for the first return accepted or the first claim approved."""
    first = award.instalments.order_by("sequence").first()
    if first is None or first.status != InstalmentStatus.SCHEDULED:
        return
    if first.condition == Condition.RETURN:
        instalment_return_accepted(
            award=award,
            return_key=first.return_key,
            actor=officer,
            cause=_("Demo: return accepted"),
        )
    elif first.condition == Condition.CLAIM:
        instalment_claim_approved(award=award, claim_reference=_("Demo claim 1"), actor=officer)


def _verified_bank_details(organisation, office, finance) -> None:
    if verified_account(organisation) is not None or pending_change(organisation) is not None:
        return
    admin = _admin(organisation)
    account = bank_details_enter(
        organisation=organisation,
        account_number="00733445",
        roll_number="",
        phone="01632 960 001",
        actor=admin,
        **DEMO_ACCOUNT,
    )
    number = callback_number_add(
        organisation=organisation,
        phone="01632 960 100",
        source=_("The charity register"),
        office=office,
        actor=finance,
    )
    bank_change_verify(
        account=account,
        number=number,
        spoke_to=_("The treasurer"),
        outcome=BankVerification.Outcome.CONFIRMED,
        office=office,
        actor=finance,
    )


def _pending_changes() -> None:
    """A change of bank details waiting for verification, for every organisation paid in the
    demo that has none waiting."""
    from commissioning.awards.bank.models import BankAccount

    for account in BankAccount.objects.filter(status=BankAccountStatus.VERIFIED).select_related(
        "organisation"
    ):
        organisation = account.organisation
        if pending_change(organisation) is not None:
            continue
        try:
            bank_details_enter(
                organisation=organisation,
                account_name=account.account_name,
                sort_code="401276",
                account_number="41206518",
                phone="07700 900 123",
                actor=_admin(organisation),
            )
        except DomainError as exc:
            logger.warning("Demo bank change not entered: %s", exc.message)
