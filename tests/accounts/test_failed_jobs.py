"""Failed background jobs (engineering issue, item 3): work that still fails after its retries
is shown to the office administrator of its office, who can run it again."""

import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from commissioning.accounts.mfa import totp_activate
from commissioning.accounts.models import Role
from commissioning.accounts.services import job_retry
from commissioning.applications.services import application_submit
from commissioning.audit.models import AuditEvent
from commissioning.core import jobs
from commissioning.core.errors import DomainError
from commissioning.core.models import Job
from tests.accounts.factories import TOTP_SECRET, UserFactory, sign_in, staff_user
from tests.applications.factories import CompleteDraftFactory, RoundFactory, member_of

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:failed_jobs")


class MailServerDown:
    calls = 0

    def __call__(self, *args, **kwargs):
        MailServerDown.calls += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def failed_receipt(office, monkeypatch, django_capture_on_commit_callbacks):
    """An application submitted while the mail server was down: its receipt job failed."""
    MailServerDown.calls = 0
    monkeypatch.setattr("commissioning.applications.services.send_mail", MailServerDown())
    application = CompleteDraftFactory(round=RoundFactory(fund=office.funds.get(code="CF")))
    user = member_of(application.organisation, email="lead@group.example")
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, actor=user)
    monkeypatch.undo()
    return Job.objects.get(name="commissioning.applications.services.send_receipt")


def test_a_receipt_that_cannot_be_sent_is_retried_then_kept_as_failed(failed_receipt):
    assert MailServerDown.calls == jobs.MAX_ATTEMPTS == failed_receipt.attempts
    assert failed_receipt.status == Job.Status.FAILED
    assert "SMTPServerDisconnected" in failed_receipt.last_error
    # The submission itself stands, and screening (a separate job) still ran.
    application = failed_receipt.office.applications.get()
    assert application.reference and application.screening_results.exists()


def test_the_office_administrator_sees_the_failed_job(client, office, failed_receipt):
    sign_in(client, staff_user(office, Role.OFFICE_ADMIN))
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Application receipt e-mail" in html and "SMTPServerDisconnected" in html
    assert reverse("accounts:failed_job_retry", args=[failed_receipt.pk]) in html


def test_another_offices_administrator_neither_sees_nor_retries_it(
    client, other_office, failed_receipt
):
    sign_in(client, staff_user(other_office, Role.OFFICE_ADMIN))
    page = client.get(PAGE)
    assert page.status_code == 200 and "Application receipt e-mail" not in page.content.decode()
    retry = client.post(reverse("accounts:failed_job_retry", args=[failed_receipt.pk]))
    assert retry.status_code == 404
    failed_receipt.refresh_from_db()
    assert failed_receipt.status == Job.Status.FAILED


def test_staff_who_are_not_office_administrators_cannot_open_the_page(
    client, office, failed_receipt
):
    officer = staff_user(office, Role.COMMISSIONING_OFFICER)
    sign_in(client, officer)
    assert client.get(PAGE).status_code == 404
    retry = client.post(reverse("accounts:failed_job_retry", args=[failed_receipt.pk]))
    assert retry.status_code == 404


def test_a_system_administrator_sees_every_offices_failed_jobs(client, failed_receipt):
    sysadmin = UserFactory(is_superuser=True, is_staff=True)
    totp_activate(user=sysadmin, secret=TOTP_SECRET)
    sign_in(client, sysadmin)
    assert "Application receipt e-mail" in client.get(PAGE).content.decode()


def test_the_retry_button_runs_the_job_again_and_records_who(
    client, office, failed_receipt, django_capture_on_commit_callbacks
):
    admin = staff_user(office, Role.OFFICE_ADMIN)
    sign_in(client, admin)
    mail.outbox.clear()
    url = reverse("accounts:failed_job_retry", args=[failed_receipt.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == PAGE
    failed_receipt.refresh_from_db()
    assert failed_receipt.status == Job.Status.DONE
    assert failed_receipt.attempts == jobs.MAX_ATTEMPTS + 1
    assert [m.to for m in mail.outbox] == [["lead@group.example"]]
    event = AuditEvent.objects.get(verb="job.retried")
    assert event.actor == admin and event.office == office
    assert "No background job has failed." in response.content.decode()


def test_the_retry_button_needs_a_post_with_the_csrf_token(client, office, failed_receipt):
    sign_in(client, staff_user(office, Role.OFFICE_ADMIN))
    url = reverse("accounts:failed_job_retry", args=[failed_receipt.pk])
    assert client.get(url).status_code == 405
    client.handler.enforce_csrf_checks = True
    assert client.post(url).status_code == 403
    failed_receipt.refresh_from_db()
    assert failed_receipt.status == Job.Status.FAILED


def test_a_job_that_has_not_failed_cannot_be_retried(office, failed_receipt):
    admin = staff_user(office, Role.OFFICE_ADMIN)
    Job.objects.filter(pk=failed_receipt.pk).update(status=Job.Status.DONE)
    with pytest.raises(DomainError, match="no longer waiting"):
        job_retry(job=failed_receipt, actor=admin)
    assert not AuditEvent.objects.filter(verb="job.retried").exists()


def test_the_failed_jobs_page_costs_a_fixed_number_of_queries(
    client, office, failed_receipt, django_assert_max_num_queries
):
    sign_in(client, staff_user(office, Role.OFFICE_ADMIN))
    with django_assert_max_num_queries(12):
        client.get(PAGE)
