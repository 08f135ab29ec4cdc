"""Pure rules of bank details: the checks on what an organisation enters, masking, and how
telephone numbers are compared. No database access here."""

import re

from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError

_SEPARATORS = re.compile(r"[\s-]+")


def clean_sort_code(value: str) -> str:
    """Six digits, with any spaces or hyphens taken out ("30-99-50" is 309950)."""
    digits = _SEPARATORS.sub("", value or "")
    if not digits:
        raise DomainError(_("Enter the sort code."), field="sort_code")
    if not re.fullmatch(r"[0-9]{6}", digits):
        raise DomainError(_("Enter a sort code of 6 digits, like 30-99-50."), field="sort_code")
    return digits


def clean_account_number(value: str) -> str:
    digits = _SEPARATORS.sub("", value or "")
    if not digits:
        raise DomainError(_("Enter the account number."), field="account_number")
    if not re.fullmatch(r"[0-9]{8}", digits):
        raise DomainError(
            _("Enter an account number of 8 digits, like 00733445."), field="account_number"
        )
    return digits


def clean_roll_number(value: str) -> str:
    """A building society roll number, where the society uses one: letters, digits, spaces,
    hyphens, full stops and slashes, at most 18 characters."""
    value = (value or "").strip()
    if value and not re.fullmatch(r"[A-Za-z0-9 ./-]{1,18}", value):
        raise DomainError(
            _(
                "Enter the roll number as the building society gives it: at most 18 letters, "
                "numbers, spaces, hyphens, full stops or slashes."
            ),
            field="roll_number",
        )
    return value


def clean_account_name(value: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise DomainError(_("Enter the name on the account."), field="account_name")
    if len(value) > 140:
        raise DomainError(
            _("The name on the account must be 140 characters or fewer."), field="account_name"
        )
    return value


def mask(last4: str) -> str:
    """What pages show of an account number: its last four digits."""
    return f"****{last4}" if last4 else ""


def phone_key(value: str) -> str:
    """A telephone number reduced to its digits, +44 read as 0, so that '01234 567890' and
    '+44 1234 567890' are the same number."""
    digits = re.sub(r"[^0-9+]", "", value or "")
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    return digits.replace("+", "")


def clean_phone(value: str, *, field: str = "phone") -> str:
    value = " ".join((value or "").split())
    if not value:
        raise DomainError(_("Enter a telephone number."), field=field)
    if not re.fullmatch(r"[0-9+() -]{6,30}", value) or not 10 <= len(phone_key(value)) <= 13:
        raise DomainError(
            _("Enter a telephone number, like 01632 960 001 or +44 808 157 0192."), field=field
        )
    return value
