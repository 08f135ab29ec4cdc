"""Read queries for the procurement pages and the API, each a constant number of queries."""

from django.db.models import Prefetch

from commissioning.procurement.contracts.models import Contract, ContractCommitment
from commissioning.procurement.exercises.models import Bid, ProcurementExercise
from commissioning.procurement.tenders.models import Evaluator


def exercise_list(office):
    return ProcurementExercise.objects.filter(office=office).for_list()


def exercise_with_parts(exercise: ProcurementExercise) -> ProcurementExercise:
    return (
        ProcurementExercise.objects.filter(pk=exercise.pk)
        .select_related(
            "office__policy",
            "fund",
            "winning_bid__supplier",
            "award_decision",
            "single_tender_decision",
            "pooled_budget",
            "project",
        )
        .prefetch_related(
            Prefetch("bids", queryset=Bid.objects.select_related("supplier")),
            Prefetch("evaluators", queryset=Evaluator.objects.select_related("user")),
        )
        .get()
    )


def contract_list(office):
    return Contract.objects.filter(office=office).for_list()


def contract_with_parts(office, reference: str) -> Contract | None:
    return (
        Contract.objects.filter(office=office, reference=reference)
        .select_related("provider", "fund", "exercise__project", "pooled_budget")
        .prefetch_related(
            "kpis",
            "extensions",
            Prefetch("commitments", queryset=ContractCommitment.objects.order_by("financial_year")),
        )
        .first()
    )
