"""A contract is monitored through monitoring's schedules (AG5, CUM, ESX 1.2): its quarterly
returns are monitoring returns whose subject is the contract, filled in by the provider's
members only, reviewed by the office's officers only, reminded and escalated by the same job
and counted in the compliance figures."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.models import Role
from commissioning.core.errors import DomainError
from commissioning.monitoring.models import MonitoringReturn, MonitoringSchedule
from commissioning.monitoring.reminders.services import reminders_send
from commissioning.monitoring.rules import AwardFacts
from commissioning.monitoring.services import schedule_make_for_subject
from commissioning.procurement.contracts.services import contract_register
from commissioning.procurement.contracts.standards import VFS_STANDARDS
from commissioning.transparency.dashboards.selectors import Filters, compliance
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import member_of
from tests.awards.test_api import bearer
from tests.procurement.conftest import START, supplier

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
STANDARDS = {code: f"How we meet: {code}" for code in VFS_STANDARDS}
RIGHTS = {"right_4": "Referrals contacted in two days", "right_7": "Help with statements"}
KPIS = [
    {"code": "referrals", "title": "Referrals contacted in 2 days", "target": "95", "unit": "%"},
    {"code": "supported", "title": "People supported", "target": "300", "unit": "people"},
]


def _contract(cam, officer, name="Victim Care Ltd", **kwargs):
    values = {
        "office": cam,
        "actor": officer,
        "provider": supplier(name),
        "fund": cam.funds.get(code="VS"),
        "title": "Victim care",
        "value": "20000",
        "starts_on": START,
        "ends_on": dt.date(2026, 3, 31),
        "kpis": KPIS,
        "standards": STANDARDS,
        "code_rights": RIGHTS,
    }
    values.update(kwargs)
    return contract_register(**values)


def _returns(contract):
    return MonitoringReturn.objects.filter(schedule__subject_reference=contract.reference)


def test_a_contract_makes_its_monitoring_schedule(cam, officer):
    contract = _contract(cam, officer)
    schedule = MonitoringSchedule.objects.get(subject_reference=contract.reference)
    assert (schedule.subject_kind, schedule.award_id) == ("contract", None)
    assert (schedule.organisation, schedule.office, schedule.fund) == (
        contract.provider,
        cam,
        contract.fund,
    )
    assert (schedule.runs_from, schedule.runs_to) == (contract.starts_on, contract.ends_on)
    assert schedule.returns_every_months == 3 and schedule.victims_services
    assert [m["code"] for m in schedule.measures] == ["referrals", "supported"]
    # The five national commissioning standards and the rights it supports are reported on.
    assert [i["code"] for i in schedule.items] == [*VFS_STANDARDS, "right_4", "right_7"]
    periods = list(_returns(contract).order_by("number").values_list("period_end", "status"))
    assert periods == [
        (dt.date(2025, 6, 30), "draft"),
        (dt.date(2025, 9, 30), "draft"),
        (dt.date(2025, 12, 31), "draft"),
        (dt.date(2026, 3, 31), "draft"),
    ]
    assert schedule.officer == officer


def test_only_a_registered_kind_is_monitored(cam, officer):
    facts = AwardFacts(
        amount=1,
        starts_on=START,
        ends_on=dt.date(2025, 9, 30),
        fund_code="VS",
        award_form="x",
        victims_services=False,
    )
    with pytest.raises(DomainError, match="Nothing of that kind"):
        schedule_make_for_subject(
            subject_kind="lease",
            subject_reference="CAM-LEASE-1",
            office=cam,
            organisation=supplier("Landlord"),
            title="A lease",
            facts=facts,
            actor=officer,
        )
    assert not MonitoringSchedule.objects.filter(subject_reference="CAM-LEASE-1").exists()


def test_another_organisation_cannot_see_or_submit_a_contracts_return(client, cam, officer):
    contract = _contract(cam, officer)
    page = f"/organisations/{contract.provider.ref}/monitoring/{contract.reference}/1/"
    stranger = member_of(supplier("Somebody Else"))
    client.force_login(stranger)
    assert client.get(page).status_code == 404
    assert client.post(page, {"action": "submit", "progress": "x"}).status_code == 404
    # Nor through its own organisation's address.
    own = supplier("Somebody Else Again")
    stranger = member_of(own)
    client.force_login(stranger)
    mine = f"/organisations/{own.ref}/monitoring/{contract.reference}/1/"
    assert client.get(mine).status_code == 404
    auth = {}  # signed in
    api = f"/api/v1/organisations/{own.ref}/monitoring/returns/{contract.reference}/1"
    assert client.get(api, **auth).status_code == 404
    patch = client.patch(api, {"progress": "x"}, content_type="application/json", **auth)
    assert patch.status_code == 404
    assert client.post(f"{api}/submit", **auth).status_code == 404
    assert not client.get(f"/api/v1/organisations/{own.ref}/monitoring/returns", **auth).json()
    assert _returns(contract).get(number=1).progress == ""
    # The provider's own members see it in their list and can save it.
    provider = member_of(contract.provider)
    client.force_login(provider)
    listed = client.get(f"/organisations/{contract.provider.ref}/monitoring/")
    assert contract.reference in listed.content.decode()
    auth = {}
    api = f"/api/v1/organisations/{contract.provider.ref}/monitoring/returns/{contract.reference}/1"
    saved = client.patch(
        api,
        {"progress": "Going well", "outputs": {"referrals": 96.5}, "items": {"right_7": "Done"}},
        content_type="application/json",
        **auth,
    )
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert (body["subject_kind"], body["award"]) == ("contract", contract.reference)
    assert body["outputs"] == {"referrals": "96.5"} and body["items"] == {"right_7": "Done"}
    bad = client.patch(api, {"outputs": {"nothing": 1}}, content_type="application/json", **auth)
    assert bad.status_code == 400


def test_another_offices_staff_get_404(client, cam, officer, other_office):
    contract = _contract(cam, officer)
    base = f"/staff/{other_office.slug}/monitoring/awards/{contract.reference}/"
    sign_in(client, staff_user(other_office, Role.COMMISSIONING_OFFICER))
    assert client.get(base).status_code == 404
    assert client.get(f"{base}returns/1/").status_code == 404
    decision = {"action": "review", "decision": "accept", "comments": ""}
    assert client.post(f"{base}returns/1/", decision).status_code == 404
    auth = bearer(staff_user(other_office, Role.COMMISSIONING_OFFICER))
    api = f"/api/v1/offices/{other_office.slug}/awards/{contract.reference}/monitoring"
    assert client.get(api, **auth).status_code == 404
    assert client.get(f"{api}/returns/1", **auth).status_code == 404
    # The office's own staff see the schedule and its returns.
    sign_in(client, officer)
    own = f"/staff/{cam.slug}/monitoring/awards/{contract.reference}/"
    page = client.get(own)
    assert page.status_code == 200
    assert f"/staff/{cam.slug}/procurement/contracts/{contract.reference}/" in (
        page.content.decode()
    )
    listed = client.get(f"/staff/{cam.slug}/monitoring/?view=all")
    assert contract.reference in listed.content.decode()
    schedule = client.get(
        f"/api/v1/offices/{cam.slug}/awards/{contract.reference}/monitoring", **bearer(officer)
    ).json()
    assert schedule["subject_kind"] == "contract" and len(schedule["returns"]) == 4


def test_the_officer_moves_a_due_date_and_asks_for_another_return(client, cam, officer):
    contract = _contract(cam, officer)
    sign_in(client, officer)
    base = f"/staff/{cam.slug}/monitoring/awards/{contract.reference}/"
    date = {"due_on_0": "1", "due_on_1": "8", "due_on_2": "2025"}
    moved = client.post(f"{base}returns/1/", {"action": "move", **date, "reason": "Provider asked"})
    assert moved.status_code == 302
    assert str(_returns(contract).get(number=1).due_on) == "2025-08-01"
    too_late = {"due_on_0": "1", "due_on_1": "8", "due_on_2": "2028"}
    refused = client.post(f"{base}returns/add/", {"kind": "return", **too_late, "reason": "x"})
    assert refused.status_code == 400 and "Choose a date between" in refused.content.decode()
    date = {"due_on_0": "1", "due_on_1": "11", "due_on_2": "2025"}
    added = client.post(f"{base}returns/add/", {"kind": "return", **date, "reason": "Extra"})
    assert added.status_code == 302
    extra = _returns(contract).get(added_by_staff=True)
    assert (extra.number, extra.award_id, extra.period_start) == (5, None, START)


def test_reminders_and_escalation_cover_contract_returns(
    cam, officer, django_capture_on_commit_callbacks
):
    contract = _contract(cam, officer)
    member = member_of(contract.provider)
    first = _returns(contract).get(number=1)
    late = first.due_on + dt.timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders_send(now=dt.datetime(late.year, late.month, late.day, 9, tzinfo=LONDON))
    assert counts["overdue"] >= 1
    about = [m for m in mail.outbox if contract.reference in m.subject]
    assert any(member.email in m.to for m in about)
    assert any(officer.email in m.to for m in about), "escalated to the responsible officer"
    url = f"/organisations/{contract.provider.ref}/monitoring/{contract.reference}/1/"
    assert any(url in m.body for m in about)


def test_compliance_counts_contract_returns(cam, officer):
    today = dt.date(2025, 12, 1)
    other_fund = cam.funds.exclude(code="VS").first()
    before = compliance(cam, Filters(), public=False, today=today)
    before_other = compliance(cam, Filters(fund=other_fund), public=False, today=today)
    contract = _contract(cam, officer)
    after = compliance(cam, Filters(), public=False, today=today)
    due = _returns(contract).filter(due_on__lte=today).count()
    assert due >= 1
    assert after["due"] - before["due"] == due
    assert after["not_in"] - before["not_in"] == due
    by_fund = compliance(cam, Filters(fund=contract.fund), public=False, today=today)
    assert by_fund["due"] >= due
    assert compliance(cam, Filters(fund=other_fund), public=False, today=today) == before_other


def test_monitoring_lists_cost_the_same_queries_with_more_contracts(client, cam, officer):
    _contract(cam, officer, "Provider 1")
    sign_in(client, officer)

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx)

    staff = f"/staff/{cam.slug}/monitoring/?view=all"
    before = count(staff)
    for n in (2, 3):
        _contract(cam, officer, f"Provider {n}")
    assert count(staff) == before
