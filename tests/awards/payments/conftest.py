import datetime as dt

import pytest

from commissioning.accounts.models import Role
from commissioning.awards.bank.models import BankVerification
from commissioning.awards.bank.services import (
    bank_change_verify,
    bank_details_enter,
    callback_number_add,
)
from commissioning.awards.models import AwardStatus
from commissioning.awards.services import award_transition
from tests.accounts.factories import staff_user
from tests.applications.factories import member_of
from tests.awards.factories import award_by_decision

YEAR_2026 = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2027, 3, 31)}
# Bank details no page, answer, audit event or log may show (the scan test looks for them).
SORT_CODE = "404784"
ACCOUNT_NUMBER = "71946238"
ROLL_NUMBER = "RX-5589/01"


@pytest.fixture
def finance(office):
    return staff_user(office, Role.FINANCE_OFFICER)


@pytest.fixture
def second_finance(office):
    return staff_user(office, Role.FINANCE_OFFICER)


@pytest.fixture
def award(office, officer, round_, signatories):
    """An award of £2,000.00 from the Community Fund, phased in two (the test pack)."""
    return award_by_decision(office, officer, round_, signatories, amounts=("2000",), **YEAR_2026)[
        0
    ]


def activate(award, actor):
    """The agreement signed by both (the agreements app does this through its services)."""
    for to in (AwardStatus.SENT, AwardStatus.SIGNED_BY_PROVIDER, AwardStatus.ACTIVE):
        award_transition(award=award, to=to, actor=actor)
    return award


def admin_of(organisation):
    from commissioning.organisations.models import OrganisationMember

    member = organisation.members.filter(role=OrganisationMember.Role.ADMIN).first()
    return member.user if member else member_of(organisation)


def enter_bank_details(organisation, *, account_number=ACCOUNT_NUMBER, phone="07700 900 555"):
    return bank_details_enter(
        organisation=organisation,
        account_name="Brockhall Youth Trust",
        sort_code=f"{SORT_CODE[:2]}-{SORT_CODE[2:4]}-{SORT_CODE[4:]}",
        account_number=account_number,
        roll_number=ROLL_NUMBER,
        phone=phone,
        actor=admin_of(organisation),
    )


def verify(account, office, finance, *, phone="01632 960 321"):
    from commissioning.awards.bank.models import CallbackNumber

    number = CallbackNumber.objects.filter(organisation=account.organisation).first()
    if number is None:
        number = callback_number_add(
            organisation=account.organisation,
            phone=phone,
            source="The charity register",
            office=office,
            actor=finance,
        )
    return bank_change_verify(
        account=account,
        number=number,
        spoke_to="Sam Treasurer",
        outcome=BankVerification.Outcome.CONFIRMED,
        office=office,
        actor=finance,
    )


def verified_bank_details(organisation, office, finance):
    return verify(enter_bank_details(organisation), office, finance)
