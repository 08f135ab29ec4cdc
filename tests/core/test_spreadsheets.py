"""Text people typed is written to CSV files so that no spreadsheet runs it as a formula."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core.spreadsheets import FORMULA_STARTS, spreadsheet_text


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Safer Streets Youth", "Safer Streets Youth"),
        ("", ""),
    ],
)
def test_formula_starts_get_an_apostrophe(typed, written):
    assert spreadsheet_text(typed) == written


@given(st.text())
def test_no_text_comes_out_starting_a_formula_and_none_is_lost(typed):
    written = spreadsheet_text(typed)
    assert not written.startswith(FORMULA_STARTS)
    assert written in (typed, "'" + typed)
