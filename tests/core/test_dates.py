"""Issue 9, item 13: dates read '30 January 2027' everywhere, times in Europe/London."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from commissioning.core.dates import govuk_date, govuk_dates, govuk_datetime, govuk_time

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "commissioning" / "templates"
UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2027, 1, 30), "30 January 2027"),
        ("2027-01-30", "30 January 2027"),
        (dt.datetime(2027, 6, 30, 23, 30, tzinfo=UTC), "1 July 2027"),  # BST
        (None, ""),
        ("not a date", ""),
    ],
)
def test_govuk_date(value, shown):
    assert govuk_date(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.datetime(2027, 1, 30, 14, 15, tzinfo=UTC), "30 January 2027 at 2:15pm"),
        (dt.datetime(2027, 7, 1, 16, 0, tzinfo=UTC), "1 July 2027 at 5pm"),
        (dt.datetime(2027, 1, 30, 12, 0, tzinfo=UTC), "30 January 2027 at midday"),
        (
            dt.datetime(2027, 1, 30, 0, 0, tzinfo=ZoneInfo("Europe/London")),
            "30 January 2027 at midnight",
        ),
        (dt.datetime(2027, 1, 30, 9, 5, tzinfo=UTC), "30 January 2027 at 9:05am"),
        (dt.date(2027, 1, 30), "30 January 2027"),
    ],
)
def test_govuk_datetime_in_london(value, shown):
    assert govuk_datetime(value) == shown


def test_a_list_of_panel_dates():
    assert govuk_dates(["2027-01-30", "2027-05-01"]) == "30 January 2027 and 1 May 2027"
    assert govuk_time(dt.time(0, 1)) == "12:01am"


def test_template_filters():
    out = Template("{% load govuk %}{{ d|govuk_date }} / {{ ds|govuk_dates }}").render(
        Context({"d": dt.date(2027, 1, 30), "ds": ["2027-01-30"]})
    )
    assert out == "30 January 2027 / 30 January 2027"


def test_no_template_writes_dates_in_another_format():
    """Every date in a template goes through the GOV.UK filters (month-year aside)."""
    offenders = []
    for path in TEMPLATES.rglob("*"):
        if path.suffix not in {".html", ".txt"}:
            continue
        for match in re.finditer(r'\|date:"([^"]*)"', path.read_text()):
            if match.group(1) != "F Y":
                offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert offenders == []


@pytest.mark.parametrize("field_class", ["core", "organisations"])
@pytest.mark.parametrize(
    "parts",
    [
        ["31", "2", "2027"],
        ["1", "1", "99999999999999999999"],  # too large for a year: no server error
        ["99999999999999999999", "1", "2027"],
        ["1", "-1", "2027"],
        ["1", "1", "1e3"],
    ],
)
def test_a_date_that_is_no_day_is_a_plain_error(field_class, parts):
    from django import forms

    from commissioning.core.forms import DateField
    from commissioning.organisations.forms import LabelledDateField

    field = DateField() if field_class == "core" else LabelledDateField(label="Date adopted")
    with pytest.raises(forms.ValidationError, match="real date"):
        field.clean(parts)
