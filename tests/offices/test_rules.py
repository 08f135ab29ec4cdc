"""Office rules from the pack (ST7): procurement route, sign-off tiers, monitoring."""

from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from commissioning.offices.rules import (
    monitoring_requirement,
    procurement_route,
    required_signatories,
)
from tests.conftest import MINIMAL_PACK, PACKS

POLICY = yaml.safe_load(MINIMAL_PACK.read_text())["policy"]
SEED_POLICIES = {p.stem: yaml.safe_load(p.read_text())["policy"] for p in PACKS}
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2)


@pytest.mark.parametrize(
    "value,route",
    [
        ("0", "one_quote"),
        ("4999.99", "one_quote"),
        ("5000", "three_quotes"),
        ("49999.99", "three_quotes"),
        ("50000", "competitive_tender"),
        ("1000000", "competitive_tender"),
    ],
)
def test_cambridgeshire_procurement_bands(value, route):  # AS7, CAM 5.2 DO
    result = procurement_route(Decimal(value), SEED_POLICIES["cambridgeshire"]["procurement"])
    assert result.route == route
    if route == "competitive_tender":
        assert result.advertise
    assert result.single_tender_requires_justification


@pytest.mark.parametrize(
    "amount,expected",
    [
        ("2000.01", {"commissioner", "monitoring_officer", "chief_finance_officer"}),
        ("20000", {"commissioner", "monitoring_officer", "chief_finance_officer"}),
    ],
)
def test_essex_decisions_over_2000_need_three_signatures(amount, expected):  # DE1, ESX 1.10
    assert (
        set(required_signatories(Decimal(amount), SEED_POLICIES["essex"]["sign_off"])) == expected
    )


def test_essex_2000_exactly_is_not_over_2000():
    roles = required_signatories(Decimal("2000"), SEED_POLICIES["essex"]["sign_off"])
    assert "chief_finance_officer" not in roles or len(roles) < 3


@pytest.mark.parametrize("office", sorted(SEED_POLICIES))
@given(amount=money)
def test_every_amount_has_exactly_one_tier_in_every_pack(office, amount):
    tiers = SEED_POLICIES[office]["sign_off"]["tiers"]
    matching = [
        t
        for t in tiers
        if Decimal(str(t["over"])) < amount
        and ("up_to" not in t or amount <= Decimal(str(t["up_to"])))
    ]
    assert len(matching) == 1
    assert required_signatories(amount, SEED_POLICIES[office]["sign_off"]) == tuple(
        matching[0]["signatories"]
    )


@pytest.mark.parametrize("office", sorted(SEED_POLICIES))
@given(value=st.decimals(min_value=0, max_value=Decimal("10000000"), places=2))
def test_every_value_has_a_procurement_route_in_every_pack(office, value):
    assert procurement_route(value, SEED_POLICIES[office]["procurement"]).route


def test_non_positive_amounts_are_refused():
    with pytest.raises(ValueError, match="more than £0"):
        required_signatories(Decimal("0"), POLICY["sign_off"])
    with pytest.raises(ValueError, match="negative"):
        procurement_route(Decimal("-1"), POLICY["procurement"])


@pytest.mark.parametrize(
    "value,victims,returns,meetings",
    [
        ("10000", False, 6, None),
        ("10000.01", False, 6, 6),
        ("10000.01", True, 6, 3),
        ("500", True, 6, None),
    ],
)
def test_cambridgeshire_monitoring(value, victims, returns, meetings):  # MO1, CAM REVIEW
    requirement = monitoring_requirement(
        value=Decimal(value),
        award_form="grant",
        victims_services=victims,
        fund_code="X",
        monitoring=SEED_POLICIES["cambridgeshire"]["monitoring"],
    )
    assert requirement.returns_every_months == returns
    assert requirement.meetings_every_months == meetings
