"""Demo data for monitoring (seed_demo, after the awards' step): a schedule for every award
that has none, and in every office a return due, one submitted, one accepted and one returned
with comments. The decisions' demo makes its awards once its transaction commits, so this step
runs after them, on commit too. Running it again changes nothing."""

from functools import partial

from django.db import transaction


def seed(run) -> None:
    from commissioning.monitoring.demo_data import seed_all

    transaction.on_commit(partial(seed_all, run))
