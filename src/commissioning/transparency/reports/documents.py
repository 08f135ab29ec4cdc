"""A report as a PDF (WeasyPrint, with its SVG charts) and as an XLSX workbook (xlsxwriter),
a sheet a table."""

import io
import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from commissioning.core.spreadsheets import spreadsheet_text
from commissioning.transparency.reports.selectors import Report


def report_html(report: Report) -> str:
    return render_to_string("transparency/reports/report_pdf.html", {"report": report})


def report_file(report: Report, fmt: str) -> bytes:
    """The report as a file of the format asked for: "pdf" or "xlsx"."""
    if fmt == "pdf":
        return report_pdf(report)
    if fmt == "xlsx":
        return report_xlsx(report)
    raise ValueError(f"A report is a PDF or an XLSX, not {fmt!r}.")


def report_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(report)).write_pdf()


def _sheet_name(text: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", " ", str(text)).strip()[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def report_xlsx(report: Report) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "£#,##0.00"})
    taken: set[str] = set()

    def table(title, headings, rows, *, pounds=()):
        sheet = book.add_worksheet(_sheet_name(title, taken))
        sheet.write_string(0, 0, spreadsheet_text(title), bold)
        for col, heading in enumerate(headings):
            sheet.write_string(2, col, spreadsheet_text(heading), bold)
        for r, row in enumerate(rows, start=3):
            for col, value in enumerate(row):
                if isinstance(value, Decimal):
                    sheet.write_number(r, col, float(value), money if col in pounds else None)
                elif isinstance(value, int) and not isinstance(value, bool):
                    sheet.write_number(r, col, value)
                elif value is None:
                    sheet.write_blank(r, col, None)
                else:
                    sheet.write_string(r, col, spreadsheet_text(value))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, max(len(headings) - 1, 1), 18)

    summary = report.board.summary
    table(
        _("Summary"),
        [_("Figure"), _("Value")],
        [
            [_("Office"), report.office.name],
            [_("Report"), report.title],
            [_("Financial year"), report.year_label],
            [_("Budget available to award"), summary["available"]],
            [_("Committed to awards"), summary["committed"]],
            [_("Paid"), summary["paid"]],
            [_("Decisions published"), report.decisions.count],
            [_("Applications approved in those decisions"), report.decisions.awards],
            [_("Total approved in those decisions"), report.decisions.total],
            [_("Awards made"), len(report.awards)],
            [_("People supported"), summary["people_supported"]],
        ],
        pounds=(1,),
    )
    table(
        _("Decisions"),
        [
            _("Decision"),
            _("Title"),
            _("About"),
            _("Signed"),
            _("Applications approved"),
            _("Total"),
        ],
        [
            [
                d.number,
                d.title,
                d.subject_reference,
                d.signed_at.date().isoformat() if d.signed_at else "",
                sum(1 for line in d.decided_applications.all() if line.outcome == "approve"),
                d.total,
            ]
            for d in report.decisions.decisions
        ],
        pounds=(5,),
    )
    table(
        _("Awards"),
        [_("Reference"), _("Organisation"), _("Project"), _("Fund"), _("Made"), _("Amount")],
        [
            [
                a.reference,
                a.organisation.name,
                a.title,
                a.fund.name,
                a.made_at.date().isoformat(),
                a.amount,
            ]
            for a in report.awards
        ],
        pounds=(5,),
    )
    for chart in report.charts:
        pounds = range(1, len(chart.series) + 1) if chart.unit == "pounds" else ()
        table(
            chart.title,
            [chart.label_heading, *chart.series],
            [[row.label, *row.values] for row in chart.rows],
            pounds=pounds,
        )
    book.close()
    return buffer.getvalue()
