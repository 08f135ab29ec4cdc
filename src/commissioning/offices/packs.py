"""Policy packs: read, validate and load an office's set-up from one YAML file (ST8).

A pack is checked in full (YAML syntax, the schema, then the cross-references the schema cannot
express) before a single row is written; loading runs in one transaction, compares each row with
what is stored, and writes only what changed, so loading the same pack twice changes nothing.
Rows that an edited pack no longer lists are archived, never deleted.
"""

import copy
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.db import transaction
from django.utils import timezone

from commissioning.audit.services import audit_event_record
from commissioning.core.money import share_of, to_money
from commissioning.offices.models import (
    Area,
    Budget,
    BudgetTopSlice,
    Fund,
    FundingSource,
    Office,
    OfficePolicy,
    Plan,
    Priority,
)
from commissioning.offices.rules import (
    AGREEMENT_PLACEHOLDERS,
    AGREEMENT_REQUIRED_TOPICS,
    placeholders_in,
)

SCHEMA_PATH = Path(__file__).with_name("pack_schema.yaml")
# Office pages live at /<slug>/, so a slug must not take a path the site uses.
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "admin",
        "api",
        "applications",
        "demo",
        "endorse",
        "feedback",
        "media",
        "organisations",
        "staff",
        "static",
    }
)


@dataclass(frozen=True)
class PackProblem:
    path: str
    line: int | None
    message: str

    def format(self, filename: str) -> str:
        where = f"{self.path} (line {self.line})" if self.line else self.path
        return f"{filename}: {where}: {self.message}" if where else f"{filename}: {self.message}"


class PackError(Exception):
    """The pack cannot be loaded. `problems` says where and why, in plain English."""

    def __init__(self, filename: str, problems: list[PackProblem]):
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(p.format(filename) for p in problems))


@dataclass
class LoadReport:
    office: Office
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived)

    def summary(self) -> str:
        return (
            f"{self.office.name}: {self.created} created, {self.updated} updated, "
            f"{self.archived} archived, {self.unchanged} unchanged"
        )


@cache
def pack_schema() -> dict:
    return yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))


# Reading -------------------------------------------------------------------------------------


def _format_path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(root: yaml.Node | None, parts) -> int | None:
    """The 1-based line of the YAML node at a key path, or of its nearest parent."""
    node, line = root, (root.start_mark.line + 1 if root else None)
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    node, line = value_node, key_node.start_mark.line + 1
                    break
            else:
                return line
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


