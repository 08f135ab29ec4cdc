"""Demo data for procurement: see demo_data.py."""


def seed(run) -> None:
    from commissioning.procurement.demo_data import seed_procurement

    seed_procurement(run)
