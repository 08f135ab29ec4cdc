"""Portfolio allocation: choose the awards that make the best use of a budget.

Pure Python in and out (no models, no database), so pages, the API, tests and benchmarks share
it. The caller turns recommended applications into `Bid` rows and the fund's fairness rules into
`Limits`, then calls `allocate(bids, limits)`.

The model (a mixed-integer linear programme solved exactly by HiGHS)
--------------------------------------------------------------------
All money is counted in whole pence, so every constraint has integer coefficients and the
awarded amounts are exact pounds and pence.

Variables, for each bid i that is not excluded:

* ``x_i`` in {0, 1}: the bid is funded.
* for a bid that allows partial funding (``min_amount`` set), ``y_i`` integer pence with
  ``min_i * x_i <= y_i <= amount_i * x_i``; for an all-or-nothing bid the award is
  ``amount_i * x_i``. Write ``a_i`` for the award in pence either way.

Objective: maximise total weighted score, ``sum score_i * x_i`` for all-or-nothing bids and
``sum score_i * y_i / amount_i`` for partly funded ones (the score counts pro rata to the
fraction funded).

Constraints:

* budget: ``sum a_i <= B``;
* for each area (and likewise each plan priority) with limits:
  ``ceil(min_share * B) <= sum of a_i over its bids <= floor(max_share * B)``. Shares are of the
  budget, not of what is spent;
* a forced inclusion fixes ``x_i = 1`` (partly funded bids still get an amount between their
  minimum and the full request); a forced exclusion removes the bid.

The optimum is proven: the relative MIP gap is zero, so HiGHS stops only when no better
portfolio exists (within an absolute gap of 1e-6 on the score; when every bid is all or nothing
and every score a whole multiple of 10^-k, any two portfolios differ by at least 10^-k, so a gap
just under that is already a proof). The rows are written in pounds rather than pence, which
keeps HiGHS' presolve away from tolerance trouble with the tiny per-penny scores of partly funded
bids. With the area and priority rows the award variables of partly funded bids form a network
matrix (two laminar families), so for a fixed choice of bids the vertex solutions are whole
pence; a solution that is not (from a heuristic) is polished by re-solving that linear
programme. The answer is always checked against every limit in exact integer pence.

The same model without the area and priority limits gives the unconstrained optimum, and the
difference in score is what the fairness limits cost. The plain ranking for comparison goes down
the bids in order of score and funds each in full while the money lasts, skipping any that no
longer fit (exclusions apply, fairness limits and forced inclusions do not).

When the limits cannot all be met, simple checks come first (an area whose bids together fall
short of its minimum, forced inclusions over the budget or over a maximum, minimum shares that
add up to more than the budget, a minimum above a maximum). If none of them explains it, an
elastic copy of the model gives every limit a slack variable and minimises the total slack in
pence: each limit left with slack is reported with the amount by which it cannot be met.

`SOLVER_OPTIONS` holds the HiGHS settings (one thread; no RINS or RENS sub-MIPs), tuned on the
generated rounds in benchmarks/optimiser.py. HiGHS prints a one-line banner the first time a
process creates a solver.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

import highspy
import numpy as np
from django.utils.translation import gettext as _

from commissioning.core.money import PENNY, format_pounds

OPTIMAL = "optimal"
INFEASIBLE = "infeasible"
TIME_LIMIT = "time_limit"

DEFAULT_TIME_LIMIT = 60.0


class AllocationInputError(ValueError):
    """The bids or limits are malformed. The message is plain English, fit to show a user."""


@dataclass(frozen=True)
class Bid:
    """One recommended application: what it asks for and how well it scored.

    `min_amount` is the least the bid can be funded with when partial funding is allowed;
    None means all or nothing.
    """

    key: str
    amount: Decimal
    score: float
    area: str
    priority: str
    min_amount: Decimal | None = None

    @property
    def partial(self) -> bool:
        return self.min_amount is not None and self.min_amount < self.amount


@dataclass(frozen=True)
class Limits:
    """The budget and the fairness limits. Shares are fractions of the budget (0.2 is 20%).

    A share named for an area or priority in the mappings wins over the default, which applies
    to every area (or priority) that any bid names.
    """

    budget: Decimal
    area_share_min: Mapping[str, float] = field(default_factory=dict)
    area_share_max: Mapping[str, float] = field(default_factory=dict)
    priority_share_min: Mapping[str, float] = field(default_factory=dict)
    priority_share_max: Mapping[str, float] = field(default_factory=dict)
    default_area_share_min: float | None = None
    default_area_share_max: float | None = None
    default_priority_share_min: float | None = None
    default_priority_share_max: float | None = None
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()

    def without_shares(self) -> Limits:
        return Limits(budget=self.budget, include=self.include, exclude=self.exclude)


@dataclass(frozen=True)
class Award:
    key: str
    amount: Decimal
    requested: Decimal
    score: float  # the score this award earns: the bid's score times the fraction funded

    @property
    def partial(self) -> bool:
        return self.amount < self.requested

    @property
    def fraction(self) -> float:
        return float(self.amount / self.requested)


@dataclass(frozen=True)
class Portfolio:
    """A set of awards with its totals. Awards are in order of score, best first."""

    awards: tuple[Award, ...]
    total_score: float
    total_amount: Decimal
    by_area: Mapping[str, Decimal]
    by_priority: Mapping[str, Decimal]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(a.key for a in self.awards)

    def amount_for(self, key: str) -> Decimal:
        for award in self.awards:
            if award.key == key:
                return award.amount
        return Decimal("0.00")


@dataclass(frozen=True)
class LimitProblem:
    """A limit that cannot be met, and by how much.

    `kind` is one of "budget", "area_min", "area_max", "priority_min", "priority_max",
    "include"; `name` is the area or priority ("" for the budget). `required` is the limit in
    pounds, `reachable` the nearest the bids can come, `short_by` the gap between them.
    """

    kind: str
    name: str
    required: Decimal
    reachable: Decimal
    short_by: Decimal
    message: str


@dataclass(frozen=True)
class Difference:
    """A bid funded differently by the proposal and by the plain ranking."""

    key: str
    proposal_amount: Decimal
    ranking_amount: Decimal


@dataclass(frozen=True)
class Allocation:
    status: str  # OPTIMAL, INFEASIBLE or TIME_LIMIT (best found, not proven)
    proposal: Portfolio | None
    unconstrained: Portfolio | None  # the optimum without area and priority limits
    ranking: Portfolio  # the plain ranking by score
    problems: tuple[LimitProblem, ...] = ()
    solve_seconds: float = 0.0  # the main (constrained) solve

    @property
    def feasible(self) -> bool:
        return self.proposal is not None

    @property
    def cost_of_limits(self) -> float | None:
        """Score given up to meet the area and priority limits (0 when they do not bind)."""
        if self.proposal is None or self.unconstrained is None:
            return None
        return max(0.0, self.unconstrained.total_score - self.proposal.total_score)

    @property
    def gain_over_ranking(self) -> float | None:
        """Score gained (or, when the limits bind, lost) against the plain ranking."""
        if self.proposal is None:
            return None
        return self.proposal.total_score - self.ranking.total_score

    @property
    def differences(self) -> tuple[Difference, ...]:
        """Bids the proposal and the plain ranking fund differently, in order of key."""
        if self.proposal is None:
            return ()
        keys = sorted(self.proposal.keys | self.ranking.keys)
        rows = []
        for key in keys:
            mine, theirs = self.proposal.amount_for(key), self.ranking.amount_for(key)
            if mine != theirs:
                rows.append(Difference(key, mine, theirs))
        return tuple(rows)

    @property
    def added(self) -> tuple[str, ...]:
        """Funded by the proposal but not by the plain ranking."""
        return tuple(d.key for d in self.differences if not d.ranking_amount)

    @property
    def dropped(self) -> tuple[str, ...]:
        """Funded by the plain ranking but not by the proposal."""
        return tuple(d.key for d in self.differences if not d.proposal_amount)


# --- input -----------------------------------------------------------------------------------


def _pence(amount: Decimal, what: str) -> int:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise AllocationInputError(
            _("%(what)s is not an amount of money.") % {"what": what}
        ) from exc
    if isinstance(amount, float) or not value.is_finite() or value != value.quantize(PENNY):
        raise AllocationInputError(
            _("%(what)s must be pounds and pence, for example 2500.50.") % {"what": what}
        )
    return int(value * 100)


def _share(value: float, what: str) -> Decimal:
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise AllocationInputError(_("%(what)s is not a number.") % {"what": what}) from exc
    if not share.is_finite() or share < 0 or share > 1:
        raise AllocationInputError(
            _("%(what)s must be a share between 0 and 1 (0%% to 100%%).") % {"what": what}
        )
    return share


def _money(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(PENNY)


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


@dataclass(frozen=True)
class _Group:
    """An area or priority with its bounds in pence (None when unbounded)."""

    kind: str  # "area" or "priority"
    name: str
    members: tuple[int, ...]  # indices into the eligible bids
    low: int | None
    high: int | None
    low_share: Decimal | None
    high_share: Decimal | None


def _check_bids(bids: Sequence[Bid]) -> list[int]:
    seen: set[str] = set()
    amounts = []
    for bid in bids:
        if bid.key in seen:
            raise AllocationInputError(_("Bid %(key)s appears twice.") % {"key": bid.key})
        seen.add(bid.key)
        amount = _pence(bid.amount, _("The amount for %(key)s") % {"key": bid.key})
        if amount <= 0:
            raise AllocationInputError(
                _("The amount for %(key)s must be more than £0.") % {"key": bid.key}
            )
        if bid.min_amount is not None:
            least = _pence(bid.min_amount, _("The least amount for %(key)s") % {"key": bid.key})
            if least <= 0 or least > amount:
                raise AllocationInputError(
                    _(
                        "The least amount for %(key)s must be more than £0 and no more than "
                        "%(amount)s."
                    )
                    % {"key": bid.key, "amount": format_pounds(bid.amount)}
                )
        if not isinstance(bid.score, int | float) or not math.isfinite(bid.score):
            raise AllocationInputError(
                _("The score for %(key)s is not a number.") % {"key": bid.key}
            )
        if bid.score < 0:
            raise AllocationInputError(
                _("The score for %(key)s cannot be negative.") % {"key": bid.key}
            )
        amounts.append(amount)
    return amounts


def _groups(
    bids: Sequence[Bid], eligible: Sequence[int], limits: Limits, budget: int
) -> list[_Group]:
    groups = []
    for kind, attr, low_map, high_map, low_default, high_default in (
        (
            "area",
            "area",
            limits.area_share_min,
            limits.area_share_max,
            limits.default_area_share_min,
            limits.default_area_share_max,
        ),
        (
            "priority",
            "priority",
            limits.priority_share_min,
            limits.priority_share_max,
            limits.default_priority_share_min,
            limits.default_priority_share_max,
        ),
    ):
        names = {getattr(b, attr) for b in bids} | set(low_map) | set(high_map)
        members: dict[str, list[int]] = {name: [] for name in names}
        for position, index in enumerate(eligible):
            members[getattr(bids[index], attr)].append(position)
        for name in sorted(names):
            low_value = low_map.get(name, low_default)
            high_value = high_map.get(name, high_default)
            label = _("The minimum share for %(name)s") % {"name": name}
            low_share = None if low_value is None else _share(low_value, label)
            label = _("The maximum share for %(name)s") % {"name": name}
            high_share = None if high_value is None else _share(high_value, label)
            low = None
            if low_share is not None and low_share > 0:
                low = int((low_share * budget).to_integral_value(ROUND_CEILING)) or None
            high = None
            if high_share is not None and high_share < 1:
                high = int((high_share * budget).to_integral_value(ROUND_FLOOR))
            if low is None and high is None:
                continue
            groups.append(
                _Group(kind, name, tuple(members[name]), low, high, low_share, high_share)
            )
    return groups


# --- solving ---------------------------------------------------------------------------------


# Tuned on generated rounds of 200 and 2,000 bids (benchmarks/optimiser.py). The problems are
# easy for branch and bound (a few nodes after reduced-cost fixing), so the large-neighbourhood
# sub-MIP heuristics (RINS, RENS) cost more than they find, most of all the presolve of their
# sub-problems when partial funding adds continuous columns. One thread: a web server runs many
# requests side by side, and HiGHS' thread pool is per process, so every model here uses the
# same setting.
SOLVER_OPTIONS: dict[str, object] = {
    "threads": 1,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
}


def _score_step(scores: Iterable[float]) -> float | None:
    """The largest power of ten (down to 1e-6) of which every score is a whole multiple."""
    scores = list(scores)
    for places in range(7):
        step = 10.0**-places
        if all(abs(s / step - round(s / step)) < 1e-6 for s in scores):
            return step
    return None


@dataclass(frozen=True)
class _Result:
    status: str
    found: bool  # a feasible solution is known
    amounts: dict[int, int]  # eligible position -> pence, funded bids only
    seconds: float
    slack_low: dict[int, int] = field(default_factory=dict)  # group index -> pence
    slack_high: dict[int, int] = field(default_factory=dict)
    slack_budget: int = 0


def _solve(
    bids: Sequence[Bid],
    amounts: Sequence[int],
    eligible: Sequence[int],
    included: frozenset[int],
    budget: int,
    groups: Sequence[_Group],
    *,
    time_limit: float,
    elastic: bool = False,
    fixed: Mapping[int, int] | None = None,
    start: Mapping[int, int] | None = None,
) -> _Result:
    """Build and solve the model.

    With `elastic`, every limit gets a slack column and the objective is to minimise the total
    slack instead of maximising score. With `fixed` (position -> 0 or 1), the choice of bids is
    given and only the partial amounts are solved for, as a linear programme whose basic
    solutions are whole pence.

    The rows are written in pounds (pence / 100): in pence, the coefficients of the partial
    amounts in the objective are so small next to the amounts in the rows that the presolve's
    tolerances can cut off the optimum.
    """
    y_col = _partial_columns(bids, eligible)
    num_main = len(eligible) + len(y_col)
    if num_main == 0:  # nothing to choose from: feasible unless a minimum share is set
        if any(group.low for group in groups):
            return _Result(INFEASIBLE, False, {}, 0.0)
        return _Result(OPTIMAL, True, {}, 0.0)

    columns = _main_columns(bids, amounts, eligible, included, y_col, elastic=elastic, fixed=fixed)
    rows = _rows(bids, amounts, eligible, budget, groups, y_col, elastic=elastic)
    columns.add_slacks(len(rows.slacks))
    step = None if elastic or y_col else _score_step(bids[i].score for i in eligible)
    highs = _highs(
        columns,
        rows,
        integers=len(eligible) if fixed is None else 0,
        abs_gap=None if step is None else step * 0.99,
        time_limit=time_limit,
    )
    if start:
        _warm_start(highs, start, y_col, len(columns.cost))

    began = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - began
    status = _status(highs)
    if status == INFEASIBLE:
        return _Result(INFEASIBLE, False, {}, seconds)
    if highs.getInfo().primal_solution_status != 2:  # no feasible solution known
        return _Result(status, False, {}, seconds)

    col_value = highs.getSolution().col_value
    funded, whole_pence = _funded(col_value, amounts, eligible, y_col)
    if not whole_pence and fixed is None and not elastic:
        # A solution off a vertex: keep the choice of bids, solve again for the amounts.
        choice = dict.fromkeys(funded, 1)
        polished = _solve(
            bids, amounts, eligible, included, budget, groups, time_limit=time_limit, fixed=choice
        )
        return _Result(status, True, polished.amounts, seconds + polished.seconds)
    slacks = _slack_pence(col_value, num_main, rows.slacks)
    return _Result(
        status,
        True,
        funded,
        seconds,
        slack_low=slacks["low"],
        slack_high=slacks["high"],
        slack_budget=slacks["budget"].get(-1, 0),
    )


def _partial_columns(bids: Sequence[Bid], eligible: Sequence[int]) -> dict[int, int]:
    """The column of each partly fundable bid's award y, after the n columns x_0..x_{n-1}."""
    n = len(eligible)
    y_col: dict[int, int] = {}
    for position, index in enumerate(eligible):
        if bids[index].partial:
            y_col[position] = n + len(y_col)
    return y_col