class _UniqueKeyLoader(yaml.SafeLoader):
    """Refuses a mapping that names the same key twice (YAML would silently keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# YAML turns 2024-04-01 into a date; the schema expects text, so keep dates as written.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _is_money(schema: dict) -> bool:
    return str(schema.get("description", "")).startswith("Pounds")


def _plain(error: jsonschema.ValidationError) -> str:
    """Turn a schema error into advice a pack author can act on."""
    value = error.instance
    shown = repr(value) if not isinstance(value, (dict, list)) else _article(type(value).__name__)
    kind = error.validator
    if _is_money(error.schema):
        return _money_advice(value)
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"the key '{missing}' is missing"
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return f"unknown key {', '.join(repr(k) for k in extra)}: check the spelling"
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return f"{shown} is not allowed here; use one of: {choices}"
    if kind == "const":
        return f"must be {error.validator_value!r}, not {shown}"
    if kind == "type":
        wanted = error.validator_value
        wanted = (
            " or ".join(map(_article, wanted)) if isinstance(wanted, list) else _article(wanted)
        )
        return f"must be {wanted}, not {shown}"
    if kind == "minItems":
        return f"needs at least {error.validator_value} item(s)"
    if kind == "uniqueItems":
        return "lists the same value twice"
    if kind in {"minimum", "maximum", "exclusiveMinimum"}:
        return f"{shown} is out of range ({kind} {error.validator_value})"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxLength":
        return f"is longer than {error.validator_value} characters"
    if kind == "format":
        return f"{shown} is not a valid {error.validator_value}"
    if kind == "pattern":
        return f"{shown} is not in the expected form (pattern {error.validator_value})"
    return error.message


def _money_advice(value) -> str:
    return (
        f"{value!r} is not an amount: write pounds as a whole number (20000) "
        'or as text with pence ("20000.50"), without commas or a £ sign'
    )


def _article(word: str) -> str:
    names = {
        "integer": "a whole number",
        "number": "a number",
        "string": "text",
        "object": "a mapping of keys",
        "array": "a list",
        "boolean": "true or false",
        "dict": "a mapping of keys",
        "list": "a list",
    }
    return names.get(word, word)


def _schema_problems(data: Any, root: yaml.Node) -> list[PackProblem]:
    validator = jsonschema.Draft202012Validator(
        pack_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        # For oneOf/anyOf, report the most specific sub-error unless it is a money field.
        best = error
        if error.validator in {"oneOf", "anyOf"} and error.context and not _is_money(error.schema):
            candidates = error.context
            if isinstance(error.instance, dict):
                # A mapping was meant for the branch that takes a mapping: not "use one of".
                inside = [
                    e
                    for e in candidates
                    if e.validator not in {"enum", "type", "const"}
                    or e.absolute_path != error.absolute_path
                ]
                candidates = inside or candidates
            best = jsonschema.exceptions.best_match(candidates)
        parts = list(best.absolute_path)
        problems.append(PackProblem(_format_path(parts), _line_of(root, parts), _plain(best)))
    return problems


def _walk_items(items, parents=()):
    for index, item in enumerate(items):
        path = (*parents, index)
        yield path, item
        yield from _walk_items(item.get("children", []), (*path, "children"))


def _semantic_problems(data: dict, root: yaml.Node) -> list[PackProblem]:
    """Cross-references and arithmetic that a JSON Schema cannot express."""
    problems: list[PackProblem] = []

    def problem(parts, message):
        problems.append(PackProblem(_format_path(parts), _line_of(root, parts), message))

    def unique(section: str, key: str, rows):
        seen: dict[str, int] = {}
        for index, row in enumerate(rows):
            value = row[key]
            if value in seen:
                problem(
                    [section, index, key],
                    f"{key} '{value}' is used twice (also {section}[{seen[value]}])",
                )
            seen.setdefault(value, index)

    slug = data["office"]["slug"]
    if slug in RESERVED_SLUGS:
        problem(["office", "slug"], f"'{slug}' is used by the site itself; choose another slug")
    plan = data["plan"]
    if plan["ends_on"] <= plan["starts_on"]:
        problem(["plan", "ends_on"], "the plan must end after it starts")
    seen_codes: dict[str, str] = {}
    for parts, item in _walk_items(plan["items"], ("plan", "items")):
        if item["code"] in seen_codes:
            problem(
                [*parts, "code"],
                f"plan item code '{item['code']}' is used twice (also {seen_codes[item['code']]})",
            )
        seen_codes.setdefault(item["code"], _format_path(parts))

    unique("areas", "ons_code", data["areas"])
    unique("areas", "name", data["areas"])
    unique("funding_sources", "code", data["funding_sources"])
    unique("funds", "code", data["funds"])

    sources = {s["code"] for s in data["funding_sources"]}
    for f_index, fund in enumerate(data["funds"]):
        for s_index, code in enumerate(fund["funding_sources"]):
            if code not in sources:
                problem(
                    ["funds", f_index, "funding_sources", s_index],
                    f"'{code}' is not one of the funding_sources codes "
                    f"({', '.join(sorted(sources))})",
                )
        award = fund.get("award", {})
        if "min" in award and "max" in award and to_money(award["min"]) > to_money(award["max"]):
            problem(["funds", f_index, "award", "min"], "the minimum award is above the maximum")
        if fund.get("purpose_required") and not fund.get("purposes"):
            problem(["funds", f_index, "purposes"], "purpose_required needs at least one purpose")
        if fund.get("purpose_required"):
            for p_index, purpose in enumerate(fund.get("purposes", [])):
                if not purpose.get("keywords"):
                    problem(
                        ["funds", f_index, "purposes", p_index, "keywords"],
                        "a required purpose needs keywords, so that screening can check a "
                        "ticked purpose against what the application says",
                    )
        years = [b["year"] for b in fund["budgets"]]
        for b_index, budget in enumerate(fund["budgets"]):
            if years.count(budget["year"]) > 1:
                problem(
                    ["funds", f_index, "budgets", b_index, "year"],
                    f"financial year {budget['year']} has two budgets",
                )
            allocation = to_money(budget["allocation"])
            total = sum(
                (_top_slice_amount(allocation, t) for t in budget.get("top_slices", [])), Decimal(0)
            )
            if total > allocation:
                problem(
                    ["funds", f_index, "budgets", b_index, "top_slices"],
                    f"top-slices (£{total:,}) add up to more than the allocation (£{allocation:,})",
                )
            for t_index, top in enumerate(budget.get("top_slices", [])):
                numerator, _, denominator = top.get("share", "1/1").partition("/")
                if int(numerator) > int(denominator):
                    problem(
                        ["funds", f_index, "budgets", b_index, "top_slices", t_index, "share"],
                        "a share cannot be more than the whole",
                    )

    cost_lists = [(["policy", "application"], data["policy"]["application"])]
    cost_lists += [(["funds", f_index], fund) for f_index, fund in enumerate(data["funds"])]
    for parts, section in cost_lists:
        seen_categories: set[str] = set()
        for c_index, item in enumerate(section.get("ineligible_costs", [])):
            category = _cost_category(item)
            if category in seen_categories:
                problem(
                    [*parts, "ineligible_costs", c_index],
                    f"cost category '{category}' is listed twice",
                )
            seen_categories.add(category)

    rubrics = [(["policy", "assessment", "rubric"], data["policy"]["assessment"]["rubric"])]
    rubrics += [
        (["funds", f_index, "rubric"], fund["rubric"])
        for f_index, fund in enumerate(data["funds"])
        if "rubric" in fund
    ]
    for parts, rubric in rubrics:
        if sum(c["weight"] for c in rubric) != 100:
            total = sum(c["weight"] for c in rubric)
            problem(parts, f"weights add up to {total}, not 100")
        if len({c["code"] for c in rubric}) != len(rubric):
            problem(parts, "two criteria share a code")
    shares = data["policy"]["assessment"].get("allocation", {})
    for kind in ("area", "priority"):
        low, high = shares.get(f"{kind}_share_min"), shares.get(f"{kind}_share_max")
        if low is not None and high is not None and low > high:
            problem(
                ["policy", "assessment", "allocation", f"{kind}_share_min"],
                f"the smallest {kind} share is above the largest",
            )
    tiers = data["policy"]["application"]["tiers"]
    limits = [to_money(t["up_to"]) for t in tiers if "up_to" in t]
    if "up_to" in tiers[-1] or len(limits) != len(tiers) - 1 or limits != sorted(set(limits)):
        problem(
            ["policy", "application", "tiers"],
            "tiers must rise in 'up_to' order, and only the last may leave 'up_to' out",
        )
    fund_codes = {f["code"] for f in data["funds"]}
    for r_index, rule in enumerate(data["policy"]["monitoring"]["rules"]):
        for c_index, code in enumerate(rule.get("when", {}).get("fund_codes", [])):
            if code not in fund_codes:
                problem(
                    ["policy", "monitoring", "rules", r_index, "when", "fund_codes", c_index],
                    f"'{code}' is not the code of a fund in this pack",
                )
    for key in ("victims_fund_codes", "contract_fund_codes"):
        for c_index, code in enumerate(data["policy"]["monitoring"].get(key, [])):
            if code not in fund_codes:
                problem(
                    ["policy", "monitoring", key, c_index],
                    f"'{code}' is not the code of a fund in this pack",
                )

    problems.extend(_stage_problems(data["policy"]["stage_model"], root))
    problems.extend(_band_problems(data["policy"]["procurement"]["bands"], root))
    problems.extend(_tender_problems(data["policy"]["procurement"], root))
    problems.extend(_tier_problems(data["policy"]["sign_off"]["tiers"], root))
    problems.extend(_agreement_problems(data, root))
    return problems


def _stage_problems(stages: list[dict], root) -> list[PackProblem]:
    """Stage codes are unique, and so are step codes across the whole model: a step's code
    names the evidence that completes it."""
    problems: list[PackProblem] = []
    stage_codes: set[str] = set()
    step_codes: dict[str, str] = {}
    for s_index, stage in enumerate(stages):
        parts = ["policy", "stage_model", s_index]
        if stage["code"] in stage_codes:
            problems.append(
                PackProblem(
                    _format_path([*parts, "code"]),
                    _line_of(root, [*parts, "code"]),
                    f"stage code '{stage['code']}' is used twice",
                )
            )
        stage_codes.add(stage["code"])
        for t_index, step in enumerate(stage.get("steps", [])):
            if step["code"] in step_codes:
                where = [*parts, "steps", t_index, "code"]
                problems.append(
                    PackProblem(
                        _format_path(where),
                        _line_of(root, where),
                        f"step code '{step['code']}' is used twice "
                        f"(also in stage {step_codes[step['code']]})",
                    )
                )
            step_codes.setdefault(step["code"], stage["code"])
    return problems


def _agreement_problems(data: dict, root) -> list[PackProblem]:
    """Each fund names a template that exists; each template's clauses cover every topic of
    AG1 and use only the placeholders the agreement can fill."""
    problems = []

    def problem(parts, message):
        problems.append(PackProblem(_format_path(parts), _line_of(root, parts), message))

    section = data["policy"].get("agreements")
    templates = section["templates"] if section else []
    codes: dict[str, int] = {}
    for t_index, template in enumerate(templates):
        base = ["policy", "agreements", "templates", t_index]
        if template["code"] in codes:
            problem([*base, "code"], f"template code '{template['code']}' is used twice")
        codes.setdefault(template["code"], t_index)
        covered = {topic for clause in template["clauses"] for topic in clause["covers"]}
        missing = [t for t in AGREEMENT_REQUIRED_TOPICS if t not in covered]
        if missing:
            problem(
                [*base, "clauses"],
                "no clause covers " + ", ".join(m.replace("_", " ") for m in missing),
            )
        for c_index, clause in enumerate(template["clauses"]):
            unknown = placeholders_in(clause["text"]) - AGREEMENT_PLACEHOLDERS
            if unknown:
                problem(
                    [*base, "clauses", c_index, "text"],
                    "unknown placeholder "
                    + ", ".join("{" + u + "}" for u in sorted(unknown))
                    + f" (use {', '.join(sorted(AGREEMENT_PLACEHOLDERS))})",
                )
    for f_index, fund in enumerate(data["funds"]):
        code = fund.get("agreement_template")
        if code is not None and code not in codes:
            problem(
                ["funds", f_index, "agreement_template"],
                f"'{code}' is not the code of a template in policy.agreements.templates",
            )
    return problems


def _tender_problems(procurement: dict, root) -> list[PackProblem]:
    """The quality and cost split adds up to 100, and so do the quality criteria's weights,
    each code used once."""
    problems = []
    base = ["policy", "procurement"]
    split = procurement.get("quality_cost_split")
    if split and split["quality"] + split["cost"] != 100:
        parts = [*base, "quality_cost_split"]
        problems.append(
            PackProblem(
                _format_path(parts),
                _line_of(root, parts),
                f"quality and cost must add up to 100, not {split['quality'] + split['cost']}",
            )
        )
    criteria = procurement.get("tender_criteria", [])
    if criteria and sum(c["weight"] for c in criteria) != 100:
        parts = [*base, "tender_criteria"]
        problems.append(
            PackProblem(
                _format_path(parts),
                _line_of(root, parts),
                "the weights of the tender criteria must add up to 100, not "
                f"{sum(c['weight'] for c in criteria)}",
            )
        )
    seen: set[str] = set()
    for index, criterion in enumerate(criteria):
        if criterion["code"] in seen:
            parts = [*base, "tender_criteria", index, "code"]
            problems.append(
                PackProblem(
                    _format_path(parts),
                    _line_of(root, parts),
                    f"criterion code '{criterion['code']}' is used twice",
                )
            )
        seen.add(criterion["code"])
    return problems


def _band_problems(bands, root) -> list[PackProblem]:
    problems = []
    expected = Decimal(0)
    for index, band in enumerate(bands):
        parts = ["policy", "procurement", "bands", index]
        start = to_money(band["from"])
        if start != expected:
            problems.append(
                PackProblem(
                    _format_path([*parts, "from"]),
                    _line_of(root, [*parts, "from"]),
                    f"bands must follow on without gaps or overlaps: expected from {expected}, "
                    f"found {start}",
                )
            )
        if "below" not in band:
            if index != len(bands) - 1:
                problems.append(
                    PackProblem(
                        _format_path(parts),
                        _line_of(root, parts),
                        "only the last band may leave out 'below'",
                    )
                )
            return problems
        expected = to_money(band["below"])
        if expected <= start:
            problems.append(
                PackProblem(
                    _format_path([*parts, "below"]),
                    _line_of(root, [*parts, "below"]),
                    "'below' must be more than 'from'",
                )
            )
    parts = ["policy", "procurement", "bands", len(bands) - 1]
    problems.append(
        PackProblem(
            _format_path(parts),
            _line_of(root, parts),
            "the last band must leave out 'below' so that every value has a route",
        )
    )
    return problems


def _tier_problems(tiers, root) -> list[PackProblem]:
    problems = []
    expected = Decimal(0)
    for index, tier in enumerate(tiers):
        parts = ["policy", "sign_off", "tiers", index]
        over = to_money(tier["over"])
        if over != expected:
            problems.append(
                PackProblem(
                    _format_path([*parts, "over"]),
                    _line_of(root, [*parts, "over"]),
                    f"tiers must follow on without gaps or overlaps: expected over {expected}, "
                    f"found {over}",
                )
            )
        if "up_to" not in tier:
            if index != len(tiers) - 1:
                problems.append(
                    PackProblem(
                        _format_path(parts),
                        _line_of(root, parts),
                        "only the last tier may leave out 'up_to'",
                    )
                )
            return problems
        expected = to_money(tier["up_to"])
    parts = ["policy", "sign_off", "tiers", len(tiers) - 1]
    problems.append(
        PackProblem(
            _format_path(parts),
            _line_of(root, parts),
            "the last tier must leave out 'up_to' so that every amount has signatories",
        )
    )
    return problems


def _top_slice_amount(allocation: Decimal, top_slice: dict) -> Decimal:
    if "amount" in top_slice:
        return to_money(top_slice["amount"])
    numerator, _, denominator = top_slice["share"].partition("/")
    return share_of(allocation, int(numerator), int(denominator))


# Packs already parsed and validated, by the sha256 of their bytes: the same bytes always give
# the same data, so a pack read again (a reload, every test that loads one) skips the work.
_VALID_PACKS: dict[str, dict] = {}
_VALID_PACKS_KEPT = 32


def read_pack(path: Path | str) -> tuple[dict, str]:
    """Parse and validate a pack. Returns (data, sha256) or raises PackError; writes nothing."""
    path = Path(path)
    filename = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problem = PackProblem("", None, f"cannot read the file: {exc.strerror}")
        raise PackError(filename, [problem]) from exc
    digest = hashlib.sha256(raw).hexdigest()
    if digest not in _VALID_PACKS:
        data = _parse_and_validate(raw, filename)
        if len(_VALID_PACKS) >= _VALID_PACKS_KEPT:
            _VALID_PACKS.pop(next(iter(_VALID_PACKS)))
        _VALID_PACKS[digest] = data
    return copy.deepcopy(_VALID_PACKS[digest]), digest


def _parse_and_validate(raw: bytes, filename: str) -> dict:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = PackProblem("", None, "the file is not UTF-8 text")
        raise PackError(filename, [problem]) from exc
    try:
        root = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"the YAML cannot be read: {reason}" + (f" ({context})" if context else "")
        problem = PackProblem("", mark.line + 1 if mark else None, message)
        raise PackError(filename, [problem]) from exc
    if not isinstance(data, dict):
        raise PackError(filename, [PackProblem("", 1, "a pack must be a mapping of keys")])
    problems = _schema_problems(data, root)
    if not problems:
        problems = _semantic_problems(data, root)
    if problems:
        raise PackError(filename, problems)
    return data


# Loading -------------------------------------------------------------------------------------


def _assumed_paths(value: Any, parts=()) -> list[str]:
    """Every key path the pack marks as assumed, for the office to confirm."""
    found: list[str] = []
    if isinstance(value, dict):
        marker = value.get("assumed")
        label = _format_path(parts)
        if marker is True:
            found.append(label or "(whole pack)")
        elif isinstance(marker, list):
            found.extend(f"{label}.{key}" if label else key for key in marker)
        for key, child in value.items():
            if key != "assumed":
                found.extend(_assumed_paths(child, (*parts, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_assumed_paths(child, (*parts, index)))
    return found


def _strip(value: Any) -> Any:
    """Drop the pack-only markers (assumed, note) before storing a section as JSON."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in {"assumed", "note"}}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


