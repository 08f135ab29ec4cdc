"""An award's claims for the office's staff (read only). A token of another office's staff
gets 404, as for a missing award; a member of the office whose role does not read awards (a
panel member) gets 403. Drafts are the organisation's own and are not listed."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from ninja import Router, Schema

from commissioning.awards.api import ERRORS
from commissioning.awards.api import _office as award_office
from commissioning.awards.claims.selectors import award_unclaimed, claims_for_api
from commissioning.awards.permissions import award_for_staff

router = Router(tags=["claims"])


class ClaimLineOut(Schema):
    description: str
    budget_category: str | None
    amount: Decimal


class EvidenceOut(Schema):
    id: str
    kind: str
    description: str
    filename: str
    content_type: str
    size: int
    added_at: dt.datetime
    download_url: str


class ClaimOut(Schema):
    number: int
    reference: str
    status: str
    period_start: dt.date
    period_end: dt.date
    amount: Decimal
    approved_amount: Decimal | None
    finance_comments: str
    submitted_at: dt.datetime | None
    submitted_by: str | None
    checked_at: dt.datetime | None
    checked_by: str | None
    lines: list[ClaimLineOut]
    evidence: list[EvidenceOut]


class AwardClaimsOut(Schema):
    award: str
    amount: Decimal
    unclaimed: Decimal
    claims: list[ClaimOut]


@router.get(
    "/offices/{slug}/awards/{reference}/claims",
    response={200: AwardClaimsOut, **ERRORS},
    summary="An award's claims, with their lines and evidence (staff)",
    description="Every claim the organisation has submitted, oldest first, with what remains "
    "unclaimed of the award. Download evidence from each `download_url` (signed-in staff).",
)
def award_claims(request, slug: str, reference: str):
    office = award_office(request.auth, slug)
    award = award_for_staff(request.auth, office, reference)
    claims = claims_for_api(award)
    return AwardClaimsOut(
        award=award.reference,
        amount=award.amount,
        unclaimed=award_unclaimed(award),
        claims=[
            ClaimOut(
                number=c.number,
                reference=f"{award.reference}/C{c.number}",
                status=c.status,
                period_start=c.period_start,
                period_end=c.period_end,
                amount=c.amount,
                approved_amount=c.approved_amount,
                finance_comments=c.finance_comments,
                submitted_at=c.submitted_at,
                submitted_by=str(c.submitted_by) if c.submitted_by else None,
                checked_at=c.checked_at,
                checked_by=str(c.checked_by) if c.checked_by else None,
                lines=[
                    ClaimLineOut(
                        description=line.description,
                        budget_category=line.budget_line.category if line.budget_line else None,
                        amount=line.amount,
                    )
                    for line in c.lines.all()
                ],
                evidence=[
                    EvidenceOut(
                        id=e.public_id,
                        kind=e.kind,
                        description=e.description,
                        filename=e.filename,
                        content_type=e.content_type,
                        size=e.size,
                        added_at=e.created_at,
                        download_url=reverse(
                            "awards:claims:staff_evidence",
                            args=[office.slug, award.reference, c.number, e.public_id],
                        ),
                    )
                    for e in c.evidence.all()
                ],
            )
            for c in claims
        ],
    )