@dataclass
class _Columns:
    """Each column's bounds and objective coefficient, in column order."""

    lower: np.ndarray
    upper: np.ndarray
    cost: np.ndarray

    def add_slacks(self, count: int) -> None:
        """Slack columns: at least 0, unbounded, each pound of slack costing 1."""
        if count:
            self.lower = np.concatenate([self.lower, np.zeros(count)])
            self.upper = np.concatenate([self.upper, np.full(count, highspy.kHighsInf)])
            self.cost = np.concatenate([self.cost, np.full(count, -1.0)])


def _main_columns(
    bids: Sequence[Bid],
    amounts: Sequence[int],
    eligible: Sequence[int],
    included: frozenset[int],
    y_col: Mapping[int, int],
    *,
    elastic: bool,
    fixed: Mapping[int, int] | None,
) -> _Columns:
    """x in {0, 1} (fixed to 1 when included, or as `fixed` says) and y in pounds up to the
    request. Scored unless elastic: x by the bid's score, y pro rata."""
    num_main = len(eligible) + len(y_col)
    lower = np.zeros(num_main)
    upper = np.ones(num_main)
    cost = np.zeros(num_main)
    for position, index in enumerate(eligible):
        if position in included:
            lower[position] = 1.0
        if fixed is not None:
            lower[position] = upper[position] = fixed.get(position, 0)
        if position in y_col:
            upper[y_col[position]] = amounts[index] / 100
            if not elastic:
                cost[y_col[position]] = bids[index].score / (amounts[index] / 100)
        elif not elastic:
            cost[position] = bids[index].score
    return _Columns(lower, upper, cost)