class _Writer:
    def __init__(self, report: LoadReport | None, actor):
        self.report = report
        self.actor = actor

    def upsert(self, model, lookup: dict, values: dict):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            extra = {"created_by": self.actor} if hasattr(model, "created_by_id") else {}
            obj = model.objects.create(**lookup, **values, **extra)
            self.report.created += 1
            self.report.changes.append(f"created {model._meta.verbose_name} {obj}")
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            if hasattr(obj, "updated_by_id"):
                obj.updated_by = self.actor
                changed.append("updated_by")
            obj.save(
                update_fields=[*changed, "updated_at"] if hasattr(obj, "updated_at") else changed
            )
            self.report.updated += 1
            self.report.changes.append(f"updated {model._meta.verbose_name} {obj}")
        else:
            self.report.unchanged += 1
        return obj

    def archive_missing(self, queryset, keep_ids):
        stale = queryset.filter(archived_at__isnull=True).exclude(pk__in=keep_ids)
        for obj in stale:
            self.report.changes.append(f"archived {obj._meta.verbose_name} {obj}")
        self.report.archived += stale.update(archived_at=timezone.now())


def _money_or_none(value):
    return None if value is None else to_money(value)


def _cost_category(item) -> str:
    """The category of an ineligible_costs item: a code, or {category, signals}."""
    return item if isinstance(item, str) else item["category"]


