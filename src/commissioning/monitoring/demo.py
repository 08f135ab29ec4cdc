"""Demo data for monitoring (seed_demo, after the awards' step): a schedule for every award
that has none, and in every office a return due, one submitted, one accepted and one returned
with comments. Running it again changes nothing."""


def seed(run) -> None:
    from commissioning.monitoring.demo_data import seed_all

    seed_all(run)