@dataclass
class _Rows:
    """The constraint rows in compressed row form, and the slack columns they use."""

    first_slack: int  # the column of the first slack
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    slacks: list[tuple[str, int]] = field(default_factory=list)  # (kind, group index)

    def add(self, terms: Iterable[tuple[int, float]], low: float, high: float) -> None:
        self.starts.append(len(self.indices))
        for column, value in terms:
            self.indices.append(column)
            self.values.append(value)
        self.lower.append(low)
        self.upper.append(high)

    def slack(self, kind: str, group: int) -> int:
        """A new slack column for a limit ("low", "high" or "budget"); its column."""
        self.slacks.append((kind, group))
        return self.first_slack + len(self.slacks) - 1


def _rows(
    bids: Sequence[Bid],
    amounts: Sequence[int],
    eligible: Sequence[int],
    budget: int,
    groups: Sequence[_Group],
    y_col: Mapping[int, int],
    *,
    elastic: bool,
) -> _Rows:
    """The linking rows of partly funded bids, the budget row and the rows of each area and
    priority limit, in pounds; when elastic, each limit with its slack column."""
    inf = highspy.kHighsInf
    rows = _Rows(first_slack=len(eligible) + len(y_col))

    def award_term(position: int) -> tuple[int, float]:
        """The award a_i in pounds as (column, coefficient)."""
        if position in y_col:
            return y_col[position], 1.0
        return position, amounts[eligible[position]] / 100

    # Linking rows for partial bids: min * x <= y <= amount * x.
    for position, column in y_col.items():
        index = eligible[position]
        least = _pence(bids[index].min_amount, "")
        rows.add([(column, 1.0), (position, -amounts[index] / 100)], -inf, 0.0)
        rows.add([(column, 1.0), (position, -least / 100)], 0.0, inf)

    budget_terms = [award_term(p) for p in range(len(eligible))]
    if elastic:
        budget_terms.append((rows.slack("budget", -1), -1.0))
    rows.add(budget_terms, -inf, budget / 100)

    for g, group in enumerate(groups):
        terms = [award_term(p) for p in group.members]
        if group.low is not None:
            low_terms = terms + ([(rows.slack("low", g), 1.0)] if elastic else [])
            rows.add(low_terms, group.low / 100, inf)
        if group.high is not None:
            high_terms = terms + ([(rows.slack("high", g), -1.0)] if elastic else [])
            rows.add(high_terms, -inf, group.high / 100)
    return rows


