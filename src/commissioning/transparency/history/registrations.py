"""What the dashboards, reports and audit pages register with lower apps at start-up."""


def register(app_label: str) -> None:
    from commissioning.core import registry
    from commissioning.transparency.history import permissions  # noqa: F401 - the rules
    from commissioning.transparency.history.links import history_link

    registry.staff_home_panels.register(app_label, "transparency/dashboards/_home_panel.html")
    registry.record_history_links.register(app_label, history_link)