def _ineligible_costs(*lists) -> tuple[list[str], dict[str, list[str]]]:
    """The categories of the lists together, in order, and each one's signal words (the
    office's first, then the fund's)."""
    categories: list[str] = []
    signals: dict[str, list[str]] = {}
    for items in lists:
        for item in items:
            category = _cost_category(item)
            if category not in categories:
                categories.append(category)
            if not isinstance(item, str):
                words = signals.setdefault(category, [])
                words.extend(w for w in item["signals"] if w not in words)
    return categories, signals


# Higher apps that keep figures derived from budgets (the awards ledger) register here in their
# AppConfig.ready(); each handler(*, office, actor) runs inside the loading transaction.
_budgets_loaded_handlers: list = []


def on_budgets_loaded(handler):
    if handler not in _budgets_loaded_handlers:
        _budgets_loaded_handlers.append(handler)
    return handler


def load_pack(path: Path | str, *, actor=None) -> LoadReport:
    """Validate then load a pack in one transaction. Raises PackError having written nothing."""
    data, digest = read_pack(path)
    with transaction.atomic():
        return _load(data, digest, actor)


def _load(data: dict, digest: str, actor) -> LoadReport:
    o = data["office"]
    contact = o["contact"]
    office = Office.objects.filter(slug=o["slug"]).first()
    report = LoadReport(office=office)  # type: ignore[arg-type]
    w = _Writer(report, actor)
    office = w.upsert(
        Office,
        {"slug": o["slug"]},
        {
            "code": o["code"],
            "name": o["name"],
            "short_name": o["short_name"],
            "kind": o["kind"],
            "force_area": o["force_area"],
            "force_area_ons_code": o["force_area_ons_code"],
            "org_id": o.get("org_id", ""),
            "email": contact["email"],
            "phone": contact.get("phone", ""),
            "address": contact.get("address", "").strip(),
            "website": contact.get("website", ""),
        },
    )
    report.office = office

    _load_plan(w, office, data["plan"])
    _load_areas(w, office, data["areas"])
    sources = _load_sources(w, office, data["funding_sources"])
    office_ineligible = data["policy"]["application"].get("ineligible_costs", [])
    _load_funds(w, office, data["funds"], sources, office_ineligible)

    p = data["policy"]
    policy_values = {
        "procurement": _strip(p["procurement"]),
        "sign_off": _strip(p["sign_off"]),
        "monitoring": _strip(p["monitoring"]),
        "publication": _strip(p["publication"]),
        "retention": _strip(p["retention"]),
        "stage_model": _strip(p["stage_model"]),
        "application": _strip(p["application"]),
        "assessment": _assessment_section(p["assessment"], data["funds"]),
        "feedback_to_unsuccessful": p.get("feedback_to_unsuccessful", True),
        "agreements": _agreements_section(p.get("agreements"), data["funds"]),
        "assumptions": _assumed_paths(data),
    }
    policy = w.upsert(OfficePolicy, {"office": office}, policy_values)
    for handler in _budgets_loaded_handlers:
        handler(office=office, actor=actor)
    if report.changed or policy.pack_sha256 != digest:
        policy.pack_sha256 = digest
        policy.pack_loaded_at = timezone.now()
        policy.save(update_fields=["pack_sha256", "pack_loaded_at"])
        audit_event_record(
            actor=actor,
            verb="policy_pack.loaded",
            target=office,
            office=office,
            data={
                "sha256": digest,
                "created": report.created,
                "updated": report.updated,
                "archived": report.archived,
            },
        )
    return report


