"""AP2: charity and company numbers normalised and turned into org-ids; UK postcodes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.organisations.identifiers import (
    COMPANY_PREFIXES,
    IdentifierError,
    normalise_charity_number,
    normalise_company_number,
    normalise_postcode,
    org_id_for,
)

PREFIXES = COMPANY_PREFIXES.split("|")
spaces = st.text(alphabet=" \t", max_size=3)


@given(st.integers(100_000, 9_999_999), spaces, spaces, st.sampled_from(["", "-1", "-12"]))
def test_charity_numbers_keep_their_digits(number, before, after, suffix):
    assert normalise_charity_number(f"{before}{number}{suffix}{after}") == str(number)


@given(st.integers(100_000, 9_999_999))
def test_charity_normalisation_is_idempotent(number):
    once = normalise_charity_number(str(number))
    assert normalise_charity_number(once) == once


@pytest.mark.parametrize("value", ["", "12345", "12345678", "0123456", "11648A3", "SC012345"])
def test_charity_numbers_in_other_formats_are_refused(value):
    with pytest.raises(IdentifierError, match="6 or 7 digits"):
        normalise_charity_number(value)


@given(st.integers(1, 99_999_999), spaces)
def test_company_numbers_get_their_leading_zeros_back(number, padding):
    normalised = normalise_company_number(f"{padding}{number}{padding}")
    assert normalised == str(number).zfill(8)
    assert len(normalised) == 8
    assert normalise_company_number(normalised) == normalised


@given(st.sampled_from(PREFIXES), st.integers(1, 999_999), st.booleans())
def test_prefixed_company_numbers_keep_their_letters(prefix, number, lower):
    value = f"{prefix}{number}"
    normalised = normalise_company_number(value.lower() if lower else value)
    assert normalised == f"{prefix}{str(number).zfill(6)}"
    assert normalise_company_number(normalised) == normalised


@pytest.mark.parametrize("value", ["", "0", "00000000", "123456789", "XX123456", "SC1234567"])
def test_company_numbers_in_other_formats_are_refused(value):
    with pytest.raises(IdentifierError, match="Companies House"):
        normalise_company_number(value)


def test_examples_from_real_registers():
    assert normalise_company_number("1234567") == "01234567"
    assert normalise_company_number("sc 123456") == "SC123456"
    assert org_id_for(charity_number="1164883") == "GB-CHC-1164883"
    assert org_id_for(company_number="9990002") == "GB-COH-09990002"
    assert org_id_for(charity_number="1164883", company_number="09990002") == "GB-CHC-1164883"
    assert org_id_for() == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cm1 1qh", "CM1 1QH"),
        ("SW1A1AA", "SW1A 1AA"),
        ("  b33   8th ", "B33 8TH"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcodes_are_normalised(value, expected):
    assert normalise_postcode(value) == expected


@pytest.mark.parametrize("value", ["", "CM1", "12345", "CM1 1Q", "CMM1 1QH", "CM1 1QHH"])
def test_bad_postcodes_are_refused(value):
    with pytest.raises(IdentifierError, match="full UK postcode"):
        normalise_postcode(value)