def _highs(
    columns: _Columns, rows: _Rows, *, integers: int, abs_gap: float | None, time_limit: float
) -> highspy.Highs:
    """A HiGHS model to maximise, set up with `SOLVER_OPTIONS`: the first `integers` columns
    are integer (none when 0), the rest continuous."""
    num_cols = len(columns.cost)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", 0.0)
    if abs_gap is not None:
        highs.setOptionValue("mip_abs_gap", abs_gap)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("random_seed", 0)
    for name, value in SOLVER_OPTIONS.items():
        highs.setOptionValue(name, value)
    highs.addVars(num_cols, columns.lower, columns.upper)
    indices = np.arange(num_cols, dtype=np.int32)
    highs.changeColsCost(num_cols, indices, columns.cost)
    if integers:
        kinds = [highspy.HighsVarType.kInteger] * integers
        kinds += [highspy.HighsVarType.kContinuous] * (num_cols - integers)
        highs.changeColsIntegrality(num_cols, indices, np.array(kinds))
    highs.addRows(
        len(rows.starts),
        np.array(rows.lower),
        np.array(rows.upper),
        len(rows.indices),
        np.array(rows.starts, dtype=np.int32),
        np.array(rows.indices, dtype=np.int32),
        np.array(rows.values),
    )
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return highs


