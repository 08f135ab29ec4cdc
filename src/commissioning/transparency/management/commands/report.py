"""Write an office's Police and Crime Panel report or annual report data pack for a financial
year, as PDF and XLSX:

    python manage.py report --office essex --year 2025/26 --kind panel [--format pdf|xlsx|both]
        [--output DIRECTORY]

It makes the files at once, with the same builder as the background job behind the staff
reports page.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissioning.offices.models import Office
from commissioning.transparency.reports.documents import report_file
from commissioning.transparency.reports.periods import parse_financial_year
from commissioning.transparency.reports.selectors import KINDS, report_for


class Command(BaseCommand):
    help = "Write an office's Police and Crime Panel report or annual report data pack."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="The office's slug, e.g. essex.")
        parser.add_argument("--year", required=True, help="The financial year, e.g. 2025/26.")
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument("--format", default="both", choices=["pdf", "xlsx", "both"])
        parser.add_argument("--output", default=".", help="The directory to write into.")

    def handle(self, *args, **options):
        office = Office.objects.select_related("policy").filter(slug=options["office"]).first()
        if office is None:
            slugs = ", ".join(Office.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"No office '{options['office']}'. Offices: {slugs or 'none'}.")
        try:
            year = parse_financial_year(options["year"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        folder = Path(options["output"])
        if not folder.is_dir():
            raise CommandError(f"'{folder}' is not a directory.")
        report = report_for(office, kind=options["kind"], year=year)
        formats = ["pdf", "xlsx"] if options["format"] == "both" else [options["format"]]
        for fmt in formats:
            path = folder / f"{report.filename}.{fmt}"
            path.write_bytes(report_file(report, fmt))
            self.stdout.write(f"Wrote {path}")
