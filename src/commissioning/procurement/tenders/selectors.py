"""Reads of a tender's evaluation: each bid's average score per criterion from the evaluators
without a conflict on it, and the bids ranked under the published quality and cost split."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from commissioning.procurement.rules import BidResult, evaluate
from commissioning.procurement.tenders.models import BidConflict, BidScore


@dataclass
class EvaluationResults:
    ranked: list[BidResult]
    complete: bool  # every evaluator has declared on, and scored or stood aside from, every bid
    averages: dict[int, dict[str, Decimal]]


def evaluation_results(exercise) -> EvaluationResults:
    """Three queries whatever the number of bids and evaluators."""
    bids = list(exercise.bids.all())
    evaluators = list(exercise.evaluators.all())
    declarations = {
        (d.evaluator_id, d.bid_id): d for d in BidConflict.objects.filter(bid__exercise=exercise)
    }
    totals: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    scored: set[tuple[int, int]] = set()
    for score in BidScore.objects.filter(bid__exercise=exercise):
        totals[score.bid_id][score.criterion].append(score.score)
        scored.add((score.evaluator_id, score.bid_id))
    complete = bool(bids) and bool(evaluators)
    for bid in bids:
        for evaluator in evaluators:
            declaration = declarations.get((evaluator.pk, bid.pk))
            if declaration is None:
                complete = False
            elif not declaration.has_conflict and (evaluator.pk, bid.pk) not in scored:
                complete = False
    averages = {
        bid.pk: {
            code: Decimal(sum(values)) / len(values)
            for code, values in totals.get(bid.pk, {}).items()
        }
        for bid in bids
    }
    ranked = evaluate(
        [(bid.pk, bid.price, averages[bid.pk]) for bid in bids],
        exercise.criteria,
        exercise.quality_weight,
        exercise.cost_weight,
    )
    return EvaluationResults(ranked=ranked, complete=complete, averages=averages)
