"""Engineering issue, item 4: every write to a domain model goes through a service, with its
audit event. Services (services.py files and services/ packages), migrations, the pack loader,
demo data and management commands may write; nothing else may.

The first test reads the source: it parses every other module under src/commissioning and
fails on any call of a model or queryset write method, naming the file and line. The admin
site writes without such a call in our code (Django's `ModelAdmin` saves for us), so the
others check the admin itself: each page that can change a record saves through a service, and
every inline is read-only.
"""

import ast
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.test import RequestFactory

from commissioning.accounts.models import Role, User
from commissioning.audit.models import AuditEvent
from commissioning.cycle.models import ExistingProvision
from tests.accounts.factories import sign_in, staff_user

SOURCE = Path(__file__).resolve().parent.parent / "src" / "commissioning"

# Write methods of models, querysets, managers, forms and the admin. Django's take keyword
# arguments only, so `save`, `delete`, `create` and `update` called with a positional argument
# are another API (file storage's `save(name, content)`, `dict.update(mapping)`, a hash's
# `update(bytes)`) and are not counted; `*args` is not counted as positional.
KEYWORD_ONLY_WRITES = {"save", "delete", "create", "update"}
ALWAYS_WRITES = {
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "save_m2m",
    "save_model",
    "delete_model",
    "save_formset",
    "save_related",
    "delete_queryset",
}

# (file under src/commissioning, enclosing function, method): why it may write.
ALLOWED = {
    ("accounts/models.py", "UserManager._create_user", "save"): (
        "Django's user manager, used by createsuperuser; people get accounts by signing up "
        "through allauth, and staff roles only through the accounts services."
    ),
    ("accounts/models.py", "UserManager.create_superuser", "update"): (
        "A dict of the new superuser's fields (dict.update with keywords), not a queryset."
    ),
    ("audit/models.py", "AuditEvent.save", "save"): (
        "The model's own save, which refuses to change an event; audit_event_record calls it."
    ),
    ("decisions/models.py", "DecisionRecord.save", "save"): (
        "The model's own save, which refuses to change a signed record; services call it."
    ),
    ("awards/models.py", "LedgerEntry.save", "save"): (
        "The model's own save, which refuses to change an entry; the ledger services call it."
    ),
    ("awards/agreements/models.py", "Agreement.save", "save"): (
        "The model's own save, which refuses to change a signed agreement or a sent document; "
        "the agreement services call it."
    ),
    ("awards/agreements/models.py", "AgreementQuerySet.update", "update"): (
        "The queryset's own update, which refuses to change signed agreements; nothing calls it."
    ),
    ("core/jobs.py", "job_enqueue", "create"): (
        "Core's service for background work: queues a job inside the caller's service."
    ),
    ("core/jobs.py", "run_job", "save"): (
        "Core's service for background work: records an attempt's outcome on the job."
    ),
    ("core/jobs.py", "jobs_requeue_abandoned", "save"): (
        "Core's service for background work: puts a job whose worker died back in the queue."
    ),
    ("core/transitions.py", "transition", "save"): (
        "The transition guard services call: locks, moves the state and writes the audit event."
    ),
    ("core/transitions.py", "transition", "create"): (
        "The transition guard services call: writes the status-change row beside the audit event."
    ),
    ("core/mail.py", "OutboxEmailBackend.send_messages", "bulk_create"): (
        "The demo's e-mail backend keeps sent messages in the outbox table: mail, not a record."
    ),
}


def _exempt(relative: Path) -> bool:
    parts = relative.parts
    return (
        relative.name == "services.py"
        or relative.stem == "demo"
        or relative.stem.startswith("demo_")
        or "services" in parts[:-1]
        or "migrations" in parts
        or ("management" in parts and "commands" in parts)
        or relative.as_posix() == "offices/packs.py"
    )


def _is_write(call: ast.Call) -> str | None:
    if not isinstance(call.func, ast.Attribute):
        return None
    method = call.func.attr
    if method in ALWAYS_WRITES:
        return method
    positional = [arg for arg in call.args if not isinstance(arg, ast.Starred)]
    if method in KEYWORD_ONLY_WRITES and not positional:
        return method
    return None


