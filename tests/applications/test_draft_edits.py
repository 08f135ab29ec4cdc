"""Saving a draft: every edit locks the application and checks it is still a draft inside its
transaction, so answers cannot change after submission, however the requests interleave
(security issue, item 3); and each save that changes something writes one audit event naming
what changed (engineering issue, item 4)."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection

from commissioning.applications import views
from commissioning.applications.attachments.services import attachment_remove
from commissioning.applications.endorsements.services import endorsement_add, endorsement_remove
from commissioning.applications.models import Application, Attachment, Status
from commissioning.applications.services import (
    application_add_row,
    application_confirm_declarations,
    application_remove_row,
    application_set_rows,
    application_submit,
    application_update,
    new_public_id,
)
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from tests.applications.factories import (
    ApplicationFactory,
    CompleteDraftFactory,
    RoundFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

REFUSED = "can no longer be changed"


@pytest.fixture
def round_(office):
    return RoundFactory(fund=office.funds.get(code="CF"))


def edits_of(application) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            verb="application.updated", target_id=str(application.pk)
        ).order_by("pk")
    )


def snapshot(application) -> dict:
    """Everything a draft edit could write, read fresh from the database."""
    a = Application.objects.get(pk=application.pk)
    return {
        "row": {
            name: getattr(a, name)
            for name in ("title", "updated_at", "updated_by_id", "declarations_confirmed_at")
        },
        "priorities": sorted(a.priorities.values_list("pk", flat=True)),
        "areas": sorted(a.areas.values_list("pk", flat=True)),
        "outputs": list(a.outputs.values_list("pk", "description")),
        "budget_lines": list(a.budget_lines.values_list("pk", "amount")),
        "endorsements": list(a.endorsements.values_list("pk", "kind")),
        "attachments": list(a.attachments.values_list("pk", flat=True)),
        "events": AuditEvent.objects.count(),
    }


def _attachment(application):
    return Attachment.objects.create(
        application=application,
        description="Constitution",
        path="applications/attachments/x.pdf",
        filename="constitution.pdf",
        content_type="application/pdf",
        size=10,
        public_id=new_public_id(),
    )


# Each edit is given a copy of the application loaded while it was a draft, and whatever it
# needs prepared from the draft beforehand.
STALE_EDITS = {
    "update": lambda a, user, prep: application_update(
        application=a, actor=user, fields={"title": "Changed after submission"}
    ),
    "update priorities": lambda a, user, prep: application_update(
        application=a, actor=user, fields={}, priorities=[], areas=[]
    ),
    "set rows": lambda a, user, prep: application_set_rows(
        application=a,
        actor=user,
        kind="budget_lines",
        rows=[{"category": "equipment", "description": "More", "amount": 9999}],
    ),
    "add row": lambda a, user, prep: application_add_row(
        application=a, actor=user, kind="outputs", values={"description": "Extra", "quantity": 1}
    ),
    "remove row": lambda a, user, prep: application_remove_row(
        application=a, actor=user, kind="outputs", row_id=prep["output"]
    ),
    "confirm declarations": lambda a, user, prep: application_confirm_declarations(
        application=a, actor=user
    ),
    "remove endorser": lambda a, user, prep: endorsement_remove(
        endorsement=prep["endorsement"], actor=user
    ),
    "name endorser": lambda a, user, prep: endorsement_add(
        application=a,
        actor=user,
        kind="other",
        endorser_name="Sam",
        endorser_email="sam@example.org",
        endorser_role="Chair",
    ),
    "remove document": lambda a, user, prep: attachment_remove(
        attachment=prep["attachment"], actor=user
    ),
}


@pytest.mark.parametrize("edit", STALE_EDITS)
def test_an_edit_with_a_copy_loaded_before_submission_is_refused_and_writes_nothing(round_, edit):
    """Security item 3: the check reads the locked row, not the copy the request loaded."""
    application = CompleteDraftFactory(round=round_)
    user = member_of(application.organisation)
    application.declarations_confirmed_at = None  # so confirming would write, were it allowed
    stale = Application.objects.get(pk=application.pk)
    prep = {
        "output": application.outputs.get().pk,
        "endorsement": application.endorsements.first(),
        "attachment": _attachment(application),
    }
    application_submit(application=application, actor=user)
    before = snapshot(application)
    assert stale.status == Status.DRAFT and stale.is_editable  # the copy still says draft
    with pytest.raises(DomainError, match="submitted"):
        STALE_EDITS[edit](stale, user, prep)
    assert snapshot(application) == before


# Audit: one event a save, naming what changed -----------------------------------------------


def test_a_save_writes_one_event_naming_the_fields_that_changed(round_, office):
    """Engineering item 4."""
    application = ApplicationFactory(round=round_, title="Speed watch")
    user = member_of(application.organisation)
    priority = office.plans.get(is_current=True).priorities.filter(selectable=True).first()
    application_update(
        application=application,
        actor=user,
        fields={"title": "Speed watch", "short_description": "Radar guns for volunteers"},
        priorities=[priority],
        areas=[],
    )
    (event,) = edits_of(application)
    assert event.data == {"fields": ["short_description", "priorities"]}
    assert event.actor == user and event.office == office
    saved = Application.objects.get(pk=application.pk)
    assert saved.short_description == "Radar guns for volunteers" and saved.updated_by == user
    assert list(saved.priorities.all()) == [priority]


def test_a_save_that_changes_nothing_writes_nothing(round_, office):
    application = CompleteDraftFactory(round=round_)
    user = member_of(application.organisation)
    before = snapshot(application)
    application_update(
        application=application,
        actor=user,
        fields={"title": application.title, "amount_requested": application.amount_requested},
        priorities=list(application.priorities.all()),
        areas=list(application.areas.all()),
    )
    application_set_rows(
        application=application,
        actor=user,
        kind="budget_lines",
        rows=list(application.budget_lines.values("category", "description", "amount")),
    )
    application_confirm_declarations(application=application, actor=user)  # already confirmed
    assert snapshot(application) == before
    assert edits_of(application) == []


def test_rows_and_declarations_each_write_one_event(round_):
    application = ApplicationFactory(round=round_)
    user = member_of(application.organisation)
    row = application_add_row(
        application=application,
        actor=user,
        kind="outputs",
        values={"description": "Patrols", "quantity": 5},
    )
    application_remove_row(application=application, actor=user, kind="outputs", row_id=row.pk)
    application_set_rows(
        application=application,
        actor=user,
        kind="budget_lines",
        rows=[{"category": "equipment", "description": "Torches", "amount": 100}],
    )
    application_confirm_declarations(application=application, actor=user)
    application_confirm_declarations(application=application, actor=user)
    assert [e.data for e in edits_of(application)] == [
        {"fields": ["outputs"], "added": row.pk},
        {"fields": ["outputs"], "removed": row.pk},
        {"fields": ["budget_lines"]},
        {"fields": ["declarations_confirmed_at"]},
    ]
    assert Application.objects.get(pk=application.pk).budget_lines.get().description == "Torches"


def test_removing_a_row_twice_is_refused_and_audited_once(round_):
    application = ApplicationFactory(round=round_)
    row = application_add_row(
        application=application,
        actor=None,
        kind="outputs",
        values={"description": "x", "quantity": 1},
    )
    application_remove_row(application=application, actor=None, kind="outputs", row_id=row.pk)
    with pytest.raises(DomainError, match="already been removed"):
        application_remove_row(application=application, actor=None, kind="outputs", row_id=row.pk)
    assert len(edits_of(application)) == 2


# Pages: a refused edit is a message, not a server error ------------------------------------


@pytest.fixture
def submitted_behind_the_page(round_, monkeypatch, client):
    """The applicant's page loaded the draft; another request submitted it meanwhile."""
    application = CompleteDraftFactory(round=round_)
    user = member_of(application.organisation)
    stale = Application.objects.get(pk=application.pk)
    application_submit(application=application, actor=user)
    monkeypatch.setattr(views, "application_for_applicant", lambda *args: stale)
    client.force_login(user)
    return application


