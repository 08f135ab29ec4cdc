"""AS5 portfolio optimiser (commissioning.assessment.allocation.optimiser) on its own: the
optimum against brute force, fairness limits, forced inclusions and exclusions, explanations,
exact money."""

import itertools
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.assessment.allocation.optimiser import (
    INFEASIBLE,
    OPTIMAL,
    AllocationInputError,
    Bid,
    Limits,
    allocate,
    plain_ranking,
)

AREAS = ("North", "South", "East")
PRIORITIES = ("Violence", "Victims")
TOLERANCE = 1e-6


def bid(key, amount, score, area="North", priority="Violence", least=None):
    return Bid(
        key=key,
        amount=Decimal(amount),
        score=score,
        area=area,
        priority=priority,
        min_amount=None if least is None else Decimal(least),
    )


# --- brute force ------------------------------------------------------------------------------


def _bounds(limits, bids):
    """(kind, name) -> (low pence or None, high pence or None), written independently."""
    budget = int(limits.budget * 100)
    out = {}
    for kind, low_map, high_map, low_default, high_default in (
        (
            "area",
            limits.area_share_min,
            limits.area_share_max,
            limits.default_area_share_min,
            limits.default_area_share_max,
        ),
        (
            "priority",
            limits.priority_share_min,
            limits.priority_share_max,
            limits.default_priority_share_min,
            limits.default_priority_share_max,
        ),
    ):
        names = {getattr(b, kind) for b in bids} | set(low_map) | set(high_map)
        for name in names:
            low = low_map.get(name, low_default)
            high = high_map.get(name, high_default)
            low = (
                None
                if low is None
                else int((Decimal(str(low)) * budget).to_integral_value(ROUND_CEILING))
            )
            high = (
                None
                if high is None
                else int((Decimal(str(high)) * budget).to_integral_value(ROUND_FLOOR))
            )
            out[(kind, name)] = (low, high)
    return out


def _meets(bids, awards, limits):
    """awards: key -> pence. True when every limit is met."""
    if sum(awards.values()) > int(limits.budget * 100):
        return False
    by_key = {b.key: b for b in bids}
    if not limits.include <= set(awards) or limits.exclude & set(awards):
        return False
    for key, pence in awards.items():
        b = by_key[key]
        least = int((b.min_amount if b.min_amount is not None else b.amount) * 100)
        if not least <= pence <= int(b.amount * 100):
            return False
    for (kind, name), (low, high) in _bounds(limits, bids).items():
        total = sum(p for k, p in awards.items() if getattr(by_key[k], kind) == name)
        if (low is not None and total < low) or (high is not None and total > high):
            return False
    return True


def _score(bids, awards):
    by_key = {b.key: b for b in bids}
    return sum(by_key[k].score * p / int(by_key[k].amount * 100) for k, p in awards.items())


def brute_force_all_or_nothing(bids, limits):
    best = None
    for size in range(len(bids) + 1):
        for subset in itertools.combinations(bids, size):
            awards = {b.key: int(b.amount * 100) for b in subset}
            if _meets(bids, awards, limits):
                score = _score(bids, awards)
                best = score if best is None else max(best, score)
    return best


def brute_force_partial(bids, limits):
    """Without area or priority limits: for each set of funded bids, give each its least and
    share out the rest of the budget by score per pound (exact for linear pro-rata scores)."""
    budget = int(limits.budget * 100)
    best = None
    for size in range(len(bids) + 1):
        for subset in itertools.combinations(bids, size):
            keys = {b.key for b in subset}
            if not limits.include <= keys or limits.exclude & keys:
                continue
            awards = {
                b.key: int((b.min_amount if b.min_amount is not None else b.amount) * 100)
                for b in subset
            }
            left = budget - sum(awards.values())
            if left < 0:
                continue
            for b in sorted(subset, key=lambda b: -b.score / float(b.amount)):
                extra = min(left, int(b.amount * 100) - awards[b.key])
                awards[b.key] += extra
                left -= extra
            score = _score(bids, awards)
            best = score if best is None else max(best, score)
    return best


# --- strategies -------------------------------------------------------------------------------

scores = st.integers(min_value=0, max_value=1000).map(lambda tenths: tenths / 10)
amounts = st.integers(min_value=1, max_value=5000).map(lambda pence: Decimal(pence) / 100)


