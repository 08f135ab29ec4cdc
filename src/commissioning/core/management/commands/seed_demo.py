"""Demo data for a trial of the product: each app's own, from the steps the apps register with
`core.registry.demo_steps`, run in layer order (offices, then their people, the applicant
organisations, their applications, panels, decisions ...). Running it again duplicates nothing."""

from django.core.management.base import BaseCommand

from commissioning.core import registry
from commissioning.core.jobs import jobs_run_immediately


class Command(BaseCommand):
    help = "Create demo organisations and users for every role in every office."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="do not print sign-ins")

    # No worker need be running: receipts, screening and letters run here, as they are queued.
    @jobs_run_immediately()
    def handle(self, *args, **options):
        run = registry.DemoRun()
        for step in registry.demo_steps:
            step(run)
        if not options["quiet_logins"]:
            self._print(run)

    def _print(self, run: registry.DemoRun):
        rows = run.sign_ins
        width = max((len(label) for label, _ in rows), default=0)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo sign-ins"))
        for note in run.notes:
            self.stdout.write(f"  {note}")
        self.stdout.write("")
        for label, email in rows:
            self.stdout.write(f"  {label.ljust(width)}  {email}")
        self.stdout.write("")
