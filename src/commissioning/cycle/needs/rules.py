"""Gaps in provision (CY2): where a needs assessment finds need, by area and plan priority,
and no current service on the map covers it. Pure functions over plain values.

A record with no areas covers the office's whole area. A service covers a need's priority when
it names that priority, one above it in the plan's tree or one below it: a service for
"Protecting vulnerable people" covers a need for its particular "Domestic abuse", and the
reverse."""

from dataclasses import dataclass, field
from decimal import Decimal

from commissioning.cycle.needs.models import NEED_RANK


@dataclass(frozen=True)
class Need:
    level: str
    areas: frozenset[int]
    priorities: frozenset[int]


@dataclass(frozen=True)
class Service:
    areas: frozenset[int]
    priorities: frozenset[int]
    funding: Decimal | None = None


@dataclass
class Cell:
    area_id: int
    priority_id: int
    level: str | None = None  # the highest level of need assessed here
    needs: int = 0
    services: int = 0
    funding: Decimal = Decimal("0.00")

    @property
    def is_gap(self) -> bool:
        return self.needs > 0 and self.services == 0


@dataclass
class GapTable:
    area_ids: list[int]
    priority_ids: list[int]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)

    def cell(self, area_id: int, priority_id: int) -> Cell:
        return self.cells[(area_id, priority_id)]

    def gaps(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.is_gap]

    def gaps_in_area(self, area_id: int) -> dict[str, int]:
        """How many gaps the area has at each level of need."""
        counts = dict.fromkeys(NEED_RANK, 0)
        for priority_id in self.priority_ids:
            cell = self.cells[(area_id, priority_id)]
            if cell.is_gap:
                counts[cell.level] += 1
        return counts


def related(parents: dict[int, int | None], a: int, b: int) -> bool:
    """Whether a and b are the same priority, or one sits above the other in the tree."""
    return a == b or b in ancestors(parents, a) or a in ancestors(parents, b)


def ancestors(parents: dict[int, int | None], node: int) -> set[int]:
    found: set[int] = set()
    current = parents.get(node)
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return found


def gap_table(
    *,
    area_ids: list[int],
    priority_order: list[int],
    parents: dict[int, int | None],
    needs: list[Need],
    services: list[Service],
) -> GapTable:
    """The matrix of areas by the priorities some need names, in the plan's order."""
    named = set().union(*(n.priorities for n in needs)) if needs else set()
    priority_ids = [p for p in priority_order if p in named]
    table = GapTable(area_ids=list(area_ids), priority_ids=priority_ids)
    everywhere = frozenset(area_ids)
    for area_id in area_ids:
        for priority_id in priority_ids:
            table.cells[(area_id, priority_id)] = Cell(area_id, priority_id)
    for need in needs:
        for area_id in need.areas or everywhere:
            for priority_id in need.priorities:
                cell = table.cells.get((area_id, priority_id))
                if cell is None:
                    continue
                cell.needs += 1
                if cell.level is None or NEED_RANK[need.level] > NEED_RANK[cell.level]:
                    cell.level = need.level
    for service in services:
        covered = [
            p for p in priority_ids if any(related(parents, p, q) for q in service.priorities)
        ]
        for area_id in service.areas or everywhere:
            for priority_id in covered:
                cell = table.cells.get((area_id, priority_id))
                if cell is None:
                    continue
                cell.services += 1
                cell.funding += service.funding or Decimal("0.00")
    return table
