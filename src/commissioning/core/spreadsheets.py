"""Text for CSV files that people open in a spreadsheet.

A spreadsheet runs a cell that starts with =, +, - or @ (or a tab or carriage return before
one) as a formula, so text someone typed, such as an organisation's name or a project's title,
could run in the reader's spreadsheet ("CSV injection"). Such text is written with a leading
apostrophe, which spreadsheets read as "this is text" (OWASP's advice). Numbers and dates the
product writes itself are not passed through it.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value) -> str:
    """The text, made safe to open in a spreadsheet."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value
