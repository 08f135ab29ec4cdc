"""The office's stage model, read from its policy pack, and which steps a project's value
makes required. Pure functions: no queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from commissioning.core.money import to_money


@dataclass(frozen=True)
class Step:
    code: str
    title: str
    description: str = ""
    required_from: Decimal | None = None

    def required_at(self, value: Decimal) -> bool:
        """Required for a project of this value: from `required_from` pounds up, inclusive."""
        return self.required_from is not None and value >= self.required_from


@dataclass(frozen=True)
class Stage:
    code: str
    title: str
    description: str = ""
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def required_steps(self, value: Decimal) -> list[Step]:
        return [step for step in self.steps if step.required_at(value)]

    def step(self, code: str) -> Step | None:
        return next((step for step in self.steps if step.code == code), None)


def stage_model(policy) -> list[Stage]:
    """The stages in order, from the office's policy (the pack's `policy.stage_model`)."""
    stages = []
    for row in policy.stage_model or []:
        steps = tuple(
            Step(
                code=s["code"],
                title=s["title"],
                description=s.get("description", ""),
                required_from=(
                    to_money(s["required_from"]) if s.get("required_from") is not None else None
                ),
            )
            for s in row.get("steps", [])
        )
        stages.append(
            Stage(
                code=row["code"],
                title=row["title"],
                description=row.get("description", ""),
                steps=steps,
            )
        )
    return stages


def stage_named(stages: list[Stage], code: str) -> Stage | None:
    return next((stage for stage in stages if stage.code == code), None)


def stage_after(stages: list[Stage], code: str) -> Stage | None:
    """The next stage, or None after the last (or for a code the model does not hold)."""
    codes = [stage.code for stage in stages]
    if code not in codes or codes.index(code) == len(codes) - 1:
        return None
    return stages[codes.index(code) + 1]


def stages_up_to(stages: list[Stage], code: str) -> list[Stage]:
    """The stages a project at `code` has reached, the current one included."""
    codes = [stage.code for stage in stages]
    if code not in codes:
        return []
    return stages[: codes.index(code) + 1]


def missing_steps(stage: Stage, value: Decimal, done: set[str]) -> list[Step]:
    """The steps the stage requires at this value that are not done, in the pack's order."""
    return [step for step in stage.required_steps(value) if step.code not in done]
