"""GET /api/v1/offices/{slug}/applications/{reference}/screening: the current screening
results of one application, for staff of its office (not panel members); 404 for anyone else."""

import datetime as dt

from ninja import Router, Schema

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.permissions import application_for_staff
from commissioning.applications.screening.rules import RULE_TITLES
from commissioning.applications.screening.selectors import current_screening_results

router = Router(tags=["screening"])


class ScreeningResultOut(Schema):
    rule: str
    title: str
    outcome: str
    reason: str
    details: dict
    run_at: dt.datetime
    effective_outcome: str
    override_outcome: str
    override_reason: str
    overridden_by: str | None
    overridden_at: dt.datetime | None


class ScreeningOut(Schema):
    reference: str
    status: str
    screening_outcome: str
    results: list[ScreeningResultOut]


def _result_out(result) -> ScreeningResultOut:
    return ScreeningResultOut(
        rule=result.rule,
        title=str(RULE_TITLES.get(result.rule, result.rule)),
        outcome=result.outcome,
        reason=result.reason,
        details=result.details,
        run_at=result.run_at,
        effective_outcome=result.effective_outcome,
        override_outcome=result.override_outcome,
        override_reason=result.override_reason,
        overridden_by=str(result.overridden_by) if result.overridden_by else None,
        overridden_at=result.overridden_at,
    )


@router.get(
    "/{slug}/applications/{reference}/screening",
    response=ScreeningOut,
    summary="An application's current screening results",
)
def screening_detail(request, slug: str, reference: str):
    office = office_for_staff(request.auth, slug)
    application = application_for_staff(request.auth, office, reference)
    return ScreeningOut(
        reference=application.reference,
        status=application.status,
        screening_outcome=application.screening_outcome,
        results=[_result_out(r) for r in current_screening_results(application)],
    )
