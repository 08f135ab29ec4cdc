import datetime as dt
from decimal import Decimal

import pytest

from commissioning.accounts.models import Role
from commissioning.core.uploads import validate_upload
from commissioning.offices.models import Office
from commissioning.offices.packs import load_pack
from tests.accounts.factories import staff_user
from tests.applications.factories import OrganisationFactory
from tests.awards.claim_factories import pdf_upload
from tests.conftest import ROOT
from tests.decisions.conftest import _letters_storage  # noqa: F401


def loaded(slug: str) -> Office:
    return (
        Office.objects.filter(slug=slug).first()
        or load_pack(ROOT / "packs" / f"{slug}.yaml").office
    )


@pytest.fixture
def cam(db):
    return Office.objects.select_related("policy").get(pk=loaded("cambridgeshire").pk)


@pytest.fixture
def officer(cam):
    return staff_user(cam, Role.COMMISSIONING_OFFICER)


@pytest.fixture
def signatories(cam):
    return {
        role: staff_user(cam, role)
        for role in (Role.COMMISSIONER, Role.MONITORING_OFFICER, Role.CHIEF_FINANCE_OFFICER)
    }


def document(name="quote.pdf"):
    return validate_upload(pdf_upload(name))


def supplier(name, **kwargs):
    return OrganisationFactory(name=name, applicant_type="charity", **kwargs)


START, END = dt.date(2025, 4, 1), dt.date(2027, 3, 31)


def start_exercise(office, officer, value, **kwargs):
    from commissioning.procurement.exercises.services import exercise_start

    values = {
        "title": "Support for victims of fraud",
        "description": "Casework and advocacy for victims of fraud across the county.",
        "fund": office.funds.get(code="VS"),
        "estimated_value": Decimal(value),
        "contract_starts_on": START,
        "contract_ends_on": END,
    }
    values.update(kwargs)
    return exercise_start(office=office, actor=officer, **values)


@pytest.fixture
def vs_fund(cam):
    """Cambridgeshire's victims' services fund: a victims' fund, with budgets from 2025/26."""
    return cam.funds.get(code="VS")


@pytest.fixture
def tender(cam, officer):
    """An advertised tender with two bids: (exercise, the local supplier's, the cheaper)."""
    from tests.procurement.factories import open_tender

    return open_tender(cam, officer)
