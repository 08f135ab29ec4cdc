"""Server-rendered SVG charts: a bar chart and a horizontal bar chart, each with a title and a
description for screen readers, the same figures as a table and as CSV. No JavaScript: the SVG
is plain markup, so it shows in any browser, prints, and goes into WeasyPrint PDFs as it is.

A chart holds rows of figures, one column a series. A figure may be None where it must not be
shown (a small number suppressed outside the office): it has no bar, and its text says why."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import conditional_escape, format_html, format_html_join

from commissioning.core.money import format_pounds
from commissioning.core.spreadsheets import spreadsheet_text

# GOV.UK Frontend colours, dark enough against white for bars (WCAG 1.4.11).
COLOURS = ("#1d70b8", "#00703c", "#505a5f", "#912b88", "#d4351c", "#28a197")
TEXT = "#0b0c0c"
FONT = "Arial, Helvetica, sans-serif"


def _plain(value, unit: str) -> str:
    """A figure as text: pounds, a count or a percentage; text (a suppressed count) as it is."""
    if value is None:
        return ""
    if isinstance(value, str) or not isinstance(value, (int, Decimal, float)):
        return str(value)
    if unit == "pounds":
        return format_pounds(Decimal(value))
    if unit == "percent":
        return f"{Decimal(value):.1f}%"
    return f"{int(value):,}"


@dataclass
class Row:
    label: str
    values: list  # one a series: Decimal, int, None (not shown) or text (e.g. "fewer than 5")

    def number(self, index: int) -> Decimal:
        value = self.values[index]
        return Decimal(value) if isinstance(value, (int, Decimal)) else Decimal(0)

    def shown(self, index: int, unit: str) -> str:
        value = self.values[index]
        if isinstance(value, (int, Decimal)):
            return _plain(value, unit)
        return str(value) if value is not None else "-"


@dataclass
class Chart:
    """One chart: `kind` 'bar' (vertical) or 'hbar' (horizontal); `unit` of its figures
    'pounds', 'count' or 'percent'."""

    slug: str
    title: str
    description: str
    label_heading: str
    series: list[str]
    rows: list[Row]
    kind: str = "hbar"
    unit: str = "pounds"
    note: str = ""

    @property
    def title_id(self) -> str:
        return f"chart-{self.slug}-title"

    @property
    def desc_id(self) -> str:
        return f"chart-{self.slug}-desc"

    @property
    def largest(self) -> Decimal:
        numbers = [r.number(i) for r in self.rows for i in range(len(self.series))]
        return max([n for n in numbers if n > 0] or [Decimal(1)])

    def table_rows(self) -> list[tuple[str, list[str]]]:
        return [
            (r.label, [r.shown(i, self.unit) for i in range(len(self.series))]) for r in self.rows
        ]

    def csv_rows(self) -> list[list[str]]:
        """The chart's figures as they are shown, unformatted numbers for a spreadsheet."""
        out = [[self.label_heading, *self.series]]
        for r in self.rows:
            cells = []
            for value in r.values:
                if isinstance(value, Decimal):
                    cells.append(f"{value:.2f}")
                elif isinstance(value, int):
                    cells.append(str(value))
                else:
                    cells.append(spreadsheet_text(str(value)) if value is not None else "")
            out.append([spreadsheet_text(str(r.label)), *cells])
        return out

    def csv(self) -> str:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(self.csv_rows())
        return buffer.getvalue()

    def svg(self) -> str:
        return horizontal_bar_svg(self) if self.kind == "hbar" else bar_svg(self)


def _open(chart: Chart, width: int, height: int) -> str:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        'aria-labelledby="{} {}" viewBox="0 0 {} {}" width="100%" focusable="false" '
        'font-family="{}"><title id="{}">{}</title><desc id="{}">{}</desc>',
        chart.title_id,
        chart.desc_id,
        width,
        height,
        FONT,
        chart.title_id,
        chart.title,
        chart.desc_id,
        chart.description,
    )


def _legend(chart: Chart, y: int) -> str:
    if len(chart.series) < 2:
        return conditional_escape("")
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="14" height="14" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="14" fill="{}">{}</text>',
        (
            (i * 130, y, COLOURS[i % len(COLOURS)], i * 130 + 20, y + 12, TEXT, name)
            for i, name in enumerate(chart.series)
        ),
    )


def _short(label: str, length: int = 24) -> str:
    label = str(label)
    return label if len(label) <= length else label[: length - 1] + "…"


def horizontal_bar_svg(chart: Chart) -> str:
    """A label on the left of each row, a bar per series, the figure after each bar."""
    label_width, bar_width, bar_height, gap = 180, 210, 18, 14
    n = len(chart.series)
    legend = 30 if n > 1 else 0
    row_height = n * (bar_height + 4) + gap
    height = legend + max(len(chart.rows), 1) * row_height + 10
    width = label_width + bar_width + 100
    largest = chart.largest
    parts = [_open(chart, width, height), _legend(chart, 4)]
    for index, row in enumerate(chart.rows):
        top = legend + index * row_height
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="14" fill="{}">{}</text>',
                top + bar_height - 4,
                TEXT,
                _short(row.label),
            )
        )
        for s in range(n):
            y = top + s * (bar_height + 4)
            length = int(bar_width * max(row.number(s), 0) / largest)
            if row.number(s) > 0:
                length = max(length, 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                    '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                    label_width,
                    y,
                    length,
                    bar_height,
                    COLOURS[s % len(COLOURS)],
                    label_width + length + 6,
                    y + bar_height - 4,
                    TEXT,
                    row.shown(s, chart.unit),
                )
            )
    parts.append(format_html("</{}>", "svg"))
    return format_html_join("", "{}", ((part,) for part in parts))


def bar_svg(chart: Chart) -> str:
    """Vertical bars, one group a row, the figure above each bar and the label below."""
    plot_height, bar_width, gap, top = 220, 36, 36, 40
    n = len(chart.series)
    group = n * (bar_width + 4) + gap
    width = max(len(chart.rows) * group + gap, 360)
    height = top + plot_height + 50
    largest = chart.largest
    parts = [_open(chart, width, height), _legend(chart, 4)]
    base = top + plot_height
    parts.append(
        format_html(
            '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"></line>',
            base,
            width,
            base,
            TEXT,
        )
    )
    for index, row in enumerate(chart.rows):
        left = gap // 2 + index * group
        for s in range(n):
            x = left + s * (bar_width + 4)
            length = int(plot_height * max(row.number(s), 0) / largest)
            if row.number(s) > 0:
                length = max(length, 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                    '<text x="{}" y="{}" font-size="13" text-anchor="middle" fill="{}">{}</text>',
                    x,
                    base - length,
                    bar_width,
                    length,
                    COLOURS[s % len(COLOURS)],
                    x + bar_width // 2,
                    base - length - 6,
                    TEXT,
                    row.shown(s, chart.unit),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="14" text-anchor="middle" fill="{}">{}</text>',
                left + (n * (bar_width + 4)) // 2,
                base + 22,
                TEXT,
                _short(row.label, 14),
            )
        )
    parts.append(format_html("</{}>", "svg"))
    return format_html_join("", "{}", ((part,) for part in parts))
