"""Dates and times as GOV.UK writes them ('30 January 2027', '30 January 2027 at 2:15pm'),
read in the site's time zone (Europe/London). Dates held as ISO text (JSON) are read too."""

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext


def _parse(value) -> dt.date | dt.datetime | None:
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if isinstance(value, dt.date):
        return value
    return None


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def govuk_time(moment: dt.time | dt.datetime) -> str:
    """'2:15pm', '5pm', 'midday', 'midnight'."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return gettext("midnight") if moment.hour == 0 else gettext("midday")
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def govuk_date(value) -> str:
    value = _local(_parse(value))
    return date_format(value, "j F Y") if value is not None else ""


def govuk_datetime(value) -> str:
    value = _local(_parse(value))
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        return govuk_date(value)
    return gettext("%(date)s at %(time)s") % {"date": govuk_date(value), "time": govuk_time(value)}


def govuk_dates(values) -> str:
    shown = [govuk_date(v) for v in values or ()]
    return get_text_list([d for d in shown if d], gettext("and"))
