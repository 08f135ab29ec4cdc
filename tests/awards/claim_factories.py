"""Claims made the way the product makes them: through the services, on an award made by
signing a decision and moved to active."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.awards.claims.services import (
    ClaimLineInput,
    claim_create,
    claim_evidence_add,
    claim_submit,
)
from commissioning.awards.models import AwardStatus
from commissioning.awards.services import award_transition
from commissioning.core.uploads import validate_upload
from commissioning.organisations.models import OrganisationMember
from tests.accounts.factories import UserFactory
from tests.awards.factories import award_by_decision
from tests.core.files import pdf_bytes

YEAR_2026 = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2027, 3, 31)}
Q1 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def activate(award, actor=None):
    for state in (AwardStatus.SENT, AwardStatus.SIGNED_BY_PROVIDER, AwardStatus.ACTIVE):
        award_transition(award=award, to=state, actor=actor)
    return award


def active_award(office, officer, round_, signatories, *, amount="2000"):
    [award] = award_by_decision(
        office, officer, round_, signatories, amounts=(amount,), **YEAR_2026
    )
    return activate(award, officer)


def admin_of(award):
    """The organisation's administrator who submitted its application."""
    return award.application.submitted_by


def plain_member_of(organisation):
    user = UserFactory()
    OrganisationMember.objects.create(
        organisation=organisation, user=user, role=OrganisationMember.Role.MEMBER
    )
    return user


def pdf_upload(name="invoice.pdf", content=None):
    return SimpleUploadedFile(name, content or pdf_bytes("Invoice 1042"), "application/pdf")


def line(award, amount):
    return ClaimLineInput(
        amount=Decimal(amount), budget_line=award.application.budget_lines.first()
    )


def next_period(award) -> tuple[dt.date, dt.date]:
    """Q1 for an award's first claim; after that the month after its latest claim, as claims
    for overlapping periods are refused."""
    latest = award.claims.order_by("-period_end").first()
    if latest is None:
        return Q1
    start = latest.period_end + dt.timedelta(days=1)
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def draft_claim(award, actor=None, *, amount="500", period=None, lines=None):
    period = period or next_period(award)
    return claim_create(
        award=award,
        actor=actor or admin_of(award),
        period_start=period[0],
        period_end=period[1],
        amount=Decimal(amount),
        lines=lines if lines is not None else [line(award, amount)],
    )


def add_evidence(claim, actor=None):
    return claim_evidence_add(
        claim=claim,
        actor=actor or admin_of(claim.award),
        kind="invoice",
        description="Invoice 1042 for torches",
        upload=validate_upload(pdf_upload()),
    )


def submitted_claim(award, actor=None, *, amount="500", period=None):
    actor = actor or admin_of(award)
    claim = draft_claim(award, actor, amount=amount, period=period)
    add_evidence(claim, actor)
    return claim_submit(claim=claim, actor=actor)
