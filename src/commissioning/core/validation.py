"""Checks on what people send, shared by the forms and the API schemas, so bad input gets a
plain message at the edge and never reaches the database.

- Text must not hold a NUL character: PostgreSQL cannot store one, and no one types it.
- Money is pounds and pence within what the database holds, never in exponent notation.
- A record's id is at most LARGEST_ID: SQLite cannot compare a larger number with a column.
"""

from decimal import Decimal
from typing import Annotated

from django.core.validators import ProhibitNullCharactersValidator
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from commissioning.core.money import MAX_MONEY, to_money

NUL_MESSAGE = "Text cannot contain a null character."
UNICODE_MESSAGE = "Text must be valid Unicode."
MONEY_MESSAGE = "Enter an amount in pounds and pence, like 2500 or 2500.50."
MONEY_TOO_LARGE = "The amount is too large."

# The largest id a record can have (a BigAutoField's, 2^63 - 1).
LARGEST_ID = 2**63 - 1

# The Django validator, for form fields that are not CharFields (they have it already).
no_null_characters = ProhibitNullCharactersValidator()


def has_nul(value: str) -> bool:
    return "\x00" in value


def _text(value: str) -> str:
    if has_nul(value):
        raise ValueError(NUL_MESSAGE)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(UNICODE_MESSAGE) from None
    return value


def money_value(value) -> Decimal:
    """An amount sent to the product: pounds and pence, 0 to the largest the database holds."""
    try:
        amount = to_money(value)
    except ValueError:
        raise ValueError(MONEY_MESSAGE) from None
    if abs(amount) > MAX_MONEY:
        raise ValueError(MONEY_TOO_LARGE)
    return amount


def _money(value):
    if value is None:
        return None
    if isinstance(value, str) and len(value) > 20:
        raise ValueError(MONEY_TOO_LARGE)
    return money_value(value)


def Text(*, max_length: int | None = None):  # noqa: N802 - reads as a type in schemas
    """A text field of an API schema: no NUL character, and at most `max_length` characters."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_text)]


PlainText = Text()

# Pounds and pence as a JSON number (2500.50) or text ("2500.50"). The API reads JSON numbers
# as Decimal (see commissioning.api.api), so pence are exact.
Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": -float(MAX_MONEY), "maximum": float(MAX_MONEY)},
                {"type": "string", "pattern": r"^-?\d{1,10}(\.\d{1,2})?$"},
            ],
            "description": "Pounds and pence, like 2500.50; at most 9999999999.99.",
        }
    ),
]
