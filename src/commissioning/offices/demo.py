"""The offices of the demo (seed_demo): every policy pack in packs/, when none is loaded yet."""

from django.core.management import call_command

from commissioning.offices.models import Office


def seed(run) -> None:
    if not Office.objects.exists():
        call_command("load_pack", all=True, verbosity=0)
