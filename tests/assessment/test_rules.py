"""AS3-AS4 and AS5's pack settings: rubrics per fund with descriptors, weighted totals, means
and spreads, quorum per office pack. Pure functions; the seed packs where the rule is theirs."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.assessment import rules
from commissioning.assessment.models import Standing
from commissioning.offices.packs import read_pack
from tests.conftest import ROOT


def pack_assessment(slug: str) -> dict:
    """The assessment section as the loader stores it."""
    from commissioning.offices.packs import _assessment_section

    data, _digest = read_pack(ROOT / "packs" / f"{slug}.yaml")
    return _assessment_section(data["policy"]["assessment"], data["funds"])


RUBRIC = [
    rules.Criterion("impact", "Impact", 60, "", ()),
    rules.Criterion("value", "Value", 40, "", ()),
]
scores_st = st.fixed_dictionaries({"impact": st.integers(0, 5), "value": st.integers(0, 5)})


@given(scores_st)
def test_weighted_total_runs_from_0_to_100_and_follows_the_weights(scores):
    """AS3: each score out of 5 times its weight; weights add to 100."""
    total = rules.weighted_total(scores, RUBRIC)
    expected = (Decimal(scores["impact"]) * 60 + Decimal(scores["value"]) * 40) / 5
    assert total == expected.quantize(Decimal("0.01"))
    assert Decimal(0) <= total <= Decimal(100)


@given(scores_st, scores_st)
def test_a_higher_score_never_lowers_the_total(a, b):
    better = {k: max(a[k], b[k]) for k in a}
    assert rules.weighted_total(better, RUBRIC) >= rules.weighted_total(a, RUBRIC)


@given(st.lists(scores_st, min_size=1, max_size=8), st.sampled_from([0, 1, 1.5, 2, 3]))
def test_spreads_are_flagged_exactly_when_wider_than_the_pack_allows(sheets, points):
    """AS4: a criterion is flagged when members' scores differ by more than the pack's points."""
    assessment = {"spread_flag_points": points}
    summary = rules.summarise(sheets, RUBRIC, assessment)
    for c in summary.criteria:
        values = [s[c.criterion.code] for s in sheets]
        assert c.spread == max(values) - min(values)
        assert c.wide == (c.spread > points)
        assert min(values) <= c.mean <= max(values)
    assert summary.flagged == any(c.wide for c in summary.criteria)
    totals = [rules.weighted_total(s, RUBRIC) for s in sheets]
    assert summary.total_spread == max(totals) - min(totals)
    assert min(totals) <= summary.mean_total <= max(totals)


def test_a_single_member_has_no_spread():
    summary = rules.summarise([{"impact": 0, "value": 5}], RUBRIC, {})
    assert all(c.spread == 0 and not c.wide for c in summary.criteria)


@pytest.mark.parametrize(
    ("slug", "standings", "quorate"),
    [
        # Essex and Cambridgeshire: three members, one of them independent.
        ("essex", [Standing.INDEPENDENT, Standing.PARTNER, Standing.OFFICE], True),
        ("essex", [Standing.PARTNER, Standing.OFFICE, Standing.VOLUNTARY_SECTOR], False),
        ("essex", [Standing.INDEPENDENT, Standing.PARTNER], False),
        ("cambridgeshire", [Standing.OFFICE, Standing.OFFICE, Standing.PARTNER], False),
        # Lancashire: two members, no independent needed.
        ("lancashire", [Standing.OFFICE, Standing.PARTNER], True),
        ("lancashire", [Standing.OFFICE], False),
        # Cumbria and Cleveland: three members, no independent needed.
        ("cumbria", [Standing.OFFICE, Standing.OFFICE, Standing.PARTNER], True),
        ("cleveland", [Standing.OFFICE, Standing.PARTNER], False),
    ],
)
def test_quorum_follows_each_office_pack(slug, standings, quorate):
    """AS4: quorum and the independent member come from the office's own pack."""
    problems = rules.quorum_problems(standings, pack_assessment(slug))
    assert (not problems) == quorate
    if not quorate:
        assert all(p.startswith("The meeting is not quorate") for p in problems)


def test_essex_scores_match_funding_with_its_own_descriptors():
    """AS3, ESX 4.5: match funding is a criterion, with descriptors for each score."""
    rubric = rules.rubric_for("CSDF", pack_assessment("essex"))
    match = next(c for c in rubric if c.code == "match-funding")
    assert match.weight > 0 and len(match.descriptors) == 6
    assert match.descriptors[0] == "No match funding"
    others = next(c for c in rubric if c.code == "need")
    assert len(others.descriptors) == 6  # the office's scale


def test_a_fund_can_carry_its_own_rubric():
    assessment = pack_assessment("cumbria")
    community = rules.rubric_for("CF", assessment)
    office = rules.rubric_for("VSG", assessment)
    assert {c.code for c in community} == {"need", "impact", "deliverability", "value"}
    assert sum(c.weight for c in community) == 100
    assert "outcomes" in {c.code for c in office}


@pytest.mark.parametrize(
    ("amount", "fraction", "ok"),
    [
        ("1000", None, True),
        ("900", None, False),
        ("500", "0.5", True),
        ("499.99", "0.5", False),
        ("1000.01", "0.5", False),
        ("0", "0.5", False),
    ],
)
def test_part_funding_within_the_fund_floor(amount, fraction, ok):
    problem = rules.part_funding_problem(
        Decimal(amount), Decimal("1000"), Decimal(fraction) if fraction else None
    )
    assert (problem is None) == ok


def test_packs_without_settings_take_the_documented_defaults():
    assert rules.panel_quorum({}) == 1
    assert rules.independent_member_required({}) is False
    assert rules.spread_flag_points({}) == 2
    assert rules.allocation_limits({}) == {}


def _broken(minimal_pack, change) -> str:
    import yaml

    from commissioning.offices.packs import PackError
    from tests.conftest import MINIMAL_PACK, write_pack

    data = yaml.safe_load(MINIMAL_PACK.read_text())
    change(data)
    with pytest.raises(PackError) as info:
        read_pack(write_pack(minimal_pack, data))
    return str(info.value)


def test_a_fund_rubric_must_weigh_100(minimal_pack):
    def change(data):
        data["funds"][0]["rubric"] = [{"code": "need", "title": "Need", "weight": 90}]

    assert "funds[0].rubric" in _broken(minimal_pack, change)
    assert "weights add up to 90, not 100" in _broken(minimal_pack, change)


def test_descriptors_are_six_and_shares_are_fractions(minimal_pack):
    def six(data):
        data["policy"]["assessment"]["descriptors"] = ["Poor", "Good"]

    def fraction(data):
        data["funds"][0]["partial_funding_min_fraction"] = 1.5

    def min_above_max(data):
        data["policy"]["assessment"]["allocation"] = {"area_share_min": 0.6, "area_share_max": 0.5}

    assert "descriptors" in _broken(minimal_pack, six)
    assert "partial_funding_min_fraction" in _broken(minimal_pack, fraction)
    assert "the smallest area share is above the largest" in _broken(minimal_pack, min_above_max)