def _agreements_section(section: dict | None, funds: list[dict]) -> dict:
    """The agreement templates by code, with the template each fund names under `funds`."""
    if not section:
        return {}
    return {
        "countersigned_by": list(section["countersigned_by"]),
        "templates": {
            t["code"]: _strip({k: v for k, v in t.items() if k != "code"})
            for t in section["templates"]
        },
        "funds": {f["code"]: f["agreement_template"] for f in funds if "agreement_template" in f},
    }


def _assessment_section(assessment: dict, funds: list[dict]) -> dict:
    """The assessment rules, with each fund's own rubric and partial-funding floor under
    `funds` by fund code, so that scoring and allocation read one section."""
    section = _strip(assessment)
    per_fund = {}
    for fund in funds:
        own = {
            key: _strip(fund[key])
            for key in ("rubric", "partial_funding_min_fraction")
            if key in fund
        }
        if own:
            per_fund[fund["code"]] = own
    if per_fund:
        section["funds"] = per_fund
    return section


def _load_plan(w: _Writer, office: Office, p: dict) -> None:
    starts = dt.date.fromisoformat(p["starts_on"])
    Plan.objects.filter(office=office, is_current=True).exclude(code=p["code"]).update(
        is_current=False
    )
    plan = w.upsert(
        Plan,
        {"office": office, "code": p["code"]},
        {
            "title": p["title"],
            "vision": p.get("vision", ""),
            "starts_on": starts,
            "ends_on": dt.date.fromisoformat(p["ends_on"]),
            "is_current": True,
        },
    )
    keep: list[int] = []
    position = 0

    def walk(items, parent, depth):
        nonlocal position
        for item in items:
            position += 1
            node = w.upsert(
                Priority,
                {"plan": plan, "code": item["code"]},
                {
                    "parent": parent,
                    "kind": item["kind"],
                    "title": item["title"],
                    "description": item.get("description", "").strip(),
                    "position": position,
                    "depth": depth,
                    "selectable": item.get("selectable", True),
                    "archived_at": None,
                },
            )
            keep.append(node.pk)
            walk(item.get("children", []), node, depth + 1)

    walk(p["items"], None, 0)
    w.archive_missing(Priority.objects.filter(plan=plan), keep)


