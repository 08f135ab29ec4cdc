"""Portfolio allocation runs (AS5): propose awards within the budget and the fairness limits,
let the officer adjust the proposal, and adopt it as the panel's recommendations. Each function
runs in one transaction and writes an audit event."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.applications.models import Application, Status
from commissioning.assessment import rules
from commissioning.assessment.allocation.selectors import allocation_bids
from commissioning.assessment.models import AgreedOutcome, AllocationRun, Panel, PanelMeeting
from commissioning.assessment.scoring.services import recommendation_agree
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError


def _money_text(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _portfolio_json(portfolio) -> dict | None:
    if portfolio is None:
        return None
    return {
        "awards": [
            {
                "key": a.key,
                "amount": _money_text(a.amount),
                "requested": _money_text(a.requested),
                "score": round(a.score, 4),
            }
            for a in portfolio.awards
        ],
        "total_score": round(portfolio.total_score, 4),
        "total_amount": _money_text(portfolio.total_amount),
        "by_area": {k: _money_text(v) for k, v in portfolio.by_area.items()},
        "by_priority": {k: _money_text(v) for k, v in portfolio.by_priority.items()},
    }


def _result_json(result) -> dict:
    return {
        "status": result.status,
        "proposal": _portfolio_json(result.proposal),
        "unconstrained": _portfolio_json(result.unconstrained),
        "ranking": _portfolio_json(result.ranking),
        "cost_of_limits": None
        if result.cost_of_limits is None
        else round(result.cost_of_limits, 4),
        "gain_over_ranking": None
        if result.gain_over_ranking is None
        else round(result.gain_over_ranking, 4),
        "differences": [
            {
                "key": d.key,
                "proposal_amount": _money_text(d.proposal_amount),
                "ranking_amount": _money_text(d.ranking_amount),
            }
            for d in result.differences
        ],
        "problems": [
            {
                "kind": p.kind,
                "name": p.name,
                "required": _money_text(p.required),
                "reachable": _money_text(p.reachable),
                "short_by": _money_text(p.short_by),
                "message": p.message,
            }
            for p in result.problems
        ],
        "solve_seconds": round(result.solve_seconds, 4),
    }


def allocation_run(
    *,
    panel: Panel,
    actor,
    budget: Decimal,
    include: frozenset[str] = frozenset(),
    exclude: frozenset[str] = frozenset(),
    limits: dict | None = None,
):
    """Propose the awards with the highest total weighted score within the budget and the
    pack's fair-distribution limits (or the officer's own `limits`), from the panel's scored
    applications; keep the inputs and the result. Writes nothing else."""
    from commissioning.assessment.allocation import optimiser

    if budget is None or budget < 0:
        raise DomainError(_("Enter the budget for the allocation"), field="budget")
    bids = allocation_bids(panel)
    if not bids:
        raise DomainError(_("No scored application of this panel is waiting for a recommendation."))
    shares = {
        k: float(v)
        for k, v in (limits or rules.allocation_limits(panel.office.policy.assessment)).items()
        if v is not None
    }
    try:
        result = optimiser.allocate(
            [b.bid for b in bids],
            optimiser.Limits(
                budget=budget,
                default_area_share_min=shares.get("area_share_min"),
                default_area_share_max=shares.get("area_share_max"),
                default_priority_share_min=shares.get("priority_share_min"),
                default_priority_share_max=shares.get("priority_share_max"),
                include=frozenset(include),
                exclude=frozenset(exclude),
            ),
        )
    except optimiser.AllocationInputError as exc:
        raise DomainError(str(exc)) from exc
    inputs = {
        "budget": _money_text(budget),
        "limits": shares,
        "include": sorted(include),
        "exclude": sorted(exclude),
        "bids": [
            {
                "key": b.bid.key,
                "amount": _money_text(b.bid.amount),
                "min_amount": _money_text(b.bid.min_amount),
                "score": b.bid.score,
                "area": b.bid.area,
                "priority": b.bid.priority,
                "status": b.status,
            }
            for b in bids
        ],
    }
    chosen = (
        {a.key: _money_text(a.amount) for a in result.proposal.awards} if result.proposal else {}
    )
    with transaction.atomic():
        run = AllocationRun.objects.create(
            panel=panel,
            budget=budget,
            inputs=inputs,
            result=_result_json(result),
            feasible=result.feasible,
            chosen=chosen,
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="assessment.allocation_run",
            target=panel,
            office=panel.office,
            data={"run": run.pk, "status": result.status},
        )
    return run


def allocation_adjust(*, run, chosen: dict[str, Decimal | None], actor):
    """The officer changes the proposal by hand before adopting it: an amount per application
    (None or 0 for not funded), each within what was asked and the fund's part-funding floor,
    all within the budget."""
    if run.adopted:
        raise DomainError(_("This allocation has been adopted and can no longer change."))
    bids = {b["key"]: b for b in run.inputs.get("bids", [])}
    cleaned: dict[str, str] = {}
    for key, amount in chosen.items():
        if key not in bids:
            raise DomainError(_("%(key)s is not part of this allocation.") % {"key": key})
        if not amount:
            continue
        requested = Decimal(bids[key]["amount"])
        floor = bids[key]["min_amount"]
        if amount > requested or (amount < requested and floor is None):
            raise DomainError(
                _("%(key)s can be funded with £%(amount)s only.")
                % {"key": key, "amount": f"{requested:,.2f}"},
                field=f"amount_{key}",
            )
        if floor is not None and amount < Decimal(floor):
            raise DomainError(
                _("%(key)s needs at least £%(floor)s if funded in part.")
                % {"key": key, "floor": f"{Decimal(floor):,.2f}"},
                field=f"amount_{key}",
            )
        cleaned[key] = _money_text(amount)
    total = sum((Decimal(v) for v in cleaned.values()), Decimal(0))
    if total > run.budget:
        raise DomainError(
            _("The awards add up to £%(total)s, more than the budget of £%(budget)s.")
            % {"total": f"{total:,.2f}", "budget": f"{run.budget:,.2f}"}
        )
    with transaction.atomic():
        run.chosen = cleaned
        run.updated_by = actor
        run.save(update_fields=["chosen", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="assessment.allocation_adjusted",
            target=run.panel,
            office=run.panel.office,
            data={"run": run.pk, "chosen": cleaned},
        )
    return run


def allocation_adopt(*, run, meeting: PanelMeeting, actor):
    """Adopt the (possibly adjusted) allocation as the panel's recommendations at a quorate
    meeting: each chosen application is recommended for its amount, each other application
    still being assessed is declined with the reason. Applications already recommended keep
    their recommendation."""
    with transaction.atomic():
        locked = AllocationRun.objects.select_for_update().get(pk=run.pk)
        if locked.adopted:
            raise DomainError(_("This allocation has already been adopted."))
        if not locked.chosen and not locked.feasible:
            raise DomainError(_("The limits could not be met, so there is nothing to adopt."))
        references = [b["key"] for b in locked.inputs.get("bids", [])]
        applications = Application.objects.filter(
            panel_entry__panel=locked.panel,
            reference__in=references,
            status=Status.IN_ASSESSMENT,
        ).select_related("fund", "office", "office__policy")
        scores = {b["key"]: b["score"] for b in locked.inputs["bids"]}
        for application in applications:
            amount = locked.chosen.get(application.reference)
            if amount:
                recommendation_agree(
                    panel=locked.panel,
                    application=application,
                    meeting=meeting,
                    outcome=AgreedOutcome.FUND,
                    amount=Decimal(amount),
                    rationale=_(
                        "The application scored %(score)s out of 100 and is part of the "
                        "portfolio that makes the best use of the budget across the areas and "
                        "priorities of the plan."
                    )
                    % {"score": f"{scores[application.reference]:.1f}"},
                    actor=actor,
                )
            else:
                recommendation_agree(
                    panel=locked.panel,
                    application=application,
                    meeting=meeting,
                    outcome=AgreedOutcome.DECLINE,
                    rationale=_(
                        "The application scored %(score)s out of 100. The budget did not stretch "
                        "to it once higher-scoring applications, and a fair spread of funding "
                        "across the areas and priorities of the plan, were provided for."
                    )
                    % {"score": f"{scores[application.reference]:.1f}"},
                    actor=actor,
                )
        locked.adopted_at = timezone.now()
        locked.adopted_by = actor
        locked.save(update_fields=["adopted_at", "adopted_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="assessment.allocation_adopted",
            target=locked.panel,
            office=locked.panel.office,
            data={"run": locked.pk, "meeting": meeting.pk},
        )
    return locked
