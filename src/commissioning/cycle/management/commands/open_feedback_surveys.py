from django.core.management.base import BaseCommand

from commissioning.cycle.engagement.services import surveys_open_due


class Command(BaseCommand):
    help = (
        "Open a feedback survey on the process for each round whose deadline has passed and "
        "each procurement exercise whose award is signed, and e-mail its link to the "
        "organisations involved. Opens one survey per round or exercise however often it runs; "
        "safe to run every hour."
    )

    def handle(self, *args, **options):
        surveys = surveys_open_due()
        self.stdout.write(f"Opened {len(surveys)} feedback surveys.")
