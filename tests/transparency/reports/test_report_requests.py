"""Reports asked for from the staff page are made in the background (TR5): asking stores a
request and queues a job on commit; the job makes one file and the request becomes ready to
download by the office's staff only; a job that keeps failing leaves the request failed, with
what went wrong shown, to ask for again."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from commissioning.accounts.models import Role
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.core.jobs import MAX_ATTEMPTS
from commissioning.core.models import Job
from commissioning.transparency.reports import services
from commissioning.transparency.reports.models import ReportRequest, ReportStatus
from commissioning.transparency.reports.services import (
    report_make,
    report_request_create,
    report_request_retry,
    report_storage_path,
)
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import member_of
from tests.transparency.dashboards.factories import funded_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(office, officer, round_, signatories):
    return funded_office(office, officer, round_, signatories)


def _files(office) -> list[str]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / "reports" / office.slug
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def _ask(client, office, **data):
    return client.post(
        f"/staff/{office.slug}/reports/",
        {"kind": "panel", "year": "2026", "format": "pdf", **data},
    )


def test_asking_queues_a_job_that_makes_the_file_to_download(
    client, office, officer, funded, django_capture_on_commit_callbacks
):
    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, office)
    assert response.status_code == 302
    report = ReportRequest.objects.get()
    assert (report.kind, report.year, report.format) == ("panel", 2026, "pdf")
    assert report.created_by == officer and report.status == ReportStatus.READY
    assert report.job.status == Job.Status.DONE and report.job.office == office
    assert report.filename == "testshire-panel-report-2026-27.pdf"
    assert _files(office) == [f"{report.public_id}.pdf"]
    verbs = AuditEvent.objects.filter(
        target_type="transparency.reportrequest", target_id=str(report.pk)
    ).values_list("verb", flat=True)
    assert list(verbs.order_by("id")) == ["report.requested", "report.ready"]

    page = client.get(f"/staff/{office.slug}/reports/").content.decode()
    assert "Refresh the list" in page and "Ready" in page
    download = client.get(f"/staff/{office.slug}/reports/{report.public_id}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert 'filename="testshire-panel-report-2026-27.pdf"' in download["Content-Disposition"]


def test_the_xlsx_is_made_too(client, office, officer, funded, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, office, kind="annual", format="xlsx")
    report = ReportRequest.objects.get()
    download = client.get(f"/staff/{office.slug}/reports/{report.public_id}/download/")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "Summary" in book.sheetnames


def test_a_report_being_made_is_listed_and_cannot_be_downloaded_yet(
    client, office, officer, funded, django_capture_on_commit_callbacks
):
    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _ask(client, office)
        _ask(client, office)  # a second click while the first is being made
    report = ReportRequest.objects.get()
    assert len(callbacks) == 1 and report.status == ReportStatus.QUEUED
    page = client.get(f"/staff/{office.slug}/reports/").content.decode()
    assert "Being made" in page and f"{report.public_id}/download/" not in page
    url = f"/staff/{office.slug}/reports/{report.public_id}/download/"
    assert client.get(url).status_code == 404
    # An attempt failed and another is due: the list says so.
    Job.objects.filter(pk=report.job_id).update(attempts=1, last_error="RuntimeError: busy")
    page = client.get(f"/staff/{office.slug}/reports/").content.decode()
    assert "Trying again" in page and "It failed once and will be tried again" in page


def test_running_the_job_twice_makes_one_file(office, officer, funded):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "job_enqueue", lambda *a, **k: None)
        report = report_request_create(
            office=office, kind="panel", year=2026, fmt="pdf", actor=officer
        )
    # A killed attempt left its file behind without marking the request.
    default_storage.save(report_storage_path(report), io.BytesIO(b"half a file"))
    report_make(report_id=report.pk)
    report_make(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert _files(office) == [f"{report.public_id}.pdf"]
    with default_storage.open(report.file_path, "rb") as handle:
        assert handle.read().startswith(b"%PDF")
    assert report.status_changes.count() == 1


def test_a_job_that_keeps_failing_shows_the_failure_and_can_be_asked_for_again(
    client, office, officer, funded, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(report, fmt):
        raise RuntimeError("The chart could not be drawn")

    monkeypatch.setattr(services, "report_file", broken)
    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, office)
    report = ReportRequest.objects.get()
    assert report.status == ReportStatus.FAILED and report.finished_at
    assert report.error == "RuntimeError: The chart could not be drawn"
    assert report.job.status == Job.Status.FAILED and report.job.attempts == MAX_ATTEMPTS
    assert _files(office) == []
    page = client.get(f"/staff/{office.slug}/reports/").content.decode()
    assert "Failed" in page and "The chart could not be drawn" in page and "Ask again" in page

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/staff/{office.slug}/reports/{report.public_id}/again/")
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.error == ""
    assert report.job.status == Job.Status.DONE
    assert [c.new for c in report.status_changes.all()] == ["failed", "queued", "ready"]


def test_only_a_failed_report_is_asked_for_again(office, officer, funded):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "job_enqueue", lambda *a, **k: None)
        report = report_request_create(
            office=office, kind="panel", year=2026, fmt="pdf", actor=officer
        )
    with pytest.raises(DomainError, match="Only a report that failed"):
        report_request_retry(report=report, actor=officer)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "weekly"}, "Choose the Police and Crime Panel report or the annual data pack"),
        ({"year": "1999"}, "Choose a financial year from the list"),
        ({"year": "soon"}, "Choose a financial year from the list"),
        ({"format": "doc"}, "Choose PDF or spreadsheet (XLSX)"),
        ({"kind": ""}, "Choose which report to make"),
    ],
)
def test_bad_choices_are_explained_and_nothing_is_stored(
    client, office, officer, funded, data, message
):
    sign_in(client, officer)
    response = _ask(client, office, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "weekly"}, "Choose the Police"),
        ({"fmt": "doc"}, "Choose PDF"),
        ({"year": 1999}, "Choose a financial year"),
    ],
)
def test_the_service_refuses_what_the_form_would(office, officer, kwargs, message):
    values = {"kind": "panel", "year": 2026, "fmt": "pdf", **kwargs}
    with pytest.raises(DomainError, match=message):
        report_request_create(office=office, actor=officer, **values)
    assert not ReportRequest.objects.exists()


def test_another_offices_staff_cannot_see_download_or_ask_again(
    client, office, other_office, officer, funded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request_create(
            office=office, kind="panel", year=2026, fmt="pdf", actor=officer
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    download = f"/staff/{office.slug}/reports/{report.public_id}/download/"
    again = f"/staff/{office.slug}/reports/{report.public_id}/again/"

    sign_in(client, staff_user(other_office, Role.COMMISSIONING_OFFICER))
    assert client.get(f"/staff/{office.slug}/reports/").status_code == 404
    assert client.get(download).status_code == 404
    assert client.post(again).status_code == 404
    assert _ask(client, office).status_code == 404
    # Through their own office's address, the report is not theirs: 404 as if missing.
    theirs = f"/staff/{other_office.slug}/reports/{report.public_id}/download/"
    assert client.get(theirs).status_code == 404
    assert client.get(f"/staff/{other_office.slug}/reports/nothing/download/").status_code == 404

    client.force_login(member_of(funded.published.organisation))
    assert client.get(download).status_code == 404
    sign_in(client, staff_user(office, Role.PANEL_MEMBER))
    assert client.get(download).status_code == 404
    assert ReportRequest.objects.count() == 1


def test_the_list_costs_the_same_queries_however_many_reports(
    client, office, officer, funded, django_assert_max_num_queries
):
    sign_in(client, officer)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "job_enqueue", lambda *a, **k: None)
        report_request_create(office=office, kind="panel", year=2026, fmt="pdf", actor=officer)
        client.get(f"/staff/{office.slug}/reports/")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            client.get(f"/staff/{office.slug}/reports/")
        for kind in ("annual",):
            for fmt in ("pdf", "xlsx"):
                report_request_create(office=office, kind=kind, year=2026, fmt=fmt, actor=officer)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(f"/staff/{office.slug}/reports/")
    assert page.content.decode().count("Being made") == 3
