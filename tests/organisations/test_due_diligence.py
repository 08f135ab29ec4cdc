"""AS6 due diligence (ESX 9.1): validity from the pack, reuse across applications, what blocks
a decision, the staff page and API (another office gets 404), and bad input."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
import time_machine
import yaml
from django.urls import reverse

from commissioning.accounts.models import Role
from commissioning.applications.demo import seed_due_diligence
from commissioning.applications.models import Status
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.offices.packs import load_pack
from commissioning.organisations.due_diligence import due_diligence_blocker, due_diligence_required
from commissioning.organisations.due_diligence.models import DueDiligenceCheck
from commissioning.organisations.due_diligence.rules import add_months, valid_until
from commissioning.organisations.due_diligence.services import due_diligence_record
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import ApplicationFactory, OrganisationFactory, RoundFactory
from tests.conftest import PACKS

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
ALL_MET = {
    "accounts_reviewed": True,
    "no_irregularities": True,
    "positive_cash": True,
    "safeguarding": True,
    "data_protection": True,
    "effective": True,
    "partners_supportive": True,
}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def require_due_diligence(office, **settings):
    policy = office.policy
    policy.assessment = {
        **policy.assessment,
        "due_diligence": {"required_before_decision": True, "valid_months": 12, **settings},
    }
    policy.save(update_fields=["assessment"])
    office.refresh_from_db()
    return office


SEQUENCE = itertools.count(1)


def applied(office, organisation=None, amount="5000", status=Status.SUBMITTED):
    round_ = RoundFactory(fund=office.funds.first())
    return ApplicationFactory(
        round=round_,
        reference="" if status == Status.DRAFT else f"{office.code}-T-2026-{next(SEQUENCE):04d}",
        organisation=organisation or OrganisationFactory(),
        status=status,
        amount_requested=Decimal(amount),
    )


def record(office, organisation, *, actor=None, **kwargs):
    kwargs.setdefault("outcome", "pass")
    kwargs.setdefault("checked_on", TODAY)
    return due_diligence_record(
        organisation=organisation,
        office=office,
        actor=actor or staff_user(office, mfa=False),
        **{**ALL_MET, **kwargs},
    )


# Rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.stem)
def test_validity_period_comes_from_each_pack(path):
    office = load_pack(path).office
    months = yaml.safe_load(path.read_text())["policy"]["assessment"].get("due_diligence", {})
    months = months.get("valid_months")
    if months is None:
        with pytest.raises(ValueError):
            valid_until(TODAY, office.policy)
        return
    assert valid_until(TODAY, office.policy) == add_months(TODAY, months)
    organisation = applied(office).organisation
    check = record(office, organisation)
    assert check.valid_until == add_months(TODAY, months)


def test_validity_follows_the_number_of_months(office):
    require_due_diligence(office, valid_months=18)
    assert valid_until(dt.date(2026, 1, 31), office.policy) == dt.date(2027, 7, 31)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 1, 15), -13) == dt.date(2024, 12, 15)


def test_required_before_decision_and_applies_over(office):
    application = applied(office, amount="2000")
    assert not due_diligence_required(application, office.policy), "the pack says nothing"
    require_due_diligence(office, applies_over=2000)
    assert not due_diligence_required(application, office.policy), "not over 2,000"
    application.amount_requested = Decimal("2000.01")
    assert due_diligence_required(application, office.policy)
    require_due_diligence(office, required_before_decision=False)
    assert not due_diligence_required(application, office.policy)


# Blocker ------------------------------------------------------------------------------------


def test_blocker_reasons(office):
    require_due_diligence(office)
    application = applied(office)
    name = application.organisation.name
    assert due_diligence_blocker(application=application) == (
        f"No due diligence check has been recorded for {name}."
    )
    record(office, application.organisation, checked_on=dt.date(2025, 10, 1))
    assert due_diligence_blocker(application=application) == (
        f"The due diligence check on {name} expired on 1 October 2026."
    )
    record(office, application.organisation, outcome="fail", checked_on=TODAY)
    assert due_diligence_blocker(application=application) == (
        f"{name} failed due diligence on 23 November 2026."
    )
    record(office, application.organisation, outcome="conditional", conditions="Quarterly cash")
    assert due_diligence_blocker(application=application) is None


def test_no_blocker_when_the_pack_does_not_require_it(office):
    application = applied(office)
    assert due_diligence_blocker(application=application) is None


def test_a_check_is_reused_for_later_applications_in_the_same_office(office, other_office):
    require_due_diligence(office)
    require_due_diligence(other_office)
    first = applied(office)
    record(office, first.organisation)
    later = applied(office, organisation=first.organisation)
    assert due_diligence_blocker(application=later) is None
    elsewhere = applied(other_office, organisation=first.organisation)
    assert "No due diligence check" in due_diligence_blocker(application=elsewhere)


def test_the_last_day_of_validity_still_counts(office):
    require_due_diligence(office)
    application = applied(office)
    record(office, application.organisation, checked_on=dt.date(2025, 11, 23))
    assert due_diligence_blocker(application=application) is None
    other = applied(office)
    record(office, other.organisation, checked_on=dt.date(2025, 11, 22))
    assert "expired on 22 November 2026" in due_diligence_blocker(application=other)


# Service ------------------------------------------------------------------------------------


def test_record_writes_an_audit_event(office):
    require_due_diligence(office)
    organisation = applied(office).organisation
    check = record(office, organisation, financial_notes="  Accounts to March 2026  ")
    assert check.financial_notes == "Accounts to March 2026"
    event = AuditEvent.objects.get(verb="due_diligence.recorded")
    assert event.office == office
    assert event.target_id == str(check.pk)
    assert event.data["outcome"] == "pass"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"outcome": "conditional", "conditions": "  "}, "conditions"),
        ({"checked_on": dt.date(2026, 11, 24)}, "checked_on"),
        ({"outcome": "pass", "positive_cash": False}, "outcome"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(office, kwargs, field):
    require_due_diligence(office)
    organisation = applied(office).organisation
    with pytest.raises(DomainError) as error:
        record(office, organisation, **kwargs)
    assert error.value.field == field
    assert not DueDiligenceCheck.objects.exists()
    assert not AuditEvent.objects.filter(verb="due_diligence.recorded").exists()


def test_a_pass_needs_only_the_checks_the_office_makes(office):
    require_due_diligence(office, checks=["financial"])
    organisation = applied(office).organisation
    check = record(office, organisation, effective=False, partners_supportive=False)
    assert check.outcome == "pass"


def test_only_officers_may_record(office):
    require_due_diligence(office)
    organisation = applied(office).organisation
    with pytest.raises(DomainError):
        record(office, organisation, actor=staff_user(office, Role.AUDITOR, mfa=False))


def test_no_validity_in_the_pack_refuses_recording(office):
    organisation = applied(office).organisation
    with pytest.raises(DomainError):
        record(office, organisation)


# Pages and API ------------------------------------------------------------------------------


def page_url(office, organisation):
    return reverse("due_diligence:page", args=[office.slug, organisation.ref])


def form_data(**overrides):
    data = {
        "checked_on_0": "20",
        "checked_on_1": "11",
        "checked_on_2": "2026",
        "financial": ["accounts_reviewed", "no_irregularities", "positive_cash"],
        "non_financial": ["safeguarding", "data_protection"],
        "effectiveness": ["effective"],
        "partner_views": ["partners_supportive"],
        "financial_notes": "Reserves cover four months.",
        "outcome": "pass",
    }
    data.update(overrides)
    return data


def test_officer_records_a_check_from_the_page(client, office):
    require_due_diligence(office)
    organisation = applied(office).organisation
    sign_in(client, staff_user(office))
    response = client.get(page_url(office, organisation))
    assert response.status_code == 200
    assert "No due diligence check has been recorded" in response.content.decode()
    response = client.post(page_url(office, organisation), form_data())
    assert response.status_code == 302
    check = DueDiligenceCheck.objects.get()
    assert check.checked_on == dt.date(2026, 11, 20)
    assert check.valid_until == dt.date(2027, 11, 20)
    assert check.financial_notes == "Reserves cover four months."
    response = client.get(page_url(office, organisation))
    assert "20 November 2027" in response.content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"outcome": ""},
        {"outcome": "conditional", "conditions": ""},
        {"checked_on_0": "31", "checked_on_1": "2"},
        {"outcome": "pass", "financial": ["accounts_reviewed"]},
        {"financial": ["not-a-check"]},
    ],
)
def test_bad_form_input_shows_errors_and_saves_nothing(client, office, overrides):
    require_due_diligence(office)
    organisation = applied(office).organisation
    sign_in(client, staff_user(office))
    response = client.post(page_url(office, organisation), form_data(**overrides))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not DueDiligenceCheck.objects.exists()


def test_readers_see_the_list_without_the_form(client, office):
    require_due_diligence(office)
    organisation = applied(office).organisation
    record(office, organisation)
    sign_in(client, staff_user(office, Role.AUDITOR))
    response = client.get(page_url(office, organisation))
    assert response.status_code == 200
    assert "Record a check" not in response.content.decode()
    assert client.post(page_url(office, organisation), form_data()).status_code == 404


def test_page_is_404_for_another_office_and_for_non_staff(client, office, other_office):
    require_due_diligence(office)
    organisation = applied(office).organisation
    record(office, organisation)
    draft_only = applied(office, status=Status.DRAFT).organisation
    cases = {
        "another office's officer": (staff_user(other_office), office, organisation),
        "an officer asking through another office": (
            staff_user(other_office),
            other_office,
            organisation,
        ),
        "a panel member": (staff_user(office, Role.PANEL_MEMBER), office, organisation),
        "an organisation with only a draft": (staff_user(office), office, draft_only),
    }
    for who, (user, asked_office, asked_organisation) in cases.items():
        sign_in(client, user)
        response = client.get(page_url(asked_office, asked_organisation))
        assert response.status_code == 404, who
        response = client.get(api_url(asked_office, asked_organisation))
        assert response.status_code == 404, who


def test_list_page_query_count_is_constant(client, office, django_assert_max_num_queries):
    require_due_diligence(office)
    organisation = applied(office).organisation
    officer = staff_user(office)
    sign_in(client, officer)
    record(office, organisation, actor=officer)
    with django_assert_max_num_queries(20) as few:
        client.get(page_url(office, organisation))
    for _ in range(6):
        record(office, organisation, actor=staff_user(office, mfa=False), checked_on=TODAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page_url(office, organisation))


def api_url(office, organisation):
    return f"/api/v1/offices/{office.slug}/organisations/{organisation.ref}/due-diligence"


def test_api_lists_the_checks_for_office_staff(client, office):
    require_due_diligence(office)
    organisation = applied(office).organisation
    record(office, organisation, checked_on=dt.date(2026, 1, 5))
    record(office, organisation, outcome="conditional", conditions="Monthly cash reports")
    sign_in(client, staff_user(office, Role.AUDITOR))
    response = client.get(api_url(office, organisation))
    assert response.status_code == 200
    data = response.json()
    assert [c["outcome"] for c in data] == ["conditional", "pass"]
    assert data[0]["conditions"] == "Monthly cash reports"
    assert data[1]["valid_until"] == "2027-01-05"


def test_summary_include_renders_on_its_own(office, rf):
    from django.template.loader import render_to_string

    require_due_diligence(office)
    application = applied(office)
    html = render_to_string(
        "organisations/staff/_due_diligence_summary.html", {"application": application}
    )
    assert "No due diligence check has been recorded" in html
    assert "needs a valid due diligence check" in html
    record(office, application.organisation)
    html = render_to_string(
        "organisations/staff/_due_diligence_summary.html", {"application": application}
    )
    assert "Passed" in html and "23 November 2027" in html


# Demo ---------------------------------------------------------------------------------------


def test_demo_adds_passes_and_an_expired_check_once(office):
    require_due_diligence(office)
    staff_user(office, mfa=False)
    applications = [applied(office) for _ in range(3)]
    assert seed_due_diligence(office) == 3
    assert seed_due_diligence(office) == 0
    reasons = [due_diligence_blocker(application=a) for a in applications]
    assert sum(r is None for r in reasons) == 2
    assert sum("expired" in (r or "") for r in reasons) == 1
