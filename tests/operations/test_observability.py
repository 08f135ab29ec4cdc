"""Health checks, request ids and JSON logs (issue 14, item 2), and the content security
policy the pages are sent with (item 1)."""

import datetime as dt
import json
import logging
import re

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from commissioning.applications.models import Status
from commissioning.core.models import Job
from commissioning.core.observability import JsonFormatter, RequestIdFilter
from tests.accounts.factories import sign_in
from tests.applications.factories import CompleteDraftFactory, RoundFactory, member_of

pytestmark = pytest.mark.django_db


def _task(**fields):
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="commissioning.core.jobs.run_job",
        backend_name="default",
        run_after=fields.pop("run_after", get_date_max()),
        **fields,
    )


def test_healthz_answers_without_a_database_question(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_checks_the_database_migrations_and_the_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["checks"] == {"database": "ok", "migrations": "ok", "task_queue": "ok"}
    assert body["queue"]["waiting"] == 0 and body["queue"]["failed_jobs"] == 0


def test_readyz_is_unavailable_when_the_oldest_waiting_task_is_too_old(client, settings):
    settings.COMMISSIONING_READY_QUEUE_MAX_AGE = 300
    fresh = _task()
    assert client.get("/readyz").status_code == 200
    DBTaskResult.objects.filter(pk=fresh.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=6)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["task_queue"] == "behind"
    assert response.json()["queue"]["oldest_waiting_seconds"] >= 360
    # A task deferred to later (a retry) is not waiting yet.
    DBTaskResult.objects.all().delete()
    _task(run_after=timezone.now() + dt.timedelta(minutes=4))
    assert client.get("/readyz").status_code == 200


def test_readyz_counts_failed_jobs_and_tasks(client):
    Job.objects.create(name="x.y", status=Job.Status.FAILED, attempts=3)
    Job.objects.create(name="x.y", status=Job.Status.DONE, attempts=1)
    _task(status=TaskResultStatus.FAILED)
    queue = client.get("/readyz").json()["queue"]
    assert queue["failed_jobs"] == 1 and queue["failed_tasks"] == 1


def test_health_checks_answer_on_plain_http_when_everything_else_is_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    response = client.get("/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_every_response_carries_a_request_id_and_keeps_a_sensible_one_it_was_given(client):
    first = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert client.get("/healthz")["X-Request-ID"] != first
    given = client.get("/healthz", headers={"X-Request-ID": "lb-0123456789abcdef"})
    assert given["X-Request-ID"] == "lb-0123456789abcdef"
    odd = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", odd["X-Request-ID"])


@pytest.fixture
def log_lines():
    """Every log line written while the test runs, as production writes it (JSON), at INFO
    for everything and DEBUG for the product's own loggers."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect(level=logging.DEBUG)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    product = logging.getLogger("commissioning")
    levels = root.level, product.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    product.setLevel(logging.DEBUG)
    yield lines
    root.removeHandler(handler)
    root.setLevel(levels[0])
    product.setLevel(levels[1])


@pytest.mark.django_db(transaction=True)
def test_a_submission_logs_json_with_request_ids_and_no_personal_data(client, office, log_lines):
    """The receipt and screening run in the request (the tests' immediate task backend), so
    their lines are the request's too."""
    application = CompleteDraftFactory(round=RoundFactory(fund=office.funds.get(code="CF")))
    applicant = member_of(
        application.organisation, full_name="Philippa Quarrington", email="philippa.q@home.example"
    )
    sign_in(client, applicant, mfa=False)
    response = client.post(
        f"/applications/{application.public_id}/check/", {"send_endorsement_requests": "yes"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status != Status.DRAFT
    client.get(f"/applications/{application.public_id}/submitted/")
    client.get("/applications/no-such-draft/")  # a 404 is logged as a warning
    entries = [json.loads(line) for line in log_lines]
    assert len(entries) >= 3
    request_ids = {e["request_id"] for e in entries if e["logger"] == "commissioning.request"}
    assert len(request_ids) == 3 and "-" not in request_ids
    assert all(e["request_id"] != "-" for e in entries)
    everything = "\n".join(log_lines).lower()
    for personal in ("philippa", "quarrington", "philippa.q@home.example", "home.example"):
        assert personal not in everything


def test_an_e_mail_address_in_an_error_is_redacted_in_the_log():
    record = logging.LogRecord(
        "commissioning.core.jobs", logging.ERROR, "", 0, "Refused %s", ("pat@example.org",), None
    )
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Refused [e-mail]" and line["request_id"] == "-"


def test_pages_are_sent_with_the_policy_and_have_no_inline_script_or_style(client, office):
    member = member_of(
        CompleteDraftFactory(round=RoundFactory(fund=office.funds.get(code="CF"))).organisation
    )
    pages = ["/", f"/{office.slug}/funding/", "/accounts/login/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        html = response.content.decode()
        # Every script is a file from this site; no inline script, style block or attribute.
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], url
        assert "<style" not in html and " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url
    sign_in(client, member, mfa=False)
    response = client.get("/applications/")
    assert "<style" not in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