@st.composite
def bid_lists(draw, *, partial, max_size=8):
    size = draw(st.integers(min_value=1, max_value=max_size))
    out = []
    for i in range(size):
        amount = draw(amounts)
        least = None
        if partial and draw(st.booleans()):
            least = Decimal(draw(st.integers(min_value=1, max_value=int(amount * 100)))) / 100
        out.append(
            Bid(
                key=f"B{i}",
                amount=amount,
                score=draw(scores),
                area=draw(st.sampled_from(AREAS)),
                priority=draw(st.sampled_from(PRIORITIES)),
                min_amount=least,
            )
        )
    return out


shares = st.one_of(st.none(), st.integers(min_value=0, max_value=100).map(lambda p: p / 100))


@st.composite
def limit_sets(draw, bids, *, with_shares=True):
    total = sum(b.amount for b in bids)
    budget = Decimal(draw(st.integers(min_value=0, max_value=int(total * 100)))) / 100
    keys = [b.key for b in bids]
    include = frozenset(draw(st.lists(st.sampled_from(keys), max_size=2)))
    exclude = frozenset(draw(st.lists(st.sampled_from(keys), max_size=2))) - include
    if not with_shares:
        return Limits(budget=budget, include=include, exclude=exclude)
    return Limits(
        budget=budget,
        area_share_min={a: s for a in AREAS if (s := draw(shares)) is not None},
        default_area_share_max=draw(shares),
        default_priority_share_min=draw(shares),
        priority_share_max={p: s for p in PRIORITIES if (s := draw(shares)) is not None},
        include=include,
        exclude=exclude,
    )


def _check_against(result, best, bids, limits):
    if best is None:
        assert result.status == INFEASIBLE
        assert result.proposal is None
        assert result.problems, "an infeasible allocation is explained"
        return
    assert result.status == OPTIMAL
    proposal = result.proposal
    assert proposal.total_score == pytest.approx(best, abs=TOLERANCE * max(1.0, best))
    awards = {a.key: int(a.amount * 100) for a in proposal.awards}
    assert _meets(bids, awards, limits)
    assert proposal.total_amount == sum((a.amount for a in proposal.awards), Decimal("0"))
    assert proposal.total_amount <= limits.budget


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=st.data())
def test_all_or_nothing_optimum_equals_brute_force(data):
    """AS5: with area and priority limits, forced inclusions and exclusions."""
    bids = data.draw(bid_lists(partial=False))
    limits = data.draw(limit_sets(bids))
    result = allocate(bids, limits)
    _check_against(result, brute_force_all_or_nothing(bids, limits), bids, limits)


@PROPERTY
@given(data=st.data())
def test_partial_funding_optimum_equals_brute_force(data):
    """AS5: partial funding scores pro rata; amounts stay whole pence within the bounds."""
    bids = data.draw(bid_lists(partial=True))
    limits = data.draw(limit_sets(bids, with_shares=False))
    result = allocate(bids, limits)
    _check_against(result, brute_force_partial(bids, limits), bids, limits)
    if result.proposal:
        for award in result.proposal.awards:
            assert award.amount == award.amount.quantize(Decimal("0.01"))


@PROPERTY
@given(data=st.data())
def test_partial_funding_with_limits_honours_every_limit(data):
    """AS5: the limits hold with partial funding, and it never scores below all-or-nothing."""
    bids = data.draw(bid_lists(partial=True, max_size=7))
    limits = data.draw(limit_sets(bids))
    result = allocate(bids, limits)
    whole = [Bid(b.key, b.amount, b.score, b.area, b.priority) for b in bids]
    best_whole = brute_force_all_or_nothing(whole, limits)
    if result.proposal is None:
        assert best_whole is None
        assert result.problems
        return
    awards = {a.key: int(a.amount * 100) for a in result.proposal.awards}
    assert _meets(bids, awards, limits)
    if best_whole is not None:
        assert result.proposal.total_score >= best_whole - TOLERANCE * max(1.0, best_whole)


