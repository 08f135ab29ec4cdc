"""`python manage.py export_360giving --office essex [--output PATH] [--format json|csv|xlsx]
[--as-of 2026-12-01T09:00:00+00:00]`: the office's published awards as a 360Giving data package
(TR2). JSON is written a grant at a time; CSV and XLSX are the standard's spreadsheet layout,
made with flattentool. `--as-of` fixes the package's publication time, so that two exports of
the same data are the same bytes (the backup check compares them)."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissioning.offices.models import Office
from commissioning.transparency.opendata.export import FORMATS, export, stream_package


class Command(BaseCommand):
    help = "Export an office's published awards in the 360Giving Data Standard."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="the office's slug, such as essex")
        parser.add_argument("--output", help="the file to write; JSON goes to stdout without")
        parser.add_argument("--format", default="json", choices=FORMATS, dest="output_format")
        parser.add_argument("--as-of", help="the package's publication time, ISO 8601 with zone")

    def handle(self, *args, office, output, output_format, as_of=None, **options):
        now = None
        if as_of:
            try:
                now = dt.datetime.fromisoformat(as_of)
            except ValueError:
                raise CommandError(
                    "Give --as-of as a date and time with its zone, like 2026-12-01T09:00:00+00:00."
                ) from None
            if now.tzinfo is None:
                raise CommandError("Give --as-of with its time zone, like +00:00.")
        office_ = Office.objects.select_related("policy").filter(slug=office).first()
        if office_ is None:
            raise CommandError(f"No office has the slug {office!r}.")
        if output is None:
            if output_format != "json":
                raise CommandError("Give --output for CSV and XLSX.")
            for part in stream_package(office_, now=now):
                self.stdout.write(part, ending="")
            return
        path = export(office_, output_format=output_format, output=Path(output), now=now)
        self.stderr.write(f"Wrote {path}")
