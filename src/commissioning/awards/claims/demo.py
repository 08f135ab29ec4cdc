"""Demo claims (seed_demo, after the awards' step): in every office, one claim approved by
the finance officer (for a little less than was claimed, with the reason) and one submitted
and waiting for finance. The claims need an active award, so the demo moves one of the
office's awards there through its states, as the agreement's signatures would. Every write goes
through the services; running it again adds nothing."""

import datetime as dt
import logging
from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.accounts.models import User
from commissioning.applications.models import BudgetLine
from commissioning.awards.claims.models import Claim
from commissioning.awards.claims.services import (
    ClaimLineInput,
    claim_approve,
    claim_create,
    claim_evidence_add,
    claim_submit,
)
from commissioning.awards.models import Award, AwardStatus
from commissioning.awards.rules import add_months
from commissioning.awards.services import award_transition
from commissioning.core.errors import DomainError
from commissioning.core.money import PENNY
from commissioning.core.uploads import validate_upload
from commissioning.offices.models import Office
from commissioning.organisations.demo import minimal_pdf
from commissioning.organisations.models import OrganisationMember

logger = logging.getLogger(__name__)

# The way from each state of a new award to active, one allowed step at a time.
TO_ACTIVE = {
    AwardStatus.OFFERED: AwardStatus.SENT,
    AwardStatus.SENT: AwardStatus.SIGNED_BY_PROVIDER,
    AwardStatus.SIGNED_BY_PROVIDER: AwardStatus.ACTIVE,
}
HELD_BACK = Decimal("50.00")


def seed(run) -> None:
    """This stage of the demo in every office, one transaction an office."""
    for office in Office.objects.order_by("name"):
        try:
            with transaction.atomic():
                seed_office(office)
        except DomainError as exc:
            logger.warning("Demo claims for %s not made: %s", office.name, exc.message)


def _award(office) -> Award | None:
    awards = Award.objects.filter(office=office).select_related("organisation", "application")
    return (
        awards.filter(status=AwardStatus.ACTIVE).order_by("made_at", "id").first()
        or awards.filter(status__in=list(TO_ACTIVE)).order_by("made_at", "id").first()
    )


def _activate(award: Award, actor) -> None:
    note = _("Demo: the grant agreement was signed by both sides")
    while award.status in TO_ACTIVE:
        award_transition(award=award, to=TO_ACTIVE[award.status], actor=actor, note=note)


def _lines(award: Award, amount: Decimal) -> list[ClaimLineInput]:
    """`amount` spread over the application's budget lines in proportion, to the penny."""
    budget = list(BudgetLine.objects.filter(application=award.application).order_by("position"))
    if not budget:
        return [ClaimLineInput(amount=amount, description=_("Project costs"))]
    total = sum((b.amount for b in budget), Decimal("0"))
    lines, given = [], Decimal("0.00")
    for index, line in enumerate(budget):
        if index == len(budget) - 1:
            share = amount - given
        else:
            share = (amount * line.amount / total).quantize(PENNY, rounding=ROUND_DOWN)
        if share > 0:
            lines.append(ClaimLineInput(amount=share, budget_line=line))
            given += share
    return lines


def _claim(award: Award, member, *, number: int, fraction: int, evidence: str) -> Claim:
    start = min(add_months(award.starts_on, 3 * (number - 1)), award.ends_on)
    end = min(add_months(start, 3) - dt.timedelta(days=1), award.ends_on)
    amount = (award.amount / fraction).quantize(PENNY, rounding=ROUND_DOWN)
    claim = claim_create(
        award=award,
        actor=member,
        period_start=start,
        period_end=end,
        amount=amount,
        lines=_lines(award, amount),
    )
    pdf = SimpleUploadedFile(
        f"invoices-claim-{number}.pdf",
        minimal_pdf(
            [_("Invoices for claim %(n)s, %(ref)s") % {"n": number, "ref": award.reference}]
        ),
        content_type="application/pdf",
    )
    claim_evidence_add(
        claim=claim,
        actor=member,
        kind="invoice",
        description=evidence,
        upload=validate_upload(pdf),
    )
    return claim_submit(claim=claim, actor=member)


def seed_office(office) -> None:
    if Claim.objects.filter(award__office=office).exists():
        return
    award = _award(office)
    finance = User.objects.filter(email=f"finance@{office.slug}.example").first()
    officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
    member = (
        OrganisationMember.objects.filter(
            organisation_id=getattr(award, "organisation_id", None),
            role=OrganisationMember.Role.ADMIN,
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    if award is None or finance is None or member is None:
        return
    _activate(award, officer)
    first = _claim(
        award,
        member.user,
        number=1,
        fraction=4,
        evidence=_("Suppliers' invoices for the first quarter"),
    )
    approved = first.amount - HELD_BACK if first.amount > 2 * HELD_BACK else first.amount
    claim_approve(
        claim=first,
        actor=finance,
        amount=approved,
        reason=_("£50 of the invoices was for another project, so it is not paid from this grant.")
        if approved < first.amount
        else "",
    )
    _claim(
        award,
        member.user,
        number=2,
        fraction=5,
        evidence=_("Suppliers' invoices and receipts for the second quarter"),
    )