@pytest.mark.parametrize(
    "step,data",
    [
        ("about", {"title": "Changed after submission"}),
        ("declarations", {"confirm": "on"}),
        (
            "budget",
            {
                "action": "add:budget_lines",
                "budget_lines-category": "equipment",
                "budget_lines-description": "More torches",
                "budget_lines-amount": "10",
            },
        ),
    ],
)
def test_a_page_answers_a_refused_edit_with_a_plain_message(
    client, submitted_behind_the_page, step, data
):
    application = submitted_behind_the_page
    before = snapshot(application)
    response = client.post(f"/applications/{application.public_id}/{step}/", data)
    assert response.status_code == 302
    shown = [m.message for m in get_messages(response.wsgi_request)]
    assert any(REFUSED in m for m in shown)
    assert snapshot(application) == before


# PostgreSQL: submissions and edits at once -------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_edits_sent_with_submissions_never_land_after_the_submission(office):
    """Security item 3 as found: 15 submits and 15 edits at once. Every edit either lands
    before the submission or is refused; what was submitted is what is kept."""
    round_ = RoundFactory(fund=office.funds.get(code="CF"))
    application = CompleteDraftFactory(round=round_)
    user = member_of(application.organisation)
    barrier = threading.Barrier(30)
    submitted, edited, refused, errors = [], [], [], []

    def go(index):
        stale = Application.objects.get(pk=application.pk)  # loaded as a request would
        try:
            barrier.wait()
            if index < 15:
                submitted.append(application_submit(application=stale, actor=user).title)
            elif index % 2:
                application_update(application=stale, actor=user, fields={"title": f"Edit {index}"})
                edited.append(index)
            else:
                application_add_row(
                    application=stale,
                    actor=user,
                    kind="outputs",
                    values={"description": "More", "quantity": 1},
                )
                edited.append(index)
        except DomainError as exc:
            refused.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    final = Application.objects.get(pk=application.pk)
    assert final.status != Status.DRAFT
    assert len(submitted) == 15 and set(submitted) == {final.title}
    assert len(edited) + len(refused) == 15
    assert all(REFUSED in message for message in refused)
    submission = AuditEvent.objects.get(verb="application.submitted", target_id=str(final.pk))
    assert all(event.pk < submission.pk for event in edits_of(final))
    assert len(edits_of(final)) == len(edited)
    assert final.outputs.count() == 1 + sum(1 for i in edited if i % 2 == 0)