def _warm_start(
    highs: highspy.Highs, start: Mapping[int, int], y_col: Mapping[int, int], num_cols: int
) -> None:
    """Give HiGHS a known solution (position -> pence) to start from."""
    known = np.zeros(num_cols)
    for position, pence in start.items():
        known[position] = 1.0
        if position in y_col:
            known[y_col[position]] = pence / 100
    solution = highspy.HighsSolution()
    solution.col_value = list(known)
    solution.value_valid = True
    highs.setSolution(solution)


def _status(highs: highspy.Highs) -> str:
    """OPTIMAL, INFEASIBLE or TIME_LIMIT, from how the solver stopped."""
    model_status = highs.getModelStatus()
    if model_status == highspy.HighsModelStatus.kInfeasible:
        return INFEASIBLE
    if model_status == highspy.HighsModelStatus.kOptimal:
        return OPTIMAL
    if model_status == highspy.HighsModelStatus.kTimeLimit:
        return TIME_LIMIT
    raise RuntimeError(  # pragma: no cover - the model is bounded and small
        f"The solver stopped: {highs.modelStatusToString(model_status)}"
    )


def _funded(
    col_value: Sequence[float],
    amounts: Sequence[int],
    eligible: Sequence[int],
    y_col: Mapping[int, int],
) -> tuple[dict[int, int], bool]:
    """The funded bids (position -> pence) and whether every partial award is whole pence."""
    funded: dict[int, int] = {}
    whole_pence = True
    for position, index in enumerate(eligible):
        if round(col_value[position]) != 1:
            continue
        if position in y_col:
            pence = col_value[y_col[position]] * 100
            whole_pence = whole_pence and abs(pence - round(pence)) < 1e-3
            funded[position] = round(pence)
        else:
            funded[position] = amounts[index]
    return funded, whole_pence


