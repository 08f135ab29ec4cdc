"""Portfolio optimiser figures: time to a proven optimum on generated rounds.

Each instance is a round of bids spread unevenly over areas and plan priorities, with a budget of
about a third of what is asked for, minimum and maximum shares by area (from population) and by
priority that bind, and, in the "partial" variant, a third of the bids open to partial funding.
Seeds are fixed, so every run solves the same instances.

"solve" is the time HiGHS takes to prove the optimum of the model with every limit (the figure
the goals are for); "call" is the whole `allocate()` call, which also solves the model without
the fairness limits (to show what they cost), ranks the bids plainly and checks the answer.
"""

import math
import random
import statistics
import time
from decimal import Decimal

from commissioning.assessment.allocation.optimiser import OPTIMAL, Bid, Limits, allocate

CASES = [
    # (bids, areas, priorities, goal in seconds)
    (200, 12, 10, 0.2),
    (2000, 12, 10, 2.0),
]
SEEDS = (1, 2, 3, 4, 5)


def instance(
    size: int, areas: int, priorities: int, seed: int, *, partial: bool
) -> tuple[list[Bid], Limits]:
    rng = random.Random(seed)
    population = [rng.uniform(1, 5) for _ in range(areas)]
    # Bids do not follow population: larger places send proportionally more.
    area_weight = [p**1.6 for p in population]
    priority_weight = [rng.uniform(0.3, 3) for _ in range(priorities)]
    bids = []
    for i in range(size):
        amount = Decimal(round(1000 * 100 ** rng.random()))  # £1,000 to £100,000, log-uniform
        if rng.random() < 0.2:
            amount += Decimal(rng.randrange(1, 100)) / 100
        quality = min(100.0, max(5.0, rng.gauss(60, 15)))
        least = None
        if partial and rng.random() < 1 / 3:
            least = (amount * Decimal(rng.choice(("0.5", "0.6", "0.75", "0.9")))).quantize(
                Decimal("1")
            )
        bids.append(
            Bid(
                key=f"BID-{i:05d}",
                amount=amount,
                score=round(quality, 1),
                area=f"District {rng.choices(range(areas), area_weight)[0] + 1:02d}",
                priority=f"Priority {rng.choices(range(priorities), priority_weight)[0] + 1:02d}",
                min_amount=least,
            )
        )
    budget = (sum(b.amount for b in bids) * Decimal("0.3")).quantize(Decimal("1000"))
    asked: dict[str, Decimal] = {}
    for bid in bids:
        asked[bid.area] = asked.get(bid.area, Decimal(0)) + bid.amount
        asked[bid.priority] = asked.get(bid.priority, Decimal(0)) + bid.amount

    def floor_share(wanted: float, name: str) -> float:
        # An office sets limits its bids can meet: never more than a third of what is asked.
        reachable = float(asked.get(name, Decimal(0)) / budget) / 3
        return math.floor(min(wanted, reachable) * 1000) / 1000

    total_population = sum(population)
    area_names = [f"District {a + 1:02d}" for a in range(areas)]
    priority_names = [f"Priority {p + 1:02d}" for p in range(priorities)]
    limits = Limits(
        budget=budget,
        area_share_min={
            name: floor_share(0.7 * population[a] / total_population, name)
            for a, name in enumerate(area_names)
        },
        area_share_max={
            name: round(2.5 * population[a] / total_population, 3)
            for a, name in enumerate(area_names)
        },
        priority_share_min={name: floor_share(0.5 / priorities, name) for name in priority_names},
        default_priority_share_max=round(2.5 / priorities, 3),
    )
    return bids, limits


def bench_optimiser(seeds=SEEDS) -> list[dict]:
    rows = []
    for size, areas, priorities, goal in CASES:
        for partial in (False, True):
            solve, total, nodes_ok, cost = [], [], True, []
            for seed in seeds:
                bids, limits = instance(size, areas, priorities, seed, partial=partial)
                start = time.perf_counter()
                result = allocate(bids, limits)
                total.append(time.perf_counter() - start)
                solve.append(result.solve_seconds)
                nodes_ok = nodes_ok and result.status == OPTIMAL
                cost.append(result.cost_of_limits or 0.0)
            rows.append(
                {
                    "bids": size,
                    "areas": areas,
                    "priorities": priorities,
                    "partial_funding": partial,
                    "instances": len(seeds),
                    "all_proven_optimal": nodes_ok,
                    "solve_s_median": round(statistics.median(solve), 3),
                    "solve_s_max": round(max(solve), 3),
                    "allocate_s_median": round(statistics.median(total), 3),
                    "allocate_s_max": round(max(total), 3),
                    "goal_s": goal,
                    "goal_met": max(solve) <= goal,
                    "cost_of_limits_median": round(statistics.median(cost), 1),
                }
            )
    return rows


def print_optimiser(rows: list[dict]) -> None:
    print(
        "Portfolio optimiser (HiGHS; seconds to a proven optimum, median and worst of "
        f"{len(SEEDS)} instances; the goal applies to the solve)"
    )
    print(
        f"{'bids':>6}{'areas':>7}{'prios':>7}  {'partial':<8}{'optimal':<9}"
        f"{'solve med':>10}{'solve max':>10}{'call med':>10}{'call max':>10}{'goal':>7}  met"
    )
    for r in rows:
        print(
            f"{r['bids']:>6,}{r['areas']:>7}{r['priorities']:>7}  "
            f"{'yes' if r['partial_funding'] else 'no':<8}"
            f"{'all' if r['all_proven_optimal'] else 'NOT ALL':<9}"
            f"{r['solve_s_median']:>10}{r['solve_s_max']:>10}"
            f"{r['allocate_s_median']:>10}{r['allocate_s_max']:>10}{r['goal_s']:>7}  "
            f"{'yes' if r['goal_met'] else 'no'}"
        )
