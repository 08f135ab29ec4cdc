"""GET /api/v1/offices/{slug}/organisations/{ref}/due-diligence: an office's due diligence
checks of an organisation, newest first, for the office's staff; 404 for anyone else."""

import datetime as dt

from ninja import Router, Schema

from commissioning.accounts.permissions import office_for_staff
from commissioning.organisations.due_diligence.permissions import organisation_for_staff
from commissioning.organisations.due_diligence.selectors import due_diligence_checks

router = Router(tags=["due diligence"])


class DueDiligenceCheckOut(Schema):
    ref: str
    checked_on: dt.date
    checked_by: str | None
    outcome: str
    conditions: str
    valid_until: dt.date
    accounts_reviewed: bool
    no_irregularities: bool
    positive_cash: bool
    financial_notes: str
    safeguarding: bool
    data_protection: bool
    non_financial_notes: str
    effective: bool
    effectiveness_notes: str
    partners_supportive: bool
    partner_notes: str


@router.get(
    "/{slug}/organisations/{ref}/due-diligence",
    response=list[DueDiligenceCheckOut],
    summary="An office's due diligence checks of an organisation",
)
def due_diligence_list(request, slug: str, ref: str):
    office = office_for_staff(request.auth, slug)
    organisation = organisation_for_staff(request.auth, office, ref)
    return [
        DueDiligenceCheckOut(
            ref=c.ref,
            checked_on=c.checked_on,
            checked_by=c.checked_by.get_full_name() if c.checked_by else None,
            outcome=c.outcome,
            conditions=c.conditions,
            valid_until=c.valid_until,
            accounts_reviewed=c.accounts_reviewed,
            no_irregularities=c.no_irregularities,
            positive_cash=c.positive_cash,
            financial_notes=c.financial_notes,
            safeguarding=c.safeguarding,
            data_protection=c.data_protection,
            non_financial_notes=c.non_financial_notes,
            effective=c.effective,
            effectiveness_notes=c.effectiveness_notes,
            partners_supportive=c.partners_supportive,
            partner_notes=c.partner_notes,
        )
        for c in due_diligence_checks(organisation=organisation, office=office)
    ]