@PROPERTY
@given(data=st.data())
def test_unconstrained_optimum_and_cost_of_limits(data):
    bids = data.draw(bid_lists(partial=False))
    limits = data.draw(limit_sets(bids))
    result = allocate(bids, limits)
    free = brute_force_all_or_nothing(bids, limits.without_shares())
    if free is None:
        assert result.unconstrained is None
        return
    assert result.unconstrained.total_score == pytest.approx(free, abs=1e-6 * max(1.0, free))
    if result.proposal is not None:
        assert result.cost_of_limits >= 0
        assert result.cost_of_limits == pytest.approx(
            free - result.proposal.total_score, abs=1e-6 * max(1.0, free)
        )


# --- examples ---------------------------------------------------------------------------------


def test_chooses_the_best_set_not_the_top_of_the_ranking():
    bids = [
        bid("A", "6000", 90),
        bid("B", "5000", 60),
        bid("C", "5000", 60),
    ]
    result = allocate(bids, Limits(budget=Decimal("10000")))
    assert result.proposal.keys == {"B", "C"}
    assert result.proposal.total_score == 120
    assert result.ranking.keys == {"A"}
    assert result.added == ("B", "C")
    assert result.dropped == ("A",)
    assert result.gain_over_ranking == 30
    assert result.cost_of_limits == 0


def test_area_minimum_share_is_honoured_and_costed():
    bids = [
        bid("A", "5000", 90, area="North"),
        bid("B", "5000", 80, area="North"),
        bid("C", "5000", 10, area="South"),
    ]
    limits = Limits(budget=Decimal("10000"), area_share_min={"South": 0.3})
    result = allocate(bids, limits)
    assert result.proposal.keys == {"A", "C"}
    assert result.proposal.by_area == {"North": Decimal("5000.00"), "South": Decimal("5000.00")}
    assert result.unconstrained.keys == {"A", "B"}
    assert result.cost_of_limits == 70


def test_maximum_share_by_priority_is_honoured():
    bids = [
        bid("A", "4000", 90, priority="Violence"),
        bid("B", "4000", 80, priority="Violence"),
        bid("C", "4000", 20, priority="Victims"),
    ]
    limits = Limits(budget=Decimal("10000"), default_priority_share_max=0.5)
    result = allocate(bids, limits)
    assert result.proposal.by_priority["Violence"] <= Decimal("5000")
    assert result.proposal.keys == {"A", "C"}


def test_forced_inclusion_and_exclusion():
    bids = [bid("A", "5000", 90), bid("B", "5000", 80), bid("C", "5000", 10)]
    limits = Limits(budget=Decimal("10000"), include=frozenset({"C"}), exclude=frozenset({"A"}))
    result = allocate(bids, limits)
    assert result.proposal.keys == {"B", "C"}
    assert "A" not in result.ranking.keys


def test_partial_funding_pays_pro_rata_to_the_penny():
    bids = [bid("A", "6000", 60, least="1000"), bid("B", "4000", 80)]
    result = allocate(bids, Limits(budget=Decimal("7000.01")))
    award = {a.key: a for a in result.proposal.awards}
    assert award["B"].amount == Decimal("4000.00")
    assert award["A"].amount == Decimal("3000.01")
    assert award["A"].partial
    assert award["A"].score == pytest.approx(60 * 3000.01 / 6000)
    assert result.proposal.total_amount == Decimal("7000.01")


def test_partial_funding_not_below_its_least_amount():
    bids = [bid("A", "6000", 60, least="5000"), bid("B", "4000", 80)]
    result = allocate(bids, Limits(budget=Decimal("8000")))
    # 4,000 left after B is under A's least of 5,000: A alone (5,000 to 6,000) scores less.
    assert result.proposal.keys == {"B"}


def test_money_is_exact_in_totals():
    bids = [bid(f"K{i}", "0.10", 1, area=AREAS[i % 3]) for i in range(30)]
    result = allocate(bids, Limits(budget=Decimal("3.00")))
    assert result.proposal.total_amount == Decimal("3.00")
    assert sum(result.proposal.by_area.values()) == Decimal("3.00")
    assert all(isinstance(v, Decimal) for v in result.proposal.by_area.values())


def test_nothing_to_fund():
    result = allocate([], Limits(budget=Decimal("1000")))
    assert result.status == OPTIMAL
    assert result.proposal.awards == ()
    assert result.proposal.total_amount == Decimal("0")


# --- infeasibility explained ------------------------------------------------------------------


