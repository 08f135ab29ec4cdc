"""Imports point down the layers only (ARCHITECTURE.md, "Layers"; issue 8, item 2).

The apps stand in this order; a lower app never depends on a higher one, whether through an
``import`` (at the top of a module or inside a function), a module named in a string
(``importlib.import_module("commissioning.x")``, ``import_string``, a dotted path), a model named
in a string (``apps.get_model("x", ...)``, ``ForeignKey("x.Model")``), a template it renders, or
a template that includes, extends or loads tags from another app's templates. A higher app that
wants to be heard by a lower one registers itself with it (``core.registry``).
"""

import ast
import re
from pathlib import Path

import pytest

ORDER = [
    "core",
    "audit",
    "offices",
    "accounts",
    "organisations",
    "cycle",
    "applications",
    "assessment",
    "decisions",
    "awards",
    "monitoring",
    "procurement",
    "transparency",
]
RANK = {app: rank for rank, app in enumerate(ORDER)}
# The API package and the project's own modules sit on top and may use every app.
TOP = {"api", "settings", "urls", "wsgi", "asgi"}
# Template folders that belong to no app: the shared base templates are core's; allauth's and
# its MFA module's overrides are the sign-in pages, which accounts owns.
TEMPLATE_FOLDER_APP = {"includes": "core", "allauth": "accounts", "mfa": "accounts"}

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "commissioning"
TEMPLATES = PACKAGE / "templates"

MODULE_PATH = re.compile(r"^commissioning\.(\w+)(\.[\w.]+)?$")
MODEL_PATH = re.compile(r"^(\w+)\.(\w+)$")
TEMPLATE_PATH = re.compile(r"^(\w+)/[\w/.-]+\.(html|txt|xml|svg)$")
TEMPLATE_TAG = re.compile(r"{%\s*(include|extends)\s+[\"'](\w+)/[^\"']*[\"']")
LOAD_TAG = re.compile(r"{%\s*load\s+([\w\s]+?)\s*%}")
MODEL_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}

# The one kind of upward reference allowed: a record filed under an office (an audit event, a
# background job) keeps a foreign key to it, as every record keeps one to the user who made it.
# It is a column, not code: these apps import nothing of offices, and offices nothing of them.
FILED_UNDER_OFFICE = {("core", "offices.office"), ("audit", "offices.office")}


