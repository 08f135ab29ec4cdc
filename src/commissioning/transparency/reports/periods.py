"""Financial years as people write them: "2025/26" is 1 April 2025 to 31 March 2026."""

import re

from django.utils.translation import gettext as _

_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
EARLIEST, LATEST = 2000, 2099


def parse_financial_year(text: str) -> int:
    """The year a financial year starts in, from "2025/26" (or "2025-26", "2025/2026");
    ValueError with a plain-English message for anything else."""
    value = (text or "").strip()
    if not value:
        raise ValueError(_("Give the financial year, like 2025/26."))
    match = _YEAR.match(value)
    if match is None:
        raise ValueError(
            _("'%(value)s' is not a financial year: write it like 2025/26.") % {"value": value}
        )
    start, end = int(match.group(1)), match.group(2)
    follows = (start + 1) % 100 if len(end) == 2 else start + 1
    if int(end) != follows:
        raise ValueError(
            _("'%(value)s' is not a financial year: the year after %(start)s is %(next)s.")
            % {"value": value, "start": start, "next": f"{start}/{(start + 1) % 100:02d}"}
        )
    if not EARLIEST <= start <= LATEST:
        raise ValueError(
            _("'%(value)s' is outside the years reports cover (%(first)s to %(last)s).")
            % {"value": value, "first": EARLIEST, "last": LATEST}
        )
    return start