def _slack_pence(
    col_value: Sequence[float], first_slack: int, slacks: Sequence[tuple[str, int]]
) -> dict[str, dict[int, int]]:
    """The pence by which each limit is missed, by kind ("low", "high", "budget") and group."""
    found: dict[str, dict[int, int]] = {"low": {}, "high": {}, "budget": {}}
    for offset, (kind, g) in enumerate(slacks):
        value = math.ceil(col_value[first_slack + offset] * 100 - 1e-3)
        if value > 0:
            found[kind][g] = value
    return found


def _verify(
    funded: Mapping[int, int],
    bids: Sequence[Bid],
    amounts: Sequence[int],
    eligible: Sequence[int],
    included: frozenset[int],
    budget: int,
    groups: Sequence[_Group],
) -> None:
    """Check the rounded solution against every limit in exact arithmetic."""
    broken = []
    if sum(funded.values()) > budget:
        broken.append("budget")
    for position, pence in funded.items():
        index = eligible[position]
        least = amounts[index]
        if bids[index].min_amount is not None:
            least = _pence(bids[index].min_amount, "")
        if not least <= pence <= amounts[index]:
            broken.append(bids[index].key)
    broken.extend(bids[eligible[p]].key for p in included - set(funded))
    for group in groups:
        total = sum(funded.get(p, 0) for p in group.members)
        if (group.low is not None and total < group.low) or (
            group.high is not None and total > group.high
        ):
            broken.append(f"{group.kind} {group.name}")
    if broken:  # pragma: no cover - a solver fault, never expected
        raise RuntimeError(f"The solver's allocation breaks limits: {', '.join(broken)}")


def _portfolio(bids: Sequence[Bid], awards: Mapping[int, int]) -> Portfolio:
    """`awards` maps bid index -> pence."""
    rows = []
    by_area: dict[str, Decimal] = {}
    by_priority: dict[str, Decimal] = {}
    total_score = 0.0
    for index, pence in awards.items():
        bid = bids[index]
        amount = _money(pence)
        requested = Decimal(bid.amount).quantize(PENNY)
        score = bid.score if amount == requested else bid.score * float(amount / requested)
        rows.append(Award(bid.key, amount, requested, score))
        total_score += score
        by_area[bid.area] = by_area.get(bid.area, Decimal("0.00")) + amount
        by_priority[bid.priority] = by_priority.get(bid.priority, Decimal("0.00")) + amount
    rows.sort(key=lambda a: (-a.score, a.key))
    return Portfolio(
        awards=tuple(rows),
        total_score=total_score,
        total_amount=sum((a.amount for a in rows), Decimal("0.00")),
        by_area=dict(sorted(by_area.items())),
        by_priority=dict(sorted(by_priority.items())),
    )


def plain_ranking(bids: Sequence[Bid], limits: Limits) -> Portfolio:
    """Fund bids in full in order of score (ties by key) while the budget lasts."""
    amounts = _check_bids(bids)
    budget = _pence(limits.budget, _("The budget"))
    left = budget
    chosen: dict[int, int] = {}
    order = sorted(range(len(bids)), key=lambda i: (-bids[i].score, bids[i].key))
    for index in order:
        if bids[index].key in limits.exclude:
            continue
        if amounts[index] <= left:
            chosen[index] = amounts[index]
            left -= amounts[index]
    return _portfolio(bids, chosen)


