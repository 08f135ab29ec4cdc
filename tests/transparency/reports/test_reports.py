"""The Police and Crime Panel report and the annual report data pack (TR5): their figures are
the ledger's; PDF (with the charts) and XLSX from the staff pages and from `manage.py report`."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from commissioning.accounts.models import Role
from commissioning.awards.selectors import balances_for, budget_rows
from commissioning.decisions.services import decision_publish
from commissioning.transparency.reports.documents import report_html, report_pdf, report_xlsx
from commissioning.transparency.reports.selectors import report_for
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import member_of
from tests.transparency.dashboards.factories import TODAY, funded_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(office, officer, round_, signatories):
    return funded_office(office, officer, round_, signatories)


@pytest.fixture
def all_published(funded, officer):
    decision_publish(decision=funded.unpublished.decision, actor=officer)
    return funded


def test_report_figures_equal_the_ledger_for_the_year(office, all_published):
    report = report_for(office, kind="annual", year=2026, today=TODAY)
    balances = balances_for(budget_rows(office).filter(financial_year=2026)).values()
    assert report.board.summary["committed"] == sum(b.net_committed for b in balances)
    assert report.board.summary["committed"] == Decimal("4000.00")
    assert report.board.summary["paid"] == sum(b.paid for b in balances)
    areas = report.board.charts["areas"]
    assert sum(r.values[0] for r in areas.rows) == Decimal("4000.00")
    assert report.decisions.count == 2 and report.decisions.total == Decimal("4000.00")
    assert {a.reference for a in report.awards} == {
        all_published.published.reference,
        all_published.unpublished.reference,
    }


def test_the_panel_report_holds_decisions_awards_and_spend_by_priority_and_area(office, funded):
    report = report_for(office, kind="panel", year=2026, today=TODAY)
    assert [c.slug for c in report.charts] == ["spend", "priorities", "areas", "per-head"]
    # Only the published decision and its award are in a document for publication.
    assert [a.reference for a in report.awards] == [funded.published.reference]
    html = report_html(report)
    assert "Police and Crime Panel report, 2026/27" in html
    assert funded.unpublished.reference not in html
    assert html.count("<svg") == 4 and 'role="img"' in html


def test_the_pdf_includes_the_charts(office, funded):
    from pypdf import PdfReader

    pdf = report_pdf(report_for(office, kind="annual", year=2026, today=TODAY))
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Annual report data pack" in text
    assert "Money committed by area" in text and "North Testshire" in text


def test_the_xlsx_has_a_sheet_a_table_with_numbers(office, funded):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(report_xlsx(report_for(office, kind="annual", year=2026))))
    assert "Summary" in book.sheetnames and "Awards" in book.sheetnames
    areas = next(book[n] for n in book.sheetnames if n.startswith("Money committed by area"))
    values = {row[0]: row[1] for row in areas.iter_rows(min_row=4, values_only=True)}
    assert values["North Testshire"] == 1250 and values["Testtown"] == 1250
    ages = next(book[n] for n in book.sheetnames if "Age" in n)
    assert ("25 to 34", "fewer than 5") in list(ages.iter_rows(min_row=4, values_only=True))


def test_the_command_writes_both_files(office, funded, tmp_path):
    out = io.StringIO()
    call_command(
        "report", office=office.slug, year="2026/27", kind="panel", output=str(tmp_path), stdout=out
    )
    pdf = tmp_path / "testshire-panel-report-2026-27.pdf"
    xlsx = tmp_path / "testshire-panel-report-2026-27.xlsx"
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.read_bytes().startswith(b"PK")
    assert "Wrote" in out.getvalue()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"office": "nowhere", "year": "2026/27", "kind": "panel"}, "No office 'nowhere'"),
        ({"office": "testshire", "year": "2026/28", "kind": "panel"}, "the year after 2026"),
        ({"office": "testshire", "year": "26", "kind": "annual"}, "write it like 2025/26"),
    ],
)
def test_the_command_explains_bad_arguments(office, options, message, tmp_path):
    with pytest.raises(CommandError, match=message):
        call_command("report", output=str(tmp_path), **options)


def test_the_staff_page_offers_the_offices_years(client, office, officer, funded):
    """Reports are asked for there and made in the background (test_report_requests.py)."""
    sign_in(client, officer)
    index = client.get(f"/staff/{office.slug}/reports/")
    html = index.content.decode()
    assert index.status_code == 200 and '<option value="2026">2026/27</option>' in html
    assert "Police and Crime Panel report" in html and "Annual report data pack" in html
    assert "No reports have been asked for yet." in html


def test_reports_are_for_the_offices_staff_only(client, office, other_office, funded):
    sign_in(client, staff_user(other_office, Role.COMMISSIONING_OFFICER))
    assert client.get(f"/staff/{office.slug}/reports/").status_code == 404
    client.force_login(member_of(funded.published.organisation))
    assert client.get(f"/staff/{office.slug}/reports/").status_code == 404
    sign_in(client, staff_user(office, Role.PANEL_MEMBER))
    assert client.get(f"/staff/{office.slug}/reports/").status_code == 404