def _tag_libraries() -> dict[str, str]:
    """Template tag library name -> the app that defines it."""
    return {
        path.stem: path.parent.parent.name
        for path in PACKAGE.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


def _app_of_module(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _app_of_template(path: Path) -> str:
    parts = path.relative_to(TEMPLATES).parts
    if len(parts) == 1:
        return "core"
    return TEMPLATE_FOLDER_APP.get(parts[0], parts[0])


def _absolute(module: str | None, level: int, path: Path) -> str:
    """The absolute name of a (possibly relative) ``from ... import``."""
    if not level:
        return module or ""
    package = ["commissioning", *path.relative_to(PACKAGE).with_suffix("").parts]
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _python_references(path: Path):
    """(line, app, how) for every other app this module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if match := MODULE_PATH.match(alias.name):
                    yield node.lineno, match[1], f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node.module, node.level, path)
            if match := MODULE_PATH.match(module):
                yield node.lineno, match[1], f"from {module} import ..."
            elif module == "commissioning":
                for alias in node.names:
                    yield node.lineno, alias.name, f"from commissioning import {alias.name}"
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            strings = [
                a.value for a in node.args if isinstance(a, ast.Constant) and type(a.value) is str
            ]
            strings += [
                k.value.value
                for k in node.keywords
                if k.arg == "to"
                and isinstance(k.value, ast.Constant)
                and type(k.value.value) is str
            ]
            if name == "get_model" and strings:
                label = strings[0].split(".")[0]
                yield node.lineno, label, f"get_model({strings[0]!r})"
            elif name in MODEL_FIELDS and strings:
                if match := MODEL_PATH.match(strings[0]):
                    yield node.lineno, match[1], f"relation {strings[0].lower()!r}"
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets
        ):
            # A migration that depends on another app's: ("offices", "0001_initial").
            for item in getattr(node.value, "elts", []):
                parts = getattr(item, "elts", [])
                if len(parts) == 2 and all(isinstance(p, ast.Constant) for p in parts):
                    label = parts[0].value
                    yield node.lineno, label, f"migration dependency on {label!r}"
        elif isinstance(node, ast.Constant) and type(node.value) is str:
            # A module named in a string: importlib.import_module, import_string, a setting.
            if match := MODULE_PATH.match(node.value):
                yield node.lineno, match[1], f"module path {node.value!r}"
            # A template rendered by name.
            elif match := TEMPLATE_PATH.match(node.value):
                yield node.lineno, match[1], f"template {node.value!r}"


def _template_references(path: Path, libraries: dict[str, str]):
    """(line, app, how) for every other app's template or tags this template uses."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for match in TEMPLATE_TAG.finditer(line):
            yield number, match[2], match[0]
        for match in LOAD_TAG.finditer(line):
            for library in match[1].split():
                if library in libraries:
                    yield number, libraries[library], f"{{% load {library} %}}"


def _filed_under_office(app: str, path: Path, how: str) -> bool:
    """A relation to the office a record is filed under, or the migration that adds one."""
    if how.startswith("relation "):
        return (app, how.removeprefix("relation ").strip("'")) in FILED_UNDER_OFFICE
    if how == "migration dependency on 'offices'" and "migrations" in path.parts:
        return any(a == app for a, _ in FILED_UNDER_OFFICE)
    return False


def upward_references() -> list[str]:
    found = []
    libraries = _tag_libraries()
    sources = [(p, _python_references(p)) for p in sorted(PACKAGE.rglob("*.py"))]
    sources += [
        (p, _template_references(p, libraries))
        for p in sorted(TEMPLATES.rglob("*"))
        if p.is_file() and p.suffix in {".html", ".txt", ".xml", ".svg"}
    ]
    for path, references in sources:
        app = _app_of_template(path) if path.is_relative_to(TEMPLATES) else _app_of_module(path)
        if app in TOP or app not in RANK:
            continue
        for line, target, how in references:
            if _filed_under_office(app, path, how):
                continue
            if target in RANK and RANK[target] > RANK[app]:
                where = path.relative_to(PACKAGE.parent)
                found.append(f"{where}:{line}: {app} uses {target} ({how})")
    return found


def test_no_app_depends_on_a_higher_one():
    upward = upward_references()
    assert not upward, "Imports must point down the layers:\n" + "\n".join(upward)


def test_every_app_has_a_place_in_the_order():
    """A new app is given its layer here, so the check above cannot silently skip it."""
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    assert apps - set(RANK) - TOP == set()


def test_installed_apps_are_listed_by_layer(settings):
    """What apps register with a lower one (core.registry) is read in the order of
    INSTALLED_APPS: demo data is made, and staff-home panels shown, lowest layer first."""
    ours = [
        name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("commissioning.")
    ]
    assert ours == sorted(ours, key=RANK.__getitem__)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from commissioning.assessment.models import Panel\n", "assessment"),
        ("def f():\n    from commissioning.decisions import services\n", "decisions"),
        ("import commissioning.applications.models\n", "applications"),
        ("from commissioning import assessment\n", "assessment"),
        ("import importlib\nimportlib.import_module('commissioning.decisions.x')\n", "decisions"),
        ("from django.apps import apps\napps.get_model('applications', 'Round')\n", "applications"),
        (
            "from django.db import models\nx = models.ForeignKey('decisions.Decision')\n",
            "decisions",
        ),
        ("def v(request):\n    return render(request, 'assessment/staff/x.html')\n", "assessment"),
        ("x = models.OneToOneField(to='decisions.decisionrecord')\n", "decisions"),
        ("dependencies = [('assessment', '0001_initial')]\n", "assessment"),
    ],
)
def test_the_check_sees_every_kind_of_python_reference(tmp_path, monkeypatch, source, expected):
    module = PACKAGE / "organisations" / "example.py"
    monkeypatch.setattr(Path, "read_text", lambda self, **kw: source)
    assert [target for _, target, _ in _python_references(module)] == [expected]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{% include "assessment/staff/_panel.html" %}', ["assessment"]),
        ("{% extends 'decisions/base.html' %}", ["decisions"]),
        ("{% load i18n decision_tags %}", ["decisions"]),
        ('{% include "includes/field.html" %}{% include panel %}', ["includes"]),
    ],
)
def test_the_check_sees_template_includes_and_tag_libraries(monkeypatch, source, expected):
    template = TEMPLATES / "accounts" / "example.html"
    monkeypatch.setattr(Path, "read_text", lambda self, **kw: source)
    assert [target for _, target, _ in _template_references(template, _tag_libraries())] == (
        expected
    )
