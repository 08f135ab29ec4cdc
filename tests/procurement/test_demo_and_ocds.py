"""The demo shows Cambridgeshire's three routes and Cleveland's commissioned services; every
office's OCDS release package passes the OCDS 1.1.5 schema (TR3); seeding again adds nothing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from commissioning.offices.models import Office
from commissioning.procurement.contracts.models import Contract
from commissioning.procurement.exercises.models import ProcurementExercise
from commissioning.procurement.ocds.build import release_package
from commissioning.procurement.pooled.selectors import pool_figures, pools_for_list
from tests.conftest import PACKS
from tests.procurement.ocds_schema import ocds_problems

pytestmark = pytest.mark.django_db


def test_demo_and_every_offices_ocds_package(django_capture_on_commit_callbacks):
    for pack in PACKS:
        call_command("load_pack", str(pack), verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)

    cam = Office.objects.get(slug="cambridgeshire")
    exercises = {e.route: e for e in ProcurementExercise.objects.filter(office=cam)}
    assert set(exercises) == {"one_quote", "three_quotes", "competitive_tender"}
    assert exercises["three_quotes"].bids.count() == 3
    tender = exercises["competitive_tender"]
    assert tender.status == "evaluation"
    assert tender.evaluators.filter(standing="independent").exists()

    cle = Office.objects.get(slug="cleveland")
    titles = set(Contract.objects.filter(office=cle).values_list("title", flat=True))
    assert {"Appropriate Adult Service", "Victim Care and Advice Service"} <= titles
    pool = pools_for_list(cle).get()
    figures = pool_figures([pool])[pool.pk]
    assert figures.office_committed == figures.office_share > 0
    assert "Probation" in pool.lead_commissioner

    for office in Office.objects.filter(slug__in=[p.stem for p in PACKS]):
        package = release_package(office)
        assert ocds_problems(package) == [], office.slug
        prefix = office.policy.procurement["ocid_prefix"]
        assert all(r["ocid"].startswith(prefix + "-") for r in package["releases"])
    cam_tags = {tag for r in release_package(cam)["releases"] for tag in r["tag"]}
    assert {"planning", "tender", "award", "contract"} <= cam_tags
    assert exercises["one_quote"].contract.award_form == "paid_invoice"
    cle_tags = {tag for r in release_package(cle)["releases"] for tag in r["tag"]}
    assert {"award", "contract"} <= cle_tags

    out = StringIO()
    call_command("export_ocds", office="cleveland", stdout=out)
    assert ocds_problems(json.loads(out.getvalue())) == []

    counts = (ProcurementExercise.objects.count(), Contract.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)
    assert (ProcurementExercise.objects.count(), Contract.objects.count()) == counts
