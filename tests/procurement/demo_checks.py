"""What the demo shows of procurement, checked by tests/test_demo.py on its one seeding:
Cambridgeshire's three routes, Cleveland's commissioned services and pooled budget, their
contracts' returns through monitoring, and every office's OCDS release package passing the
OCDS 1.1.5 schema (TR3)."""

import json
from io import StringIO

from django.core.management import call_command

from commissioning.monitoring.models import MonitoringReturn
from commissioning.procurement.contracts.models import Contract
from commissioning.procurement.exercises.models import ProcurementExercise
from commissioning.procurement.ocds.build import release_package
from commissioning.procurement.pooled.selectors import pool_figures, pools_for_list
from tests.procurement.ocds_schema import ocds_problems


def check_procurement_and_ocds(office):
    package = release_package(office)
    assert ocds_problems(package) == []
    prefix = office.policy.procurement["ocid_prefix"]
    assert all(r["ocid"].startswith(prefix + "-") for r in package["releases"])
    tags = {tag for r in package["releases"] for tag in r["tag"]}
    if office.slug in ("cambridgeshire", "cleveland"):
        # Each contract's returns are monitoring's; one of them shows an accepted and a
        # submitted return.
        references = list(
            Contract.objects.filter(office=office).values_list("reference", flat=True)
        )
        returns = MonitoringReturn.objects.filter(office=office, schedule__subject_kind="contract")
        assert set(returns.values_list("schedule__subject_reference", flat=True)) == set(references)
        assert {"accepted", "submitted", "draft"} <= set(returns.values_list("status", flat=True))
    if office.slug == "cambridgeshire":
        exercises = {e.route: e for e in ProcurementExercise.objects.filter(office=office)}
        assert set(exercises) == {"one_quote", "three_quotes", "competitive_tender"}
        assert exercises["three_quotes"].bids.count() == 3
        tender = exercises["competitive_tender"]
        assert tender.status == "evaluation"
        assert tender.evaluators.filter(standing="independent").exists()
        assert exercises["one_quote"].contract.award_form == "paid_invoice"
        assert {"planning", "tender", "award", "contract"} <= tags
    if office.slug == "cleveland":
        titles = set(Contract.objects.filter(office=office).values_list("title", flat=True))
        assert {"Appropriate Adult Service", "Victim Care and Advice Service"} <= titles
        pool = pools_for_list(office).get()
        figures = pool_figures([pool])[pool.pk]
        assert figures.office_committed == figures.office_share > 0
        assert "Probation" in pool.lead_commissioner
        assert {"award", "contract"} <= tags
        out = StringIO()
        call_command("export_ocds", office="cleveland", stdout=out)
        assert ocds_problems(json.loads(out.getvalue())) == []
