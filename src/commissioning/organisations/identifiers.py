"""Organisation identifiers in the org-id.guide scheme, used in open data (360Giving), and UK
postcodes. Each function returns the normal form of a value or raises `IdentifierError`."""

import re

from django.utils.translation import gettext as _

CHARITY_EW = re.compile(r"^[1-9]\d{5,6}$")
COMPANY_PREFIXES = (
    "SC|NI|OC|SO|NC|R0|IP|SP|RS|NP|FC|SE|NL|GE|LP|SL|NF|IC|CE|CS|AC|SA|SF|SI|SZ|NA|NO|NR|NV|NZ"
)
COMPANY = re.compile(rf"^(\d{{8}}|({COMPANY_PREFIXES})\d{{6}})$")
COMPANY_PREFIXED = re.compile(rf"^({COMPANY_PREFIXES})(\d{{1,6}})$")
POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$")


class IdentifierError(ValueError):
    """A number or code is not in the right format; the message says what is expected."""


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", str(value or "")).upper()


def normalise_charity_number(value: str) -> str:
    """'1164883', ' 1164883-1 ' -> '1164883' (a subsidiary suffix is not part of the org-id)."""
    value = _compact(value).split("-")[0]
    if not CHARITY_EW.match(value):
        raise IdentifierError(
            _("Enter a charity number registered in England and Wales: 6 or 7 digits, like 1164883")
        )
    return value


def normalise_company_number(value: str) -> str:
    """'1234567' -> '01234567'; 'sc12345' -> 'SC012345'. Leading zeros are restored."""
    value = _compact(value)
    if value.isdigit() and len(value) <= 8:
        value = value.zfill(8)
    elif match := COMPANY_PREFIXED.match(value):
        value = match.group(1) + match.group(2).zfill(6)
    if not COMPANY.match(value) or not re.sub(r"\D", "", value).strip("0"):
        raise IdentifierError(
            _(
                "Enter a company number in the format Companies House uses: 8 digits, like "
                "01234567, or 2 letters and 6 digits, like SC123456"
            )
        )
    return value


def org_id_for(*, charity_number: str = "", company_number: str = "") -> str:
    """The org-id: charity number first (GB-CHC-...), then company number (GB-COH-...)."""
    if charity_number:
        return f"GB-CHC-{normalise_charity_number(charity_number)}"
    if company_number:
        return f"GB-COH-{normalise_company_number(company_number)}"
    return ""


def normalise_postcode(value: str) -> str:
    """'sw1a1aa', 'SW1A  1AA' -> 'SW1A 1AA'. Checks the shape of a UK postcode, not that it
    exists."""
    compact = _compact(value)
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = POSTCODE.match(compact)
    if not match:
        raise IdentifierError(_("Enter a full UK postcode, like CM1 1QH"))
    return f"{match.group(1)} {match.group(2)}"
