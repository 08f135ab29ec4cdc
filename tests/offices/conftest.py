import pytest
from django.db import connection

from commissioning.audit.models import AuditEvent
from commissioning.awards.models import LedgerEntry
from commissioning.offices.models import Area, Budget, Fund, FundingSource, Office, Plan


@pytest.fixture(autouse=True)
def empty_database(request):
    """The loader's own tests start from an empty database, not from the shared test offices.

    The deletions happen inside the test's transaction, so they are rolled back with the test.
    """
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
        # Ledger entries refuse deletion; a test's own empty start clears them underneath.
        LedgerEntry.objects.all()._raw_delete(LedgerEntry.objects.db)
        # Audit events refuse deletion too: on PostgreSQL the database's trigger, switched off
        # here inside the test's transaction (and so switched on again when it rolls back).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only"
                )
        for model in (AuditEvent, Budget, Fund, FundingSource, Area, Plan, Office):
            model.objects.all().delete()
