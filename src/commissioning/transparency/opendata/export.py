"""The 360Giving data package of an office (TR2): streamed as JSON a grant at a time, checked
against the standard's package schema, and converted to the standard's spreadsheet layout (CSV
and XLSX) with flattentool, 360Giving's own converter."""

import datetime as dt
import json
import logging
import tempfile
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from django.utils import timezone

from commissioning.transparency.opendata.grants import (
    SCHEMA_VERSION,
    GrantBuilder,
    Publisher,
    package_identifier,
)
from commissioning.transparency.opendata.quality import Problem, grant_problems
from commissioning.transparency.register.selectors import iter_public_awards, public_awards

logger = logging.getLogger(__name__)

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
PACKAGE_SCHEMA = SCHEMA_DIR / "360-giving-package-schema.json"
GRANT_SCHEMA = SCHEMA_DIR / "360-giving-schema.json"
FORMATS = ("json", "csv", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# As json.dumps(grant, ensure_ascii=False), made once rather than once a grant.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def package_header(office, publisher: Publisher, now: dt.datetime) -> dict:
    return {
        "version": SCHEMA_VERSION,
        "title": f"{office.name}: grants awarded",
        "description": (
            f"Grants awarded by the {office.name} by published decisions, in the 360Giving "
            "Data Standard."
        ),
        "identifier": package_identifier(publisher, now),
        "issued": now.date().isoformat(),
        "modified": now.isoformat(timespec="seconds"),
        "publisher": {"name": office.name, "identifier": publisher.funder_id}
        | ({"website": office.website} if office.website else {}),
        "license": publisher.licence,
    }


def office_grants(office, *, chunk_size: int = 2000, one_row: bool = False) -> Iterator[dict]:
    """Every public award of the office as a grant, oldest first, a chunk at a time. A grant
    that fails a quality check is logged; the builder is made so that none does."""
    builder = GrantBuilder(Publisher.for_office(office), one_location=one_row)
    for award in iter_public_awards(public_awards(office), chunk_size=chunk_size):
        grant = builder.grant(award)
        for problem in grant_problems(grant):
            logger.warning("360Giving grant %s: %s", grant["id"], problem.message)
        yield grant


def stream_package(
    office, *, now=None, chunk_size: int = 2000, one_row: bool = False
) -> Iterator[str]:
    """The package as JSON text, a grant at a time: the memory it holds does not grow with the
    number of grants. `one_row` shapes each grant for the CSV's single row (see award_grant)."""
    now = timezone.localtime(now or timezone.now())
    header = json.dumps(package_header(office, Publisher.for_office(office), now), indent=None)
    yield header[:-1] + ', "grants": [\n'
    first = True
    for grant in office_grants(office, chunk_size=chunk_size, one_row=one_row):
        yield ("" if first else ",\n") + _encode(grant)
        first = False
    yield "\n]}\n"


def write_package(office, path: Path, *, now=None, one_row: bool = False) -> Path:
    with Path(path).open("w", encoding="utf-8") as handle:
        for part in stream_package(office, now=now, one_row=one_row):
            handle.write(part)
    return Path(path)


@cache
def _validator():
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package = json.loads(PACKAGE_SCHEMA.read_text(encoding="utf-8"))
    grant = json.loads(GRANT_SCHEMA.read_text(encoding="utf-8"))
    # The schemas name their dialect by its http:// address, which `referencing` does not
    # detect; they are 2020-12 schemas and are read as such.
    resource = DRAFT202012.create_resource(grant)
    # The package refers to the grant schema by the address of the release it was cut from.
    grant_refs = {package["properties"]["grants"]["items"]["$ref"], grant["$id"]}
    registry = Registry().with_resources((uri, resource) for uri in grant_refs)
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(package: dict) -> list[str]:
    """What in the package breaks the 360Giving package schema, one line each."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(package)'}: {error.message}"
        for error in _validator().iter_errors(package)
    ]


def package_problems(package: dict) -> list[Problem]:
    return [p for grant in package.get("grants", []) for p in grant_problems(grant)]


def flatten(json_path: Path, output: Path, output_format: str) -> Path:
    """The package in 360Giving's spreadsheet layout: column titles, one row a grant, lists
    rolled up into the grants sheet. XLSX holds every sheet; CSV is the grants sheet, so its
    package should be written with `one_row` (one beneficiary location a grant)."""
    import flattentool

    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        # The standard's transaction lists have no titles; flattentool says so for each.
        warnings.simplefilter("ignore")
        target = Path(folder) / ("grants.xlsx" if output_format == "xlsx" else "csv")
        flattentool.flatten(
            str(json_path),
            schema=str(GRANT_SCHEMA),
            output_name=str(target),
            output_format=output_format,
            main_sheet_name="grants",
            root_list_path="grants",
            root_id="",
            rollup=True,
            use_titles=True,
            remove_empty_schema_columns=True,
            line_terminator="LF",
        )
        if output_format == "xlsx":
            _drop_rolled_up_sheets(target)
        source = target if output_format == "xlsx" else target / "grants.csv"
        output = Path(output)
        output.write_bytes(source.read_bytes())
    return output


# Lists every grant has exactly one item of, whose item the grants sheet holds in full.
ROLLED_UP_SHEETS = ("Planned Dates", "Grant Programme", "Recipient Org", "Funding Org")
LOCATION_SHEET = "Beneficiary Location"


def _drop_rolled_up_sheets(path: Path) -> None:
    """flattentool writes a rolled-up item both on the grants sheet and on its own sheet; read
    back, an item without an identifier would then appear twice. Every grant has one planned
    period, programme, recipient and funder, so their own sheets are left out; a grant's one
    location is on the grants sheet, so only grants with several keep rows on the locations
    sheet. Text that looks like a formula is kept as text."""
    from collections import Counter

    from openpyxl import load_workbook

    workbook = load_workbook(path)
    for name in ROLLED_UP_SHEETS:
        if name in workbook.sheetnames:
            del workbook[name]
    if LOCATION_SHEET in workbook.sheetnames:
        sheet = workbook[LOCATION_SHEET]
        rows = list(sheet.iter_rows(values_only=True))
        counts = Counter(row[0] for row in rows[1:])
        kept = [rows[0]] + [row for row in rows[1:] if counts[row[0]] > 1]
        index = workbook.sheetnames.index(LOCATION_SHEET)
        del workbook[LOCATION_SHEET]
        sheet = workbook.create_sheet(LOCATION_SHEET, index)
        for row in kept:
            sheet.append(row)
    _formulas_as_text(workbook)
    workbook.save(path)


def _formulas_as_text(workbook) -> None:
    """openpyxl stores text that starts with "=" as a formula, which the reader's spreadsheet
    would run: a title typed as "=HYPERLINK(...)" must stay text, exactly as typed."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def unflatten(path: Path, input_format: str) -> dict:
    """A flat file back to a package (for checking the round trip)."""
    import flattentool

    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = Path(path)
        if input_format == "csv":
            sheets = Path(folder) / "csv"
            sheets.mkdir()
            (sheets / "grants.csv").write_bytes(source.read_bytes())
            source = sheets
        output = Path(folder) / "unflattened.json"
        flattentool.unflatten(
            str(source),
            input_format=input_format,
            output_name=str(output),
            root_list_path="grants",
            root_id="",
            schema=str(GRANT_SCHEMA),
            convert_titles=True,
            id_name="id",
        )
        return json.loads(output.read_text(encoding="utf-8"))


def export(office, *, output_format: str, output: Path, now=None) -> Path:
    """The office's package in one of FORMATS, written to `output`."""
    if output_format == "json":
        return write_package(office, output, now=now)
    with tempfile.TemporaryDirectory() as folder:
        json_path = write_package(
            office, Path(folder) / "package.json", now=now, one_row=output_format == "csv"
        )
        return flatten(json_path, output, output_format)