def test_area_minimum_above_its_bids_is_explained():
    bids = [bid("A", "12000", 50, area="Harlow"), bid("B", "90000", 50, area="Colchester")]
    limits = Limits(budget=Decimal("100000"), area_share_min={"Harlow": 0.2})
    result = allocate(bids, limits)
    assert result.status == INFEASIBLE
    assert result.proposal is None
    [problem] = result.problems
    assert problem.kind == "area_min"
    assert problem.name == "Harlow"
    assert problem.required == Decimal("20000.00")
    assert problem.reachable == Decimal("12000.00")
    assert problem.short_by == Decimal("8000.00")
    assert "Harlow" in problem.message
    assert "£20,000" in problem.message and "20%" in problem.message
    assert "£12,000" in problem.message


def test_forced_inclusions_over_budget_are_explained():
    bids = [bid("A", "6000", 50), bid("B", "6000", 50)]
    limits = Limits(budget=Decimal("10000"), include=frozenset({"A", "B"}))
    result = allocate(bids, limits)
    assert result.status == INFEASIBLE
    assert result.problems[0].kind == "budget"
    assert result.problems[0].short_by == Decimal("2000.00")


def test_minimums_adding_up_to_more_than_the_budget_are_explained():
    bids = [bid("A", "9000", 50, area="North"), bid("B", "9000", 50, area="South")]
    limits = Limits(budget=Decimal("10000"), default_area_share_min=0.6)
    result = allocate(bids, limits)
    assert result.status == INFEASIBLE
    assert any("add up to £12,000" in p.message for p in result.problems)


def test_lumpy_bids_are_explained_by_relaxing_the_limits():
    """Neither simple check fires: the only bid big enough for the minimum breaks the maximum."""
    bids = [
        bid("A", "1500", 50, area="North"),
        bid("B", "3000", 50, area="North"),
        bid("C", "8000", 50, area="South"),
    ]
    limits = Limits(
        budget=Decimal("10000"), area_share_min={"North": 0.2}, area_share_max={"North": 0.25}
    )
    result = allocate(bids, limits)
    assert result.status == INFEASIBLE
    assert result.problems
    gaps = {(p.kind, p.name): p.short_by for p in result.problems}
    assert gaps == {("area_min", "North"): Decimal("500.00")} or gaps == {
        ("area_max", "North"): Decimal("500.00")
    }


def test_minimum_above_maximum_is_explained():
    bids = [bid("A", "5000", 50)]
    limits = Limits(
        budget=Decimal("10000"), area_share_min={"North": 0.4}, area_share_max={"North": 0.3}
    )
    result = allocate(bids, limits)
    assert result.status == INFEASIBLE
    assert "above its maximum" in result.problems[0].message


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bids", "limits"),
    [
        ([bid("A", "10.001", 1)], Limits(budget=Decimal("100"))),
        ([bid("A", "0", 1)], Limits(budget=Decimal("100"))),
        ([bid("A", "10", 1), bid("A", "20", 1)], Limits(budget=Decimal("100"))),
        ([bid("A", "10", 1, least="20")], Limits(budget=Decimal("100"))),
        ([bid("A", "10", float("nan"))], Limits(budget=Decimal("100"))),
        ([bid("A", "10", -1)], Limits(budget=Decimal("100"))),
        ([bid("A", "10", 1)], Limits(budget=Decimal("-1"))),
        ([bid("A", "10", 1)], Limits(budget=Decimal("100"), include=frozenset({"Z"}))),
        (
            [bid("A", "10", 1)],
            Limits(budget=Decimal("100"), include=frozenset({"A"}), exclude=frozenset({"A"})),
        ),
        ([bid("A", "10", 1)], Limits(budget=Decimal("100"), default_area_share_max=1.5)),
        ([bid("A", "10", 1)], Limits(budget=Decimal("100"), area_share_min={"North": -0.1})),
    ],
)
def test_bad_input_is_refused_in_plain_english(bids, limits):
    with pytest.raises(AllocationInputError) as error:
        allocate(bids, limits)
    assert str(error.value)


def test_plain_ranking_skips_what_no_longer_fits():
    bids = [bid("A", "6000", 90), bid("B", "5000", 80), bid("C", "4000", 70)]
    ranking = plain_ranking(bids, Limits(budget=Decimal("10000")))
    assert [a.key for a in ranking.awards] == ["A", "C"]
