"""Write an office's procurement as an OCDS 1.1 release package (JSON) to standard output or a
file: `python manage.py export_ocds --office cambridgeshire [--output ocds.json]`."""

import json

from django.core.management.base import BaseCommand, CommandError

from commissioning.offices.models import Office
from commissioning.procurement.ocds.build import release_package


class Command(BaseCommand):
    help = "Export an office's procurement exercises and contracts as an OCDS release package."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="the office's slug")
        parser.add_argument("--output", help="a file to write (standard output otherwise)")

    def handle(self, *args, office, output=None, **options):
        found = Office.objects.select_related("policy").filter(slug=office).first()
        if found is None:
            raise CommandError(f"No office has the slug '{office}'.")
        text = json.dumps(release_package(found), indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stdout.write(f"Wrote {output}")
        else:
            self.stdout.write(text)
