"""What higher apps register with lower ones is read in layer order (issue 8, item 2)."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from commissioning.core import registry


def _app_of(entry) -> str:
    module = entry.__module__ if callable(entry) else "commissioning." + entry.split("/")[0]
    return module.split(".")[1]


def _layer(app_label: str) -> int:
    return [config.label for config in apps.get_app_configs()].index(app_label)


def test_demo_steps_run_in_layer_order():
    steps = [_app_of(step) for step in registry.demo_steps]
    assert steps == sorted(steps, key=_layer)
    assert {
        "offices",
        "accounts",
        "organisations",
        "cycle",
        "applications",
        "assessment",
        "decisions",
        "awards",
        "monitoring",
    } <= set(steps)


def test_staff_home_panels_and_application_sections_come_from_the_apps_above():
    panels = list(registry.staff_home_panels)
    assert [_app_of(p) for p in panels] == sorted((_app_of(p) for p in panels), key=_layer)
    assert {
        "assessment/staff/_home_panel.html",
        "decisions/staff/_home_panel.html",
        "awards/staff/_home_panel.html",
        "awards/claims/staff/_home_panel.html",
        "monitoring/staff/_home_panel.html",
    } <= set(panels)
    assert list(registry.application_page_sections) == [
        "assessment/staff/_application_panel.html",
        "decisions/staff/_application_panel.html",
    ]


def test_a_registry_reads_entries_by_layer_whatever_the_order_they_came_in():
    panels = registry.Registry("example")
    panels.register("decisions", "decisions/x.html")
    panels.register("accounts", "accounts/x.html")
    panels.register("assessment", "assessment/x.html")
    panels.register("accounts", "accounts/x.html")  # twice: kept once
    assert list(panels) == ["accounts/x.html", "assessment/x.html", "decisions/x.html"]


def test_an_unanswered_question_says_so():
    question = registry.Answer("which offices?")
    with pytest.raises(ImproperlyConfigured, match="which offices"):
        question(None)
    question.provide(lambda user: {1})
    assert question(None) == {1}
