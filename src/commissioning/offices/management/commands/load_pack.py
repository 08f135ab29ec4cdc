from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commissioning.core.errors import DomainError
from commissioning.offices.packs import PackError, load_pack


class Command(BaseCommand):
    help = (
        "Validate and load policy packs, each in one transaction. Loading a pack again changes "
        "nothing; an edited pack updates the office in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="pack files, such as packs/essex.yaml")
        parser.add_argument(
            "--all", action="store_true", help="load every pack in the packs folder"
        )

    def handle(self, *args, paths, all, **options):
        if all:
            paths = [
                *paths,
                *sorted(str(p) for p in Path(settings.COMMISSIONING_PACKS_DIR).glob("*.yaml")),
            ]
        if not paths:
            raise CommandError("Give the path of a pack, or --all.")
        failed = 0
        for path in paths:
            try:
                report = load_pack(path)
            except PackError as error:
                failed += 1
                for problem in error.problems:
                    self.stderr.write(problem.format(error.filename))
                continue
            except DomainError as error:
                # Refused by what the office already holds, such as money committed.
                failed += 1
                self.stderr.write(f"{path}: {error.message}")
                continue
            self.stdout.write(self.style.SUCCESS(f"{path}: {report.summary()}"))
            if options["verbosity"] > 1:
                for change in report.changes:
                    self.stdout.write(f"  {change}")
        if failed:
            raise CommandError(
                f"{failed} pack(s) refused; nothing was written for them.", returncode=1
            )
