"""Numbering and sign-off tiers read from each office's pack (DE1)."""

import copy
import functools
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from commissioning.decisions.rules import (
    decision_number,
    decision_slug,
    is_publishable,
    signatories_for,
)

PACKS = Path(__file__).resolve().parents[2] / "packs"


@functools.cache
def _pack(slug: str) -> dict:
    return yaml.safe_load((PACKS / f"{slug}.yaml").read_text())


def sign_off(slug: str) -> dict:
    """The pack's sign-off rules, read once per test run (property tests call this per example)."""
    return copy.deepcopy(_pack(slug)["policy"]["sign_off"])


def test_standard_number_format():
    number = decision_number(sign_off={}, office_code="ESX", year=2026, number=14)
    assert number == "ESX/2026/014"
    assert decision_slug(number) == "esx-2026-014"


def test_pack_number_format():
    pattern = {"decision_number_format": "PCC-{office}-{number:04d}/{year}"}
    assert decision_number(sign_off=pattern, office_code="LAN", year=2027, number=3) == (
        "PCC-LAN-0003/2027"
    )


def test_broken_pack_format_falls_back_to_standard():
    pattern = {"decision_number_format": "{office}/{nonsense}"}
    assert decision_number(sign_off=pattern, office_code="CUM", year=2026, number=1) == (
        "CUM/2026/001"
    )


@pytest.mark.parametrize(
    ("slug", "amount", "expected"),
    [
        # ESX 1.10: over GBP 2,000 signed by the PFCC, the Monitoring Officer and the CFO.
        ("essex", "2000.00", ("commissioner",)),
        ("essex", "2000.01", ("commissioner", "monitoring_officer", "chief_finance_officer")),
        ("cumbria", "10000", ("commissioner",)),
        ("cumbria", "10000.01", ("commissioner", "chief_finance_officer", "monitoring_officer")),
        ("cambridgeshire", "500", ("commissioner",)),
        (
            "cambridgeshire",
            "50000",
            ("commissioner", "chief_finance_officer", "monitoring_officer"),
        ),
        ("cleveland", "9999.99", ("commissioner",)),
        ("cleveland", "25000", ("commissioner", "chief_finance_officer", "monitoring_officer")),
        ("lancashire", "10000", ("commissioner",)),
        ("lancashire", "12000", ("commissioner", "chief_finance_officer", "chief_executive")),
    ],
)
def test_signatories_follow_each_office_tiers(slug, amount, expected):
    """DE1: who signs follows the office's value tiers."""
    assert signatories_for(Decimal(amount), sign_off(slug)) == expected


def test_a_decision_that_only_declines_is_signed_by_the_lowest_tier():
    assert signatories_for(Decimal("0"), sign_off("essex")) == ("commissioner",)


@given(st.decimals(min_value="0.01", max_value="1000000", places=2))
def test_more_money_never_needs_fewer_signatures(amount):
    tiers = sign_off("essex")
    assert len(signatories_for(amount + 1, tiers)) >= len(signatories_for(amount, tiers))


def test_publication_threshold():
    essex = {"decisions_published_over": 2000}
    assert not is_publishable(Decimal("2000"), essex)
    assert is_publishable(Decimal("2000.01"), essex)
    assert is_publishable(Decimal("0"), {"decisions_published_over": 0})
    assert is_publishable(Decimal("10"), {})


ESSEX_TIERS = {
    "tiers": [
        {"over": 0, "up_to": 2000, "signatories": ["commissioner"]},
        {"over": 2000, "up_to": 25000, "signatories": ["commissioner", "chief_finance_officer"]},
        {
            "over": 25000,
            "signatories": ["commissioner", "monitoring_officer", "chief_finance_officer"],
        },
    ]
}


@pytest.mark.parametrize(
    ("total", "words"),
    [
        ("0", "up to £2,000: the Commissioner"),
        ("2000", "up to £2,000: the Commissioner"),
        (
            "2000.01",
            "over £2,000 and up to £25,000: the Commissioner and the Chief Finance Officer",
        ),
        (
            "30000",
            "over £25,000: the Commissioner, the Monitoring Officer and the Chief Finance Officer",
        ),
    ],
)
def test_the_signing_tier_in_words(total, words):
    """Issue 9, item 11."""
    from commissioning.decisions.rules import signing_tier, tier_in_words
    from commissioning.decisions.services import role_label

    assert tier_in_words(signing_tier(Decimal(total), ESSEX_TIERS), role_label) == words
