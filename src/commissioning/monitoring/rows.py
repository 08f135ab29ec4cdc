"""The rows a return reports against. An award's return: its application's outputs (whole
numbers delivered), outcomes and budget lines. Another subject's return (a contract's): the
measures its schedule keeps (a figure for each, such as a percentage) and the items it reports
on (for a victims' service, the national commissioning standards and the Victims' Code rights
it supports). Measures look like outputs to the form, the pages and the checks: `pk`,
`description` and `quantity` (the target)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Measure:
    pk: str
    description: str
    quantity: str


@dataclass(frozen=True)
class Item:
    pk: str
    description: str
    how: str
    group: str


@dataclass
class Rows:
    outputs: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    budget_lines: list = field(default_factory=list)
    items: list = field(default_factory=list)
    # Figures with decimals against measures, rather than whole numbers against outputs.
    figures: bool = False


def _target(measure: dict) -> str:
    target = str(measure.get("target", "")).removesuffix(".00")
    unit = str(measure.get("unit", "") or "").strip()
    return f"{target}{unit}" if unit == "%" else " ".join(p for p in (target, unit) if p)


def rows_of(ret) -> Rows:
    """The rows of `ret`, from its award's application (prefetched where the caller can) or
    from its schedule."""
    schedule = ret.schedule
    if ret.award_id:
        application = ret.award.application
        return Rows(
            outputs=list(application.outputs.all()),
            outcomes=list(application.outcomes.all()),
            budget_lines=list(application.budget_lines.all()),
        )
    return Rows(
        outputs=[
            Measure(pk=str(m["code"]), description=m["title"], quantity=_target(m))
            for m in schedule.measures
        ],
        items=[
            Item(pk=str(i["code"]), description=i["title"], how=i.get("how", ""), group=i["group"])
            for i in schedule.items
        ],
        figures=True,
    )
