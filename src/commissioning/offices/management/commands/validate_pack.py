from django.core.management.base import BaseCommand, CommandError

from commissioning.offices.packs import PackError, read_pack


class Command(BaseCommand):
    help = "Check one or more policy packs against the schema and rules. Writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="pack files, such as packs/essex.yaml")

    def handle(self, *args, paths, **options):
        failed = 0
        for path in paths:
            try:
                data, _digest = read_pack(path)
            except PackError as error:
                failed += 1
                for problem in error.problems:
                    self.stderr.write(problem.format(error.filename))
            else:
                self.stdout.write(self.style.SUCCESS(f"{path}: valid ({data['office']['name']})"))
        if failed:
            raise CommandError(f"{failed} pack(s) refused; nothing was written.", returncode=1)
