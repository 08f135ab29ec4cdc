import pytest

from commissioning.accounts.models import Role
from commissioning.offices.packs import load_pack
from tests.accounts.factories import sign_in, staff_user
from tests.conftest import PACKS

PACK = {p.stem: p for p in PACKS}


@pytest.fixture
def cleveland(db):
    """Cleveland from its own pack: the five-stage model with its steps."""
    from commissioning.offices.models import Office

    return Office.objects.filter(slug="cleveland").first() or load_pack(PACK["cleveland"]).office


@pytest.fixture
def cambridgeshire(db):
    from commissioning.offices.models import Office

    found = Office.objects.filter(slug="cambridgeshire").first()
    return found or load_pack(PACK["cambridgeshire"]).office


@pytest.fixture
def officer(cleveland):
    return staff_user(cleveland, Role.COMMISSIONING_OFFICER)


@pytest.fixture
def officer_client(client, officer):
    sign_in(client, officer)
    return client
