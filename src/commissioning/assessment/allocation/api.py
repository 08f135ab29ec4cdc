"""Portfolio allocation runs of a panel, for officers without a conflict on any application
before it."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError

from commissioning.assessment.allocation import selectors
from commissioning.assessment.panels.api import BASE
from commissioning.assessment.permissions import (
    conflicted_application_ids,
    office_for_assessment,
    panel_for_manager,
)

router = Router(tags=["assessment"])


def _allocation_panel(request, slug: str, panel_id: int):
    office = office_for_assessment(request.auth, slug)
    panel = panel_for_manager(request.auth, office, panel_id)
    if conflicted_application_ids(request.auth, panel):
        raise HttpError(
            403,
            "You declared a conflict of interest in an application before this panel, so "
            "another officer must run and adopt its portfolio allocation.",
        )
    return panel


class AllocationRunOut(Schema):
    id: int
    created_at: dt.datetime
    budget: Decimal
    feasible: bool
    adopted_at: dt.datetime | None
    chosen: dict[str, Decimal]


class AllocationRunDetailOut(AllocationRunOut):
    inputs: dict
    result: dict


def _run_out(run) -> dict:
    return {
        "id": run.pk,
        "created_at": run.created_at,
        "budget": run.budget,
        "feasible": run.feasible,
        "adopted_at": run.adopted_at,
        "chosen": {k: Decimal(v) for k, v in run.chosen.items()},
    }


@router.get(
    BASE + "/{panel_id}/allocation-runs",
    response=list[AllocationRunOut],
    summary="Portfolio allocation runs of a panel (officers)",
)
def allocation_run_list(request, slug: str, panel_id: int):
    panel = _allocation_panel(request, slug, panel_id)
    return [AllocationRunOut(**_run_out(r)) for r in selectors.allocation_runs_of(panel)]


@router.get(
    BASE + "/{panel_id}/allocation-runs/{run_id}",
    response=AllocationRunDetailOut,
    summary="One allocation run: its inputs, the proposal, the unconstrained optimum, the plain "
    "ranking and any limits that cannot be met (officers)",
)
def allocation_run_detail(request, slug: str, panel_id: int, run_id: int):
    panel = _allocation_panel(request, slug, panel_id)
    run = selectors.allocation_runs_of(panel).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return AllocationRunDetailOut(**_run_out(run), inputs=run.inputs, result=run.result)