def _load_areas(w: _Writer, office: Office, areas: list[dict]) -> None:
    keep = [
        w.upsert(
            Area,
            {"office": office, "ons_code": a["ons_code"]},
            {
                "name": a["name"],
                "kind": a["kind"],
                "population": a["population"],
                "population_year": a["population_year"],
                "archived_at": None,
            },
        ).pk
        for a in areas
    ]
    w.archive_missing(Area.objects.filter(office=office), keep)


def _load_sources(w: _Writer, office: Office, rows: list[dict]) -> dict[str, FundingSource]:
    sources = {
        s["code"]: w.upsert(
            FundingSource,
            {"office": office, "code": s["code"]},
            {
                "name": s["name"],
                "kind": s["kind"],
                "legal_basis": s.get("legal_basis", ""),
                "restrictions": s.get("restrictions", "").strip(),
                "archived_at": None,
            },
        )
        for s in rows
    }
    w.archive_missing(FundingSource.objects.filter(office=office), [s.pk for s in sources.values()])
    return sources


def _load_funds(w, office, rows, sources, office_ineligible) -> None:
    keep = []
    for f in rows:
        award = f.get("award", {})
        pilot = f.get("pilot", {})
        multi = f.get("multi_year", {})
        match = f.get("match_funding", {})
        ineligible, signals = _ineligible_costs(office_ineligible, f.get("ineligible_costs", []))
        fund = w.upsert(
            Fund,
            {"office": office, "code": f["code"]},
            {
                "name": f["name"],
                "kind": f["kind"],
                "summary": f["summary"].strip(),
                "guidance": f.get("guidance", "").strip(),
                "permitted_purposes": _strip(f.get("purposes", [])),
                "purpose_required": f.get("purpose_required", False),
                "min_award": _money_or_none(award.get("min")),
                "max_award": _money_or_none(award.get("max")),
                "eligible_applicant_types": f["eligible_applicants"],
                "required_endorsements": _strip(f.get("required_endorsements", [])),
                "ineligible_costs": ineligible,
                "ineligible_cost_signals": signals,
                "is_rolling": f.get("rolling", False),
                "panels_per_year": f.get("panels_per_year"),
                "default_award_months": f["default_award_months"],
                "pilot_max_months": pilot.get("max_months"),
                "pilot_evaluation_required": pilot.get("evaluation_required", False),
                "multi_year": multi.get("allowed", False),
                "max_years": multi.get("max_years", 1),
                "renewal_committed": f.get("renewal_committed", False),
                "match_funding_required": match.get("required", False),
                "match_funding_scores_better": match.get("scores_better", False),
                "open_to_applications": f.get("open_to_applications", True),
                "payment_schedule": _strip(f.get("payment_schedule", {})),
                "assumed": _assumed_paths(f),
                "archived_at": None,
            },
        )
        wanted = {sources[code].pk for code in f["funding_sources"]}
        current = set(fund.funding_sources.values_list("pk", flat=True))
        if wanted != current:
            fund.funding_sources.set(wanted)
            w.report.changes.append(f"updated funding sources of {fund}")
            w.report.updated += 1
        for b in f["budgets"]:
            _load_budget(w, fund, b)
        keep.append(fund.pk)
    w.archive_missing(Fund.objects.filter(office=office), keep)


def _load_budget(w: _Writer, fund: Fund, b: dict) -> None:
    allocation = to_money(b["allocation"])
    budget = w.upsert(
        Budget,
        {"fund": fund, "financial_year": b["year"]},
        {
            "allocation": allocation,
            "is_forecast": b.get("forecast", False),
            "notes": b.get("notes", "").strip(),
        },
    )
    wanted = [
        (t["purpose"], _top_slice_amount(allocation, t), t.get("share", ""))
        for t in b.get("top_slices", [])
    ]
    current = [(t.purpose, t.amount, t.share) for t in budget.top_slices.all()]
    if wanted != current:
        budget.top_slices.all().delete()
        BudgetTopSlice.objects.bulk_create(
            BudgetTopSlice(budget=budget, purpose=p, amount=a, share=s) for p, a, s in wanted
        )
        w.report.updated += 1
        w.report.changes.append(f"replaced top-slices of {budget}")
