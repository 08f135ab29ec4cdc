"""Financial years as people write them (TR5)."""

import pytest

from commissioning.transparency.reports.periods import parse_financial_year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2025/26", 2025),
        (" 2025/26 ", 2025),
        ("2025-26", 2025),
        ("2025/2026", 2025),
        ("2099/00", 2099),
    ],
)
def test_financial_years_parse(text, year):
    assert parse_financial_year(text) == year


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give the financial year, like 2025/26."),
        ("2025", "'2025' is not a financial year: write it like 2025/26."),
        ("twenty25", "'twenty25' is not a financial year: write it like 2025/26."),
        ("2025/27", "'2025/27' is not a financial year: the year after 2025 is 2025/26."),
        ("2025/2027", "the year after 2025 is 2025/26"),
        ("1999/00", "outside the years reports cover (2000 to 2099)"),
    ],
)
def test_bad_financial_years_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_financial_year(text)
