"""Routes by value at the pack's edges, the evaluation arithmetic and the longest contract."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.procurement import rules
from tests.procurement.conftest import loaded


@pytest.mark.parametrize(
    ("value", "route", "quotes"),
    [
        ("0.01", "one_quote", 1),
        ("4999.99", "one_quote", 1),
        ("5000.00", "three_quotes", 3),
        ("49999.99", "three_quotes", 3),
        ("50000.00", "competitive_tender", None),
        ("2500000", "competitive_tender", None),
    ],
)
def test_cambridgeshire_route_at_each_edge(db, value, route, quotes):  # AS7, CAM 5.2 DO
    procurement = loaded("cambridgeshire").policy.procurement
    found = rules.route_for(Decimal(value), procurement)
    assert (found.route, found.quotes) == (route, quotes)
    assert found.advertise is (route == "competitive_tender")


@pytest.mark.parametrize("slug", ["cleveland", "cumbria", "essex", "lancashire"])
def test_other_offices_route_by_their_own_bands(db, slug):
    procurement = loaded(slug).policy.procurement
    first = procurement["bands"][0]["below"]
    below = Decimal(first) - Decimal("0.01")
    assert rules.route_for(below, procurement).route == "one_quote"
    assert rules.route_for(Decimal(first), procurement).route == "three_quotes"


def test_essex_contracts_run_five_years_at_most_extensions_included(db):  # ESX 3.9
    procurement = loaded("essex").policy.procurement
    start = dt.date(2026, 4, 1)
    assert rules.contract_length_problem(start, dt.date(2031, 3, 31), 0, procurement) is None
    assert rules.contract_length_problem(start, dt.date(2029, 3, 31), 24, procurement) is None
    refused = rules.contract_length_problem(start, dt.date(2029, 3, 31), 25, procurement)
    assert refused and "5 years" in refused
    assert rules.contract_length_problem(start, dt.date(2031, 4, 1), 0, procurement)


def test_social_value_and_local_suppliers_weigh_where_the_pack_says():  # CAM, LAN
    for slug, weighed in [("cambridgeshire", True), ("lancashire", True), ("essex", False)]:
        import yaml

        from tests.conftest import ROOT

        data = yaml.safe_load((ROOT / "packs" / f"{slug}.yaml").read_text())
        kinds = {c["kind"] for c in rules.tender_criteria(data["policy"]["procurement"])}
        assert ("social_value" in kinds and "local_suppliers" in kinds) is weighed


def test_evaluation_under_the_split():
    criteria = [
        {"code": "q", "title": "Quality", "weight": 80, "kind": "quality"},
        {"code": "sv", "title": "Social value", "weight": 20, "kind": "social_value"},
    ]
    results = rules.evaluate(
        [
            (1, Decimal("100000"), {"q": Decimal(5), "sv": Decimal(5)}),
            (2, Decimal("80000"), {"q": Decimal(3), "sv": Decimal(0)}),
        ],
        criteria,
        60,
        40,
    )
    # Bid 1: quality 60, cost 40 * 80/100 = 32 -> 92. Bid 2: quality 60 * 0.48 = 28.8, cost 40.
    assert [(r.bid_id, r.total) for r in results] == [(1, Decimal("92.00")), (2, Decimal("68.80"))]
