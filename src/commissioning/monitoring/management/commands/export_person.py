from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissioning.monitoring.subject_access.services import person_export, person_json, person_pdf
from commissioning.offices.models import Office


class Command(BaseCommand):
    help = (
        "Subject access (SE3): everything the system holds about the person with this e-mail "
        "address, as JSON (on standard output, or --json FILE) and a readable PDF (--pdf FILE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--office", help="Only this office's records (its slug).")
        parser.add_argument("--json", dest="json_path", help="Write the JSON to this file.")
        parser.add_argument("--pdf", dest="pdf_path", help="Write a PDF to this file.")

    def handle(self, *args, email, office=None, json_path=None, pdf_path=None, **options):
        scope = None
        if office:
            scope = Office.objects.filter(slug=office).select_related("policy").first()
            if scope is None:
                raise CommandError(f"No office called '{office}'.")
        data = person_export(email=email, actor=None, office=scope)
        text = person_json(data)
        if json_path:
            Path(json_path).write_text(text, encoding="utf-8")
        if pdf_path:
            Path(pdf_path).write_bytes(person_pdf(data))
        if not json_path:
            self.stdout.write(text)
        else:
            self.stdout.write(f"{len(data['sections'])} section(s) written.")
