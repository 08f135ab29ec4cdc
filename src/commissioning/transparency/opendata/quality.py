"""The 360Giving data-quality checks (TR2): pure functions over one grant as exported, each
answering one question the standard's quality tool asks. `grant_problems(grant)` runs them
all; the export builds grants that pass, and the tests feed each check a bad record."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

TITLE_LIMIT = 140

# An e-mail address, and a UK telephone number (01245 291600, +44 1245 291600, 07700 900123).
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
DIGIT = re.compile(r"\d")
PHONE = re.compile(r"(?<![\w-])(\+44\s?\(?0?\)?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w-])")

# Organisation identifiers in the org-id.guide lists a UK funder sees most, with the shape of
# each register's numbers; a 360Giving identifier is `360G-<prefix>-...`.
ORG_ID_FORMATS = {
    "GB-CHC": re.compile(r"^GB-CHC-[1-9]\d{5,6}$"),
    "GB-COH": re.compile(r"^GB-COH-(\d{8}|[A-Z]{2}\d{6})$"),
    "GB-SC": re.compile(r"^GB-SC-SC\d{6}$"),
    "GB-NIC": re.compile(r"^GB-NIC-1\d{5}$"),
    "GB-EDU": re.compile(r"^GB-EDU-\d{6}$"),
    "GB-LAE": re.compile(r"^GB-LAE-[A-Z]{3,4}$"),
    "GB-LAS": re.compile(r"^GB-LAS-[A-Z]{3,4}$"),
    "GB-LAW": re.compile(r"^GB-LAW-[A-Z]{3,4}$"),
    "GB-PLA": re.compile(r"^GB-PLA-[A-Z0-9]+$"),
    "GB-GOR": re.compile(r"^GB-GOR-[A-Z]{2}\d+$"),
    "GB-NHS": re.compile(r"^GB-NHS-[A-Z0-9]{3,5}$"),
    "GB-MPR": re.compile(r"^GB-MPR-[A-Z0-9]+$"),
    "GB-UKPRN": re.compile(r"^GB-UKPRN-1\d{7}$"),
    "GB-SHPE": re.compile(r"^GB-SHPE-[A-Z0-9]+$"),
    "GB-CASC": re.compile(r"^GB-CASC-[A-Z0-9]+$"),
    "360G": re.compile(r"^360G-[A-Za-z0-9][A-Za-z0-9-]*$"),
}
GRANT_ID = re.compile(r"^360G-[A-Za-z0-9][A-Za-z0-9-]*-[A-Za-z0-9][A-Za-z0-9._/-]*$")


@dataclass(frozen=True)
class Problem:
    check: str
    message: str


def _text_fields(grant: dict) -> list[tuple[str, str]]:
    fields = [("title", grant.get("title", "")), ("description", grant.get("description", ""))]
    for org in grant.get("recipientOrganization", []):
        fields.append(("recipientOrganization.name", org.get("name", "")))
    for programme in grant.get("grantProgramme", []):
        fields.append(("grantProgramme.title", programme.get("title") or ""))
    for location in grant.get("beneficiaryLocation", []):
        fields.append(("beneficiaryLocation.name", location.get("name") or ""))
    return fields


def org_id_problem(identifier: str) -> str:
    """'' if the identifier has a recognised prefix and the shape its register uses."""
    if identifier.startswith("360G-"):
        return "" if ORG_ID_FORMATS["360G"].match(identifier) else "not a valid 360G- identifier"
    prefix = "-".join(identifier.split("-")[:2])
    pattern = ORG_ID_FORMATS.get(prefix)
    if pattern is None:
        return f"unrecognised organisation identifier prefix {prefix or identifier!r}"
    if not pattern.match(identifier):
        return f"{identifier!r} is not in the format of the {prefix} register"
    return ""


def check_amount(grant: dict) -> list[Problem]:
    amount = Decimal(str(grant.get("amountAwarded", 0)))
    if amount <= 0:
        return [Problem("zero_amount", f"Grant {grant.get('id')} is for £{amount}.")]
    return []


def check_identifiers(grant: dict) -> list[Problem]:
    problems = []
    if not GRANT_ID.match(str(grant.get("id", ""))):
        problems.append(Problem("grant_id", f"Grant identifier {grant.get('id')!r} is not valid."))
    for role in ("recipientOrganization", "fundingOrganization"):
        for org in grant.get(role, []):
            if message := org_id_problem(str(org.get("id", ""))):
                problems.append(Problem(f"{role}_id", message))
    return problems


def check_contact_details(grant: dict) -> list[Problem]:
    # The patterns run only where they could match: an address has an @, a number digits.
    problems = []
    for name, text in _text_fields(grant):
        text = text or ""
        if "@" in text and EMAIL.search(text):
            problems.append(Problem("email_in_text", f"An e-mail address is in {name}."))
        if DIGIT.search(text) and PHONE.search(text):
            problems.append(Problem("phone_in_text", f"A telephone number is in {name}."))
    return problems


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def check_dates(grant: dict) -> list[Problem]:
    problems = []
    for event in grant.get("plannedDates", []):
        start, end = _date(event.get("startDate", "")), _date(event.get("endDate", ""))
        if start and end and start > end:
            problems.append(
                Problem("start_after_end", f"Grant {grant.get('id')} ends before it starts.")
            )
    return problems


def check_title(grant: dict) -> list[Problem]:
    title, description = grant.get("title", ""), grant.get("description", "")
    problems = []
    if len(title) >= TITLE_LIMIT:
        problems.append(Problem("title_length", f"The title is {len(title)} characters long."))
    if title.strip().lower() == description.strip().lower():
        problems.append(Problem("title_is_description", "The title and description are the same."))
    return problems


def check_location(grant: dict) -> list[Problem]:
    if not grant.get("beneficiaryLocation"):
        return [Problem("no_beneficiary_location", f"Grant {grant.get('id')} has no location.")]
    return []


def check_programme(grant: dict) -> list[Problem]:
    if not grant.get("grantProgramme"):
        return [Problem("no_grant_programme", f"Grant {grant.get('id')} has no programme.")]
    return []


def check_recipient_prefix(grant: dict) -> list[Problem]:
    """A recipient with a charity or company number is identified by it, not by a 360G- id."""
    problems = []
    for org in grant.get("recipientOrganization", []):
        registered = org.get("charityNumber") or org.get("companyNumber")
        if registered and str(org.get("id", "")).startswith("360G-"):
            problems.append(
                Problem(
                    "recipient_360g_id",
                    f"{org.get('name')} has a registered number but a 360G- identifier.",
                )
            )
    return problems


def check_metadata(grant: dict) -> list[Problem]:
    problems = []
    if not grant.get("dateModified"):
        problems.append(Problem("no_date_modified", "The grant has no dateModified."))
    if not grant.get("dataSource"):
        problems.append(Problem("no_data_source", "The grant has no dataSource."))
    return problems


CHECKS: tuple[Callable[[dict], list[Problem]], ...] = (
    check_amount,
    check_identifiers,
    check_contact_details,
    check_dates,
    check_title,
    check_location,
    check_programme,
    check_recipient_prefix,
    check_metadata,
)


def grant_problems(grant: dict) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(grant)]
