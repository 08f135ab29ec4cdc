"""Gaps in provision by area and plan priority (CY2): need assessed and no current service."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.cycle.needs.models import NeedLevel
from commissioning.cycle.needs.rules import Need, Service, gap_table
from commissioning.cycle.needs.selectors import office_gaps
from commissioning.cycle.needs.services import needs_assessment_save, provision_save

# A plan tree: 1 > 11, 12; 2
PARENTS = {1: None, 11: 1, 12: 1, 2: None}
ORDER = [1, 11, 12, 2]
AREAS = [100, 200]


def _table(needs, services):
    return gap_table(
        area_ids=AREAS, priority_order=ORDER, parents=PARENTS, needs=needs, services=services
    )


def test_need_without_a_service_is_a_gap_and_a_service_covers_it():
    table = _table([Need("high", frozenset({100}), frozenset({11}))], [])
    assert table.priority_ids == [11]
    assert table.cell(100, 11).is_gap and table.cell(100, 11).level == "high"
    assert not table.cell(200, 11).is_gap  # no need assessed there
    table = _table(
        [Need("high", frozenset({100}), frozenset({11}))],
        [Service(frozenset({100}), frozenset({11}), Decimal("5000"))],
    )
    assert not table.gaps()
    assert table.cell(100, 11).funding == Decimal("5000")


def test_a_service_covers_the_priority_above_or_below_but_not_a_sibling():
    need = Need("medium", frozenset(), frozenset({11}))  # no areas: the whole area
    assert not _table([need], [Service(frozenset(), frozenset({1}))]).gaps()  # parent
    child_need = Need("medium", frozenset(), frozenset({1}))
    assert not _table([child_need], [Service(frozenset(), frozenset({11}))]).gaps()  # child
    sibling = _table([need], [Service(frozenset(), frozenset({12}))])
    assert {(c.area_id, c.priority_id) for c in sibling.gaps()} == {(100, 11), (200, 11)}
    other_tree = _table([need], [Service(frozenset(), frozenset({2}))])
    assert len(other_tree.gaps()) == 2


def test_a_service_in_one_area_leaves_the_other_a_gap_and_levels_take_the_highest():
    needs = [
        Need("low", frozenset(), frozenset({2})),
        Need("high", frozenset({200}), frozenset({2})),
    ]
    table = _table(needs, [Service(frozenset({100}), frozenset({2}))])
    assert [(c.area_id, c.level) for c in table.gaps()] == [(200, "high")]
    assert table.cell(100, 2).needs == 1 and table.cell(200, 2).needs == 2
    assert table.gaps_in_area(200) == {"high": 1, "medium": 0, "low": 0}


@pytest.mark.django_db
def test_office_gaps_reads_current_services_only(office):
    areas = list(office.areas.order_by("name"))
    priority = office.plans.get(is_current=True).priorities.filter(selectable=True).first()
    today = timezone.localdate()
    needs_assessment_save(
        office=office,
        actor=None,
        values={
            "title": "Need",
            "evidence": "Evidence",
            "source": "Source",
            "assessed_on": today,
            "level": NeedLevel.HIGH,
        },
        priorities=[priority],
    )
    ended = {
        "name": "Old service",
        "provider": "P",
        "description": "d",
        "annual_funding": Decimal("100"),
        "starts_on": today - dt.timedelta(days=400),
        "ends_on": today - dt.timedelta(days=1),
    }
    provision_save(office=office, actor=None, values=ended, priorities=[priority])
    data = office_gaps(office, today)
    assert data["gap_count"] == len(areas)
    provision_save(
        office=office,
        actor=None,
        values={**ended, "name": "Current", "ends_on": today},
        areas=areas[:1],
        priorities=[priority],
    )
    data = office_gaps(office, today)
    assert data["gap_count"] == len(areas) - 1
    bars = {bar["label"]: bar["total"] for bar in data["chart"]["bars"]}
    assert bars[areas[0].name] == 0
    assert all(bars[a.name] == 1 for a in areas[1:])
