import pytest

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
        for model in (AuditEvent, Budget, Fund, FundingSource, Area, Plan, Office):
            model.objects.all().delete()