class _WriteFinder(ast.NodeVisitor):
    def __init__(self):
        self.scope: list[str] = []
        self.found: list[tuple[int, str, str]] = []  # line, enclosing function, method

    def _enter(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _enter

    def visit_Call(self, node):
        method = _is_write(node)
        if method:
            self.found.append((node.lineno, ".".join(self.scope), method))
        self.generic_visit(node)


def raw_writes() -> list[tuple[str, int, str, str]]:
    writes = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if _exempt(relative):
            continue
        finder = _WriteFinder()
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        writes += [(relative.as_posix(), *found) for found in finder.found]
    return writes


def test_no_module_outside_the_services_writes_to_a_model():
    unexplained = [
        f"src/commissioning/{file}:{line}: .{method}() in {scope or 'module'}"
        for file, line, scope, method in raw_writes()
        if (file, scope, method) not in ALLOWED
    ]
    assert not unexplained, (
        "Write through a service (services.py), with its audit event, not here:\n"
        + "\n".join(unexplained)
    )


def test_every_allowed_write_still_exists():
    """An allow-list entry whose write has gone would let a new write in unnoticed."""
    found = {(file, scope, method) for file, _line, scope, method in raw_writes()}
    assert set(ALLOWED) <= found, sorted(set(ALLOWED) - found)


def test_the_source_check_finds_each_kind_of_write():
    source = """
def view(request, form, queryset, Model, storage, values):
    form.save()
    Model.objects.create(name="x")
    queryset.filter(pk=1).update(name="x")
    queryset.delete()
    Model.objects.get_or_create(name="x")
    Model.objects.bulk_create([])
    storage.save("a.pdf", b"")
    values.update({"a": 1})
"""
    finder = _WriteFinder()
    finder.visit(ast.parse(source))
    assert [method for _line, _scope, method in finder.found] == [
        "save",
        "create",
        "update",
        "delete",
        "get_or_create",
        "bulk_create",
    ]


# The admin site.


def _own_models():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("commissioning.")
    ]


@pytest.mark.django_db
def test_an_admin_page_that_can_change_a_record_saves_it_through_a_service():
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root@example.org", "a long passphrase 42")
    writable = []
    for model, model_admin in _own_models():
        label = model._meta.label
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            assert not (
                inline.has_add_permission(request, None)
                or inline.has_change_permission(request)
                or inline.has_delete_permission(request)
            ), f"{label}: inline {inline_class.__name__} can write without a service"
        assert not model_admin.has_delete_permission(request), f"{label} can be deleted"
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            writable.append(label)
            cls = type(model_admin)
            assert cls.save_model is not ModelAdmin.save_model, f"{label}: save_model"
            assert cls.save_related is not ModelAdmin.save_related, f"{label}: save_related"
    # The office set-up pages are the ones that write; nothing else changes through the admin.
    assert "offices.Fund" in writable and "organisations.Organisation" not in writable


@pytest.fixture
def office_admin_client(client, office):
    sign_in(client, staff_user(office, Role.OFFICE_ADMIN))
    return client


@pytest.mark.django_db
def test_changing_set_up_in_the_admin_writes_an_audit_event_naming_the_fields(
    office_admin_client, office
):
    area = office.areas.order_by("pk").first()
    page = office_admin_client.post(
        f"/admin/offices/area/{area.pk}/change/",
        {
            "office": office.pk,
            "name": area.name,
            "kind": area.kind,
            "ons_code": area.ons_code,
            "population": area.population + 100,
            "population_year": area.population_year,
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    area.refresh_from_db()
    event = AuditEvent.objects.get(verb="area.changed")
    assert event.data == {"fields": ["population"]} and event.office == office
    assert area.updated_by == event.actor


@pytest.mark.django_db
def test_many_to_many_choices_made_in_the_admin_are_saved_by_the_service(
    office_admin_client, office
):
    areas = list(office.areas.order_by("pk")[:2])
    page = office_admin_client.post(
        "/admin/cycle/existingprovision/add/",
        {
            "office": office.pk,
            "provider": "Safer Streets Trust",
            "name": "Night patrols",
            "description": "Volunteer patrols on Friday and Saturday nights.",
            "areas": [area.pk for area in areas],
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    provision = ExistingProvision.objects.get(name="Night patrols")
    assert set(provision.areas.all()) == set(areas)
    assert provision.created_by == provision.updated_by
    event = AuditEvent.objects.get(verb="existingprovision.created")
    assert "areas" in event.data["fields"] and event.office == office
