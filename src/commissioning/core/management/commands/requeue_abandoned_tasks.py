"""Put back the background tasks whose worker died while running them (docs/operations.md).
Safe to run as often as you like; run it every few minutes from a timer beside the workers."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from commissioning.core.jobs import ABANDONED_AFTER, jobs_requeue_abandoned


class Command(BaseCommand):
    help = "Queue again the tasks left running by a worker that stopped (killed, machine lost)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(ABANDONED_AFTER.total_seconds()),
            help="seconds a task must have been running to count as abandoned (default 900)",
        )

    def handle(self, *args, **options):
        count = jobs_requeue_abandoned(older_than=timedelta(seconds=options["older_than"]))
        self.stdout.write(f"{count} abandoned task(s) queued again.")
