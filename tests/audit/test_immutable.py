"""Audit events cannot be changed or deleted (TR6): the model refuses everywhere, and on
PostgreSQL the database itself refuses, whoever asks."""

import pytest
from django.db import DatabaseError, connection, transaction

from commissioning.audit.models import AuditEvent
from commissioning.audit.services import audit_event_record
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The trigger that refuses changes is PostgreSQL's; SQLite relies on the model.",
)


@pytest.fixture
def event(office):
    return audit_event_record(actor=None, verb="test.done", target=office, office=office)


def test_the_model_refuses_to_save_an_event_again(event):
    event.verb = "test.undone"
    with pytest.raises(ValueError, match="cannot be changed"):
        event.save()


@postgresql_only
def test_the_database_refuses_an_orm_update(event):
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="test.undone")
    event.refresh_from_db()
    assert event.verb == "test.done"


@postgresql_only
def test_the_database_refuses_raw_sql_update_and_delete(event):
    for sql in (
        "UPDATE audit_auditevent SET data = '{}'::jsonb, verb = 'x' WHERE id = %s",
        "UPDATE audit_auditevent SET occurred_at = now() - interval '1 year' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, verb="test.done").exists()


@postgresql_only
def test_the_database_refuses_an_orm_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgresql_only
def test_deleting_a_user_still_clears_the_events_actor_and_nothing_else(office):
    user = UserFactory()
    event = audit_event_record(actor=user, verb="test.done", target=office, office=office)
    user.delete()
    event.refresh_from_db()
    assert event.actor_id is None and event.verb == "test.done"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [office.pk, event.pk]
        )
