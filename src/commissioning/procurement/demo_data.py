def seed_procurement(run) -> None:
    return None
