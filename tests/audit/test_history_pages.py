"""The audit trail's pages (TR6): a record's history for the office's staff (who, what, when,
before and after); the office-wide log, filterable, with a CSV, for the auditor role. Another
office's staff, panel members and applicants get 404; the log costs a constant number of
queries."""

import csv
import io

import pytest

from commissioning.accounts.models import Role
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import audit_event_record
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import member_of
from tests.awards.factories import award_by_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(office, officer, round_, signatories):
    (award,) = award_by_decision(office, officer, round_, signatories, amounts=("2500",))
    return award


@pytest.fixture
def auditor(office):
    return staff_user(office, Role.AUDITOR)


def test_an_awards_history_shows_who_what_when_before_and_after(client, office, officer, award):
    sign_in(client, officer)
    page = client.get(f"/staff/{office.slug}/history/award/{award.reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    event = AuditEvent.objects.filter(target_type="awards.award", target_id=str(award.pk)).first()
    assert event is not None and f"<code>{event.verb}</code>" in html
    assert "Before" in html and "After" in html


def test_an_applications_history_includes_its_saved_versions(client, office, officer, award):
    sign_in(client, officer)
    application = award.application
    page = client.get(f"/staff/{office.slug}/history/application/{application.reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "saved version" in html
    # The status moved from recommended on to approved: both sides of the change are shown.
    assert "recommended" in html and "approved" in html


def test_a_returns_and_a_decisions_history_by_reference(client, office, officer, award):
    from commissioning.monitoring.models import MonitoringReturn

    sign_in(client, officer)
    decision = award.decision
    assert client.get(f"/staff/{office.slug}/history/decision/{decision.slug}/").status_code == 200
    if MonitoringReturn.objects.filter(award=award).exists():
        url = f"/staff/{office.slug}/history/return/{award.reference}/1/"
        assert client.get(url).status_code == 200
    assert (
        client.get(f"/staff/{office.slug}/history/return/{award.reference}/x/").status_code == 404
    )
    assert client.get(f"/staff/{office.slug}/history/thing/{award.reference}/").status_code == 404


def test_history_is_for_the_offices_staff_only(client, office, other_office, award):
    url = f"/staff/{office.slug}/history/award/{award.reference}/"
    sign_in(client, staff_user(other_office, Role.COMMISSIONING_OFFICER))
    assert client.get(url).status_code == 404
    other_url = f"/staff/{other_office.slug}/history/award/{award.reference}/"
    assert client.get(other_url).status_code == 404  # not in the other office either
    sign_in(client, staff_user(office, Role.PANEL_MEMBER))
    assert client.get(url).status_code == 404
    client.force_login(member_of(award.organisation))
    assert client.get(url).status_code == 404


def test_the_log_is_for_auditors_and_administrators(client, office, officer, auditor, award):
    sign_in(client, auditor)
    page = client.get(f"/staff/{office.slug}/audit/")
    assert page.status_code == 200 and award.reference in page.content.decode()
    sign_in(client, staff_user(office, Role.OFFICE_ADMIN))
    assert client.get(f"/staff/{office.slug}/audit/").status_code == 200
    sign_in(client, officer)
    assert client.get(f"/staff/{office.slug}/audit/").status_code == 404
    assert client.get(f"/staff/{office.slug}/audit/log.csv").status_code == 404


def test_another_offices_auditor_gets_404(client, office, other_office, award):
    sign_in(client, staff_user(other_office, Role.AUDITOR))
    assert client.get(f"/staff/{office.slug}/audit/").status_code == 404
    assert client.get(f"/staff/{office.slug}/audit/log.csv").status_code == 404
    event = AuditEvent.objects.filter(office=office).first()
    url = f"/staff/{other_office.slug}/audit/records/{event.target_type}/{event.target_id}/"
    assert client.get(url).status_code == 404


def test_the_log_filters_and_links_each_row_to_its_history(client, office, auditor, award):
    sign_in(client, auditor)
    page = client.get(
        f"/staff/{office.slug}/audit/", {"verb": "award", "target_type": "awards.award"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "decision.signed" not in html
    url = f"/staff/{office.slug}/audit/records/awards.award/{award.pk}/"
    assert url in html
    assert client.get(url).status_code == 200
    nothing = client.get(f"/staff/{office.slug}/audit/", {"actor": "nobody-at-all"})
    assert "No events match." in nothing.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2026-13-45"},
        {"since": "2026-05-01", "until": "2026-04-01"},
        {"target_type": "nope.nope"},
        {"page": "abc"},
        {"page": "0"},
    ],
)
def test_bad_log_filters_are_a_form_error_not_a_server_error(client, office, auditor, query):
    sign_in(client, auditor)
    page = client.get(f"/staff/{office.slug}/audit/", query)
    assert page.status_code == 400 and "There is a problem" in page.content.decode()
    assert client.get(f"/staff/{office.slug}/audit/log.csv", query).status_code == 400


def test_the_csv_holds_the_filtered_events(client, office, auditor, award):
    audit_event_record(
        actor=auditor, verb="note.added", target=award, office=office, data={"text": "=SUM(A1)"}
    )
    sign_in(client, auditor)
    response = client.get(f"/staff/{office.slug}/audit/log.csv", {"verb": "note"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["when", "who", "what", "record_type", "record_id", "record", "details"]
    assert len(rows) == 2
    assert rows[1][1] == auditor.email and rows[1][2] == "note.added"
    assert rows[1][3:6] == ["awards.award", str(award.pk), award.reference]


def test_the_log_costs_a_constant_number_of_queries(
    client, office, auditor, award, django_assert_max_num_queries
):
    sign_in(client, auditor)
    client.get(f"/staff/{office.slug}/audit/")  # warm the session
    for n in range(30):
        audit_event_record(actor=auditor, verb=f"note.{n}", target=award, office=office)
    with django_assert_max_num_queries(12):
        assert client.get(f"/staff/{office.slug}/audit/").status_code == 200


def test_the_staff_home_links_to_the_dashboard_reports_and_for_auditors_the_log(
    client, office, officer, auditor
):
    sign_in(client, auditor)
    html = client.get("/staff/").content.decode()
    for path in ("dashboard/", "reports/", "audit/"):
        assert f"/staff/{office.slug}/{path}" in html
    sign_in(client, officer)
    html = client.get("/staff/").content.decode()
    assert f"/staff/{office.slug}/dashboard/" in html
    assert f"/staff/{office.slug}/audit/" not in html