# --- explaining infeasibility ----------------------------------------------------------------


def _label(group: _Group) -> str:
    if group.kind == "area":
        return _("Area %(name)s") % {"name": group.name}
    return _("Priority %(name)s") % {"name": group.name}


def _simple_problems(
    bids: Sequence[Bid],
    amounts: Sequence[int],
    eligible: Sequence[int],
    included: frozenset[int],
    budget: int,
    groups: Sequence[_Group],
) -> list[LimitProblem]:
    def least(position: int) -> int:
        index = eligible[position]
        if bids[index].partial:
            return _pence(bids[index].min_amount, "")
        return amounts[index]

    problems = []
    money = _money
    forced = sum(least(p) for p in included)
    if forced > budget:
        problems.append(
            LimitProblem(
                "budget",
                "",
                money(budget),
                money(forced),
                money(forced - budget),
                _(
                    "The bids that must be included need at least %(forced)s but the budget is "
                    "%(budget)s, %(gap)s short."
                )
                % {
                    "forced": format_pounds(money(forced)),
                    "budget": format_pounds(money(budget)),
                    "gap": format_pounds(money(forced - budget)),
                },
            )
        )
    for kind in ("area", "priority"):
        mins = [g for g in groups if g.kind == kind and g.low is not None]
        total_min = sum(g.low for g in mins)
        if total_min > budget:
            text = (
                _(
                    "The minimum shares by area add up to %(total)s, more than the budget of "
                    "%(budget)s."
                )
                if kind == "area"
                else _(
                    "The minimum shares by priority add up to %(total)s, more than the budget of "
                    "%(budget)s."
                )
            )
            problems.append(
                LimitProblem(
                    "budget",
                    "",
                    money(total_min),
                    money(budget),
                    money(total_min - budget),
                    text
                    % {
                        "total": format_pounds(money(total_min)),
                        "budget": format_pounds(money(budget)),
                    },
                )
            )
    for group in groups:
        label = _label(group)
        if group.low is not None and group.high is not None and group.low > group.high:
            problems.append(
                LimitProblem(
                    f"{group.kind}_min",
                    group.name,
                    money(group.low),
                    money(group.high),
                    money(group.low - group.high),
                    _("%(label)s has a minimum share of %(low)s, above its maximum of %(high)s.")
                    % {
                        "label": label,
                        "low": _percent(group.low_share),
                        "high": _percent(group.high_share),
                    },
                )
            )
            continue
        if group.low is not None:
            available = sum(amounts[eligible[p]] for p in group.members)
            if available < group.low:
                problems.append(
                    LimitProblem(
                        f"{group.kind}_min",
                        group.name,
                        money(group.low),
                        money(available),
                        money(group.low - available),
                        _(
                            "%(label)s needs at least %(low)s (%(share)s of the budget) but its "
                            "bids total %(available)s, %(gap)s short."
                        )
                        % {
                            "label": label,
                            "low": format_pounds(money(group.low)),
                            "share": _percent(group.low_share),
                            "available": format_pounds(money(available)),
                            "gap": format_pounds(money(group.low - available)),
                        },
                    )
                )
        if group.high is not None:
            forced_here = sum(least(p) for p in group.members if p in included)
            if forced_here > group.high:
                problems.append(
                    LimitProblem(
                        f"{group.kind}_max",
                        group.name,
                        money(group.high),
                        money(forced_here),
                        money(forced_here - group.high),
                        _(
                            "%(label)s may have at most %(high)s (%(share)s of the budget) but the "
                            "bids that must be included there need %(forced)s, %(gap)s over."
                        )
                        % {
                            "label": label,
                            "high": format_pounds(money(group.high)),
                            "share": _percent(group.high_share),
                            "forced": format_pounds(money(forced_here)),
                            "gap": format_pounds(money(forced_here - group.high)),
                        },
                    )
                )
    return problems


