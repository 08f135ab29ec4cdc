from django.core.management.base import BaseCommand

from commissioning.monitoring.retention.services import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of awards that ended more than their office's retention "
        "period ago (six years unless the pack says otherwise); financial records and "
        "aggregate figures are kept. Each award is done once and audited. Safe to run nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would change; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        result = retention_apply(dry_run=dry_run)
        for reference, changes in result.items():
            self.stdout.write(f"{reference}: {len(changes)} value(s)")
            for change in changes:
                what = "document removed" if change.field == "file" else change.field
                self.stdout.write(f"  {change.model} {change.pk} {what}")
        total = sum(len(c) for c in result.values())
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {total} value(s) across {len(result)} award(s).")
