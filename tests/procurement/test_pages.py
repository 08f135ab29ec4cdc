"""Procurement pages and API: scoped to the office (another office's staff get 404), bad input
a form error and nothing saved, list pages at a constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.models import Role
from commissioning.procurement.contracts.services import contract_register
from commissioning.procurement.exercises.models import ProcurementExercise
from commissioning.procurement.exercises.services import exercise_open
from commissioning.procurement.pooled.services import contribution_add, pooled_budget_create
from tests.accounts.factories import sign_in, staff_user
from tests.awards.claim_factories import pdf_upload
from tests.awards.test_api import bearer
from tests.procurement.conftest import START, start_exercise, supplier

pytestmark = pytest.mark.django_db
STANDARDS = {"equitable_access": "Outreach in every district"}
RIGHTS = {"right_4": "Referrals contacted in two days"}


def _contract(cam, officer, n=1):
    return contract_register(
        office=cam,
        actor=officer,
        provider=supplier(f"Provider {n}"),
        fund=cam.funds.get(code="VS"),
        title=f"Victim care {n}",
        value="20000",
        starts_on=START,
        ends_on=dt.date(2025, 9, 30),
        standards=STANDARDS,
        code_rights=RIGHTS,
    )


def _pool(cam, officer, n=1):
    pool = pooled_budget_create(office=cam, actor=officer, title=f"Pool {n}")
    contribution_add(
        pooled_budget=pool,
        actor=officer,
        financial_year=2025,
        amount="1000",
        fund=cam.funds.get(code="VS"),
    )
    contribution_add(
        pooled_budget=pool,
        actor=officer,
        financial_year=2025,
        amount="500",
        partner="County Council",
    )
    return pool


def test_other_offices_staff_and_panel_members_get_404(client, cam, officer, other_office):
    exercise = start_exercise(cam, officer, "60000")
    contract = _contract(cam, officer)
    base = f"/staff/{cam.slug}/procurement/"
    pages = [
        f"{base}exercises/",
        f"{base}exercises/start/",
        f"{base}exercises/{exercise.reference}/",
        f"{base}exercises/{exercise.reference}/evaluate/",
        f"{base}contracts/",
        f"{base}contracts/{contract.reference}/",
        f"{base}pooled-budgets/",
    ]
    sign_in(client, staff_user(other_office, Role.COMMISSIONING_OFFICER))
    for page in pages:
        assert client.get(page).status_code == 404, page
    assert client.post(f"{base}exercises/{exercise.reference}/open/").status_code == 404
    sign_in(client, staff_user(cam, Role.PANEL_MEMBER))
    for page in pages:
        assert client.get(page).status_code == 404, page
    sign_in(client, officer)
    for page in pages[:3] + pages[4:]:
        assert client.get(page).status_code == 200, page
    # The officer is not on the panel, so the evaluator's page is not theirs.
    assert client.get(pages[3]).status_code == 404
    auditor = staff_user(cam, Role.AUDITOR)
    sign_in(client, auditor)
    assert client.get(pages[0]).status_code == 200
    assert client.get(pages[1]).status_code == 404  # reads, does not run procurement


def test_start_page_refuses_bad_input_with_a_message_and_saves_nothing(client, cam, officer):
    sign_in(client, officer)
    url = f"/staff/{cam.slug}/procurement/exercises/start/"
    fund = cam.funds.get(code="VS")
    data = {
        "title": "Advocacy",
        "description": "Advocacy for victims.",
        "fund": fund.pk,
        "estimated_value": "lots",
        "contract_starts_on_0": "1",
        "contract_starts_on_1": "4",
        "contract_starts_on_2": "2025",
        "contract_ends_on_0": "31",
        "contract_ends_on_1": "3",
        "contract_ends_on_2": "2031",
        "single_tender": "False",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Enter an amount in pounds and pence" in response.content.decode()
    data["estimated_value"] = "49999.99"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "at most 5 years" in response.content.decode()
    assert not ProcurementExercise.objects.filter(office=cam).exists()
    data["contract_ends_on_2"] = "2027"
    response = client.post(url, data)
    assert response.status_code == 302
    exercise = ProcurementExercise.objects.get(office=cam)
    assert exercise.route == "three_quotes"


def test_quote_recorded_on_the_page_with_its_document(client, cam, officer, settings, tmp_path):
    exercise = start_exercise(cam, officer, "3000")
    exercise_open(exercise=exercise, actor=officer)
    seller = supplier("Quick Quotes Ltd")
    sign_in(client, officer)
    url = f"/staff/{cam.slug}/procurement/exercises/{exercise.reference}/bids/"
    fields = {
        "supplier_ref": seller.ref,
        "price": "2,950",
        "received_on_0": "3",
        "received_on_1": "2",
        "received_on_2": "2025",
    }
    missing = client.post(url, fields)
    assert missing.status_code == 400 and "Select a file" in missing.content.decode()
    response = client.post(url, {**fields, "document": pdf_upload("quote.pdf")})
    assert response.status_code == 302
    bid = exercise.bids.get()
    assert (bid.price, bid.filename, bid.supplier) == (Decimal("2950.00"), "quote.pdf", seller)


def test_list_pages_cost_the_same_queries_for_more_rows(client, cam, officer):
    sign_in(client, officer)
    base = f"/staff/{cam.slug}/procurement/"
    start_exercise(cam, officer, "3000")
    _contract(cam, officer)
    _pool(cam, officer)

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx)

    before = {p: count(base + p) for p in ("exercises/", "contracts/", "pooled-budgets/")}
    for n in (2, 3, 4):
        start_exercise(cam, officer, "60000", title=f"Tender {n}")
        _contract(cam, officer, n)
        _pool(cam, officer, n)
    after = {p: count(base + p) for p in before}
    assert after == before
    assert max(after.values()) <= 15


def test_api_reads_and_starts_exercises_for_the_office_only(client, cam, officer, other_office):
    exercise = start_exercise(cam, officer, "60000")
    _contract(cam, officer)
    _pool(cam, officer)
    auth = bearer(officer)
    base = f"/api/v1/offices/{cam.slug}/procurement"
    listed = client.get(f"{base}/exercises", **auth)
    assert listed.status_code == 200 and listed.json()[0]["route"] == "competitive_tender"
    one = client.get(f"{base}/exercises/{exercise.reference}", **auth).json()
    assert (one["quality_weight"], one["cost_weight"]) == (60, 40)
    assert one["independent_member_required"] is True
    contracts = client.get(f"{base}/contracts", **auth).json()
    detail = client.get(f"{base}/contracts/{contracts[0]['reference']}", **auth).json()
    assert detail["code_rights"] == RIGHTS and len(detail["returns"]) == 2
    pools = client.get(f"{base}/pooled-budgets", **auth).json()
    assert pools[0]["total"] == "1500.00" and pools[0]["office_committed"] == "1000.00"
    created = client.post(
        f"{base}/exercises",
        {
            "title": "Advocacy",
            "description": "For victims.",
            "fund": "VS",
            "estimated_value": "5000.00",
            "contract_starts_on": "2025-04-01",
            "contract_ends_on": "2026-03-31",
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201 and created.json()["route"] == "three_quotes"
    refused = client.post(
        f"{base}/exercises",
        {
            "title": "",
            "description": "x",
            "fund": "VS",
            "estimated_value": "5000",
            "contract_starts_on": "2025-04-01",
            "contract_ends_on": "2026-03-31",
        },
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 422
    outsider = bearer(staff_user(other_office, Role.COMMISSIONING_OFFICER))
    for path in ("/exercises", f"/exercises/{exercise.reference}", "/contracts", "/pooled-budgets"):
        assert client.get(base + path, **outsider).status_code == 404
    panel = bearer(staff_user(cam, Role.PANEL_MEMBER))
    assert client.get(f"{base}/exercises", **panel).status_code == 403


def test_ocds_json_is_public_and_unknown_offices_are_404(client, cam, officer):
    start_exercise(cam, officer, "60000")
    response = client.get(f"/{cam.slug}/open-data/ocds.json")
    assert response.status_code == 200
    package = response.json()
    assert package["releases"][0]["ocid"].startswith("ocds-pcccam-CAM-PRC-")
    assert package["releases"][0]["tag"] == ["planning"]
    assert client.get("/nowhere/open-data/ocds.json").status_code == 404


def test_provider_reports_kpis_standards_and_rights_on_its_return(client, cam, officer):
    """The provider's quarterly return is monitoring's: filled in on monitoring's page (the old
    address leads there), reviewed by the officer as an award's return is."""
    from commissioning.monitoring.models import MonitoringReturn
    from commissioning.monitoring.services import measure_codes
    from tests.applications.factories import member_of

    contract = contract_register(
        office=cam,
        actor=officer,
        provider=supplier("Reporting Charity"),
        fund=cam.funds.get(code="VS"),
        title="Victim care",
        value="20000",
        starts_on=START,
        ends_on=dt.date(2025, 9, 30),
        standards=STANDARDS,
        code_rights=RIGHTS,
        kpis=[{"code": "referrals", "title": "Referrals", "target": "40"}],
    )
    old = f"/organisations/{contract.provider.ref}/contracts/{contract.reference}/returns/1/"
    url = f"/organisations/{contract.provider.ref}/monitoring/{contract.reference}/1/"
    client.force_login(member_of(supplier("Somebody Else")))
    assert client.get(old).status_code == 404
    assert client.get(url).status_code == 404
    client.force_login(member_of(contract.provider))
    assert client.get(old)["Location"] == url
    page = client.get(url)
    assert page.status_code == 200 and "Right 4" in page.content.decode()
    data = {
        "action": "submit",
        "progress": "Every referral contacted.",
        "output_referrals": "41.5",
        "item_equitable_access": "Outreach in Fenland",
        "people_supported": "10",
        "demo_age_band_18_24": "6",
        "demo_age_band_not_known": "4",
        "rag": "green",
        **{f"measure_{c}": "1" for c in measure_codes(cam) if c != "people_supported"},
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "Right 4" in refused.content.decode()
    assert client.post(url, {**data, "item_right_4": "All within two days"}).status_code == 302
    ret = MonitoringReturn.objects.get(schedule__subject_reference=contract.reference, number=1)
    assert ret.status == "submitted"
    assert ret.items == {
        "equitable_access": "Outreach in Fenland",
        "right_4": "All within two days",
    }
    assert ret.outputs == {"referrals": "41.5"}
    # The officer reviews it on monitoring's staff page, as an award's.
    sign_in(client, officer)
    staff = f"/staff/{cam.slug}/monitoring/awards/{contract.reference}/returns/1/"
    review = client.post(staff, {"action": "review", "decision": "accept", "comments": ""})
    assert review.status_code == 302
    ret.refresh_from_db()
    assert ret.status == "accepted"
    detail = client.get(f"/staff/{cam.slug}/procurement/contracts/{contract.reference}/")
    assert staff in detail.content.decode()