def _elastic_problems(result: _Result, budget: int, groups: Sequence[_Group]) -> list[LimitProblem]:
    money = _money
    problems = []
    if result.slack_budget:
        problems.append(
            LimitProblem(
                "budget",
                "",
                money(budget),
                money(budget + result.slack_budget),
                money(result.slack_budget),
                _("Meeting the other limits would need %(gap)s more than the budget of %(budget)s.")
                % {
                    "gap": format_pounds(money(result.slack_budget)),
                    "budget": format_pounds(money(budget)),
                },
            )
        )
    for g, group in enumerate(groups):
        label = _label(group)
        if g in result.slack_low:
            gap = result.slack_low[g]
            problems.append(
                LimitProblem(
                    f"{group.kind}_min",
                    group.name,
                    money(group.low),
                    money(group.low - gap),
                    money(gap),
                    _(
                        "%(label)s cannot reach its minimum of %(low)s (%(share)s of the budget) "
                        "together with the other limits: the nearest allocation falls %(gap)s "
                        "short."
                    )
                    % {
                        "label": label,
                        "low": format_pounds(money(group.low)),
                        "share": _percent(group.low_share),
                        "gap": format_pounds(money(gap)),
                    },
                )
            )
        if g in result.slack_high:
            gap = result.slack_high[g]
            problems.append(
                LimitProblem(
                    f"{group.kind}_max",
                    group.name,
                    money(group.high),
                    money(group.high + gap),
                    money(gap),
                    _(
                        "%(label)s would go %(gap)s over its maximum of %(high)s (%(share)s of the "
                        "budget) to meet the other limits."
                    )
                    % {
                        "label": label,
                        "high": format_pounds(money(group.high)),
                        "share": _percent(group.high_share),
                        "gap": format_pounds(money(gap)),
                    },
                )
            )
    return problems


# --- the entry point -------------------------------------------------------------------------


def allocate(
    bids: Sequence[Bid], limits: Limits, *, time_limit: float = DEFAULT_TIME_LIMIT
) -> Allocation:
    """Choose the awards with the highest total score within the budget and the limits.

    Raises AllocationInputError for malformed input (a key given twice, an amount with more
    than two decimal places, a share outside 0 to 1, an unknown key to include or exclude, a
    bid both included and excluded).
    """
    bids = list(bids)
    amounts = _check_bids(bids)
    budget = _pence(limits.budget, _("The budget"))
    if budget < 0:
        raise AllocationInputError(_("The budget cannot be negative."))
    keys = {bid.key: i for i, bid in enumerate(bids)}
    for key in sorted((limits.include | limits.exclude) - set(keys)):
        raise AllocationInputError(_("There is no bid %(key)s.") % {"key": key})
    for key in sorted(limits.include & limits.exclude):
        raise AllocationInputError(
            _("Bid %(key)s cannot be both included and excluded.") % {"key": key}
        )

    eligible = [i for i, bid in enumerate(bids) if bid.key not in limits.exclude]
    position_of = {index: p for p, index in enumerate(eligible)}
    included = frozenset(position_of[keys[key]] for key in limits.include)
    groups = _groups(bids, eligible, limits, budget)
    ranking = plain_ranking(bids, limits)

    def portfolio(result: _Result) -> Portfolio:
        return _portfolio(bids, {eligible[p]: pence for p, pence in result.amounts.items()})

    main = _solve(bids, amounts, eligible, included, budget, groups, time_limit=time_limit)
    if groups:
        free = _solve(
            bids,
            amounts,
            eligible,
            included,
            budget,
            [],
            time_limit=time_limit,
            start=main.amounts if main.found else None,
        )
    else:
        free = main
    unconstrained = None
    if free.found:
        _verify(free.amounts, bids, amounts, eligible, included, budget, [])
        unconstrained = portfolio(free)

    if not main.found:
        problems = _simple_problems(bids, amounts, eligible, included, budget, groups)
        if not problems and main.status == INFEASIBLE:
            relaxed = _solve(
                bids,
                amounts,
                eligible,
                included,
                budget,
                groups,
                time_limit=time_limit,
                elastic=True,
            )
            problems = _elastic_problems(relaxed, budget, groups)
        if not problems:
            problems = [
                LimitProblem(
                    "budget",
                    "",
                    _money(budget),
                    _money(budget),
                    Decimal("0.00"),
                    _("The limits cannot all be met together.")
                    if main.status == INFEASIBLE
                    else _("No allocation was found in the time allowed."),
                )
            ]
        return Allocation(
            status=main.status,
            proposal=None,
            unconstrained=unconstrained,
            ranking=ranking,
            problems=tuple(problems),
            solve_seconds=main.seconds,
        )

    _verify(main.amounts, bids, amounts, eligible, included, budget, groups)
    return Allocation(
        status=main.status,
        proposal=portfolio(main),
        unconstrained=unconstrained,
        ranking=ranking,
        solve_seconds=main.seconds,
    )
