"""Faults (issue 14, item 5): a gunicorn worker killed (`kill -9`) while a large upload to a
draft is in flight, and a task worker killed in the middle of its task. PostgreSQL only: the
processes share the test database."""

import contextlib
import os
import signal
import socket
import subprocess  # noqa: S404 - starts the product's own worker, no shell
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import (
    connection,  # noqa: F401 - read by the skipif below
    transaction,
)
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from commissioning.applications.models import Application, Attachment, Status
from commissioning.core.jobs import job_enqueue, jobs_requeue_abandoned, run_job
from commissioning.core.models import Job, OutboxMessage
from tests.applications.factories import CompleteDraftFactory, RoundFactory, member_of
from tests.operations import servers
from tests.operations.slow_work import slow_note

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL"),
    pytest.mark.xdist_group("app-servers"),
    pytest.mark.django_db(transaction=True),
]

BOUNDARY = "----commissioning-fault-test"
LARGE = 8 * 1024 * 1024  # under the 10 MB limit, so the upload is a good one


def multipart(description: str, size: int) -> bytes:
    head = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="description"\r\n\r\n{description}\r\n'
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="quote.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n"
    ).encode()
    pdf = b"%PDF-1.4\n" + b"0" * (size - 20) + b"\n%%EOF\n"
    return head + pdf + f"\r\n--{BOUNDARY}--\r\n".encode()


def snapshot(application):
    application = Application.objects.get(pk=application.pk)
    return (
        application.status,
        application.title,
        application.amount_requested,
        application.reference,
        application.attachments.count(),
        application.budget_lines.count(),
        application.outcomes.count(),
    )


def stored_files(var_dir: Path) -> list[Path]:
    media = var_dir / "media"
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_a_worker_killed_during_a_large_upload_leaves_the_draft_as_it_was(tmp_path, office):
    application = CompleteDraftFactory(round=RoundFactory(fund=office.funds.get(code="CF")))
    user = member_of(application.organisation)
    before = snapshot(application)
    (server,) = servers.start(tmp_path, 1, workers=1, threads=1)
    try:
        session_key = servers.signed_in_session(user, mfa=False)
        path = f"/applications/{application.public_id}/attachments/add/"
        body = multipart("Quote for the lighting", LARGE)
        (worker,) = server.worker_pids()
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(
                (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                    f"Content-Length: {len(body)}\r\n"
                    f"Cookie: sessionid={session_key}; csrftoken={servers.CSRF}\r\n"
                    f"X-CSRFToken: {servers.CSRF}\r\n\r\n"
                ).encode()
            )
            sock.sendall(body[: len(body) // 2])  # half the file is on its way
            time.sleep(1.0)
            os.kill(worker, signal.SIGKILL)
            sock.settimeout(10)
            with contextlib.suppress(OSError):
                sock.recv(1024)  # the connection just ends
        # Nothing of the half-received upload is kept, and the draft is as it was.
        assert snapshot(application) == before
        assert not Attachment.objects.filter(application=application).exists()
        assert stored_files(tmp_path) == []
        # gunicorn replaces the worker; the applicant sends the file again and submits.
        deadline = time.monotonic() + 60
        while server.worker_pids() in ([], [worker]) and time.monotonic() < deadline:
            time.sleep(0.2)
        server.wait_ready()
        browser = servers.http_session(session_key)
        upload = browser.post(
            server.url + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            allow_redirects=False,
            timeout=120,
        )
        assert upload.status_code == 302, upload.text[:500]
        assert Attachment.objects.filter(application=application).count() == 1
        submit = browser.post(
            f"{server.url}/applications/{application.public_id}/check/",
            data={"send_endorsement_requests": "yes"},
            allow_redirects=False,
            timeout=60,
        )
        assert submit.status_code == 302
        assert submit.headers["Location"].endswith("/submitted/")
        assert Application.objects.get(pk=application.pk).status != Status.DRAFT
    finally:
        server.stop()


def _worker(var_dir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.operations.server_settings",
        "DATABASE_URL": servers.database_url(),
        "COMMISSIONING_VAR_DIR": str(var_dir),
        "PYTHONPATH": os.pathsep.join([str(servers.ROOT / "src"), str(servers.ROOT)]),
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"]
    return subprocess.Popen(  # noqa: S603
        command,
        cwd=servers.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_task_worker_killed_mid_task_runs_the_task_again_and_does_its_work_once(
    tmp_path, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    marker = tmp_path / "started"
    with transaction.atomic():
        job = job_enqueue(slow_note, marker=str(marker))
    assert DBTaskResult.objects.ready().count() == 1
    worker = _worker(tmp_path)
    try:
        _wait(marker.exists)  # the work is half done: its e-mail written, not committed
        assert OutboxMessage.objects.filter(subject=str(marker)).count() == 0
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING
    # A fresh task is still running, so it is left alone; once abandoned it is put back.
    assert jobs_requeue_abandoned() == 0
    assert jobs_requeue_abandoned(older_than=timedelta(0)) == 1
    assert jobs_requeue_abandoned(older_than=timedelta(0)) == 0
    worker = _worker(tmp_path)
    try:
        _wait(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    job.refresh_from_db()
    assert job.attempts == 1
    assert OutboxMessage.objects.filter(subject=str(marker)).count() == 1
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    # A late duplicate delivery of the same job does nothing.
    run_job.call(job_id=job.pk)
    assert OutboxMessage.objects.filter(subject=str(marker)).count() == 1
