from django.core.management.base import BaseCommand

from commissioning.monitoring.reminders.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminders owed about monitoring returns: before the due date, on it, and "
        "overdue (escalated to the officer). Never sends the same reminder twice; safe to run "
        "every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        counts = reminders_send(dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            f"{verb} {counts['before']} before the due date, {counts['due']} on it, "
            f"{counts['overdue']} overdue."
        )
