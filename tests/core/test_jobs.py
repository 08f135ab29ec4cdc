"""Background work (engineering issue, item 3): queued on commit, run as a django-tasks task,
retried a bounded number of times, and kept as failed when it still fails."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from commissioning.core import jobs
from commissioning.core.jobs import job_enqueue, run_job
from commissioning.core.models import Job
from tests.core import background_work
from tests.core.background_work import flaky, flaky_told

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}


@pytest.fixture(autouse=True)
def _fresh_counters():
    background_work.FAILURES.clear()
    background_work.RUNS.clear()
    background_work.TOLD.clear()


def test_a_job_runs_only_after_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            job = job_enqueue(flaky, key="a")
    assert background_work.RUNS == [] and len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert background_work.RUNS == ["a"]
    assert job.status == Job.Status.DONE and job.attempts == 1 and job.finished_at


def test_a_job_whose_transaction_rolls_back_never_runs(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            job_enqueue(flaky, key="b")
            1 / 0  # noqa: B018
    assert callbacks == [] and not Job.objects.exists() and background_work.RUNS == []


def test_a_job_that_raises_is_retried_until_it_succeeds(django_capture_on_commit_callbacks):
    background_work.FAILURES["c"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(flaky, key="c")
    job.refresh_from_db()
    assert background_work.RUNS == ["c", "c", "c"]
    assert job.status == Job.Status.DONE and job.attempts == 3


def test_a_job_that_keeps_raising_stops_after_its_attempts_and_is_kept_as_failed(
    django_capture_on_commit_callbacks,
):
    background_work.FAILURES["d"] = 99
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(flaky, key="d")
    job.refresh_from_db()
    assert len(background_work.RUNS) == jobs.MAX_ATTEMPTS == job.attempts
    assert job.status == Job.Status.FAILED and job.finished_at
    assert job.last_error == "RuntimeError: d is not ready yet"


def test_work_that_fails_for_good_is_told_once_after_its_last_attempt(
    django_capture_on_commit_callbacks,
):
    background_work.FAILURES.update({"e": 99, "f": 1})
    with django_capture_on_commit_callbacks(execute=True):
        failed = job_enqueue(flaky_told, key="e")
        retried = job_enqueue(flaky_told, key="f")
    failed.refresh_from_db()
    retried.refresh_from_db()
    assert failed.status == Job.Status.FAILED and retried.status == Job.Status.DONE
    assert background_work.TOLD == {"e": "RuntimeError: e is not ready yet"}


def test_a_failure_hook_that_raises_still_leaves_the_job_failed(
    django_capture_on_commit_callbacks,
):
    background_work.FAILURES["loud"] = 99
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(flaky_told, key="loud")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == jobs.MAX_ATTEMPTS
    assert job.last_error.splitlines() == [
        "RuntimeError: loud is not ready yet",
        "ValueError: could not record the failure",
    ]


def test_job_arguments_must_be_json(office):
    with pytest.raises(TypeError):
        job_enqueue(flaky, key=office)
    assert not Job.objects.exists()


def test_only_registered_work_can_be_queued():
    with pytest.raises(ValueError, match="not registered"):
        job_enqueue(print, key="x")


def test_the_database_backend_queues_a_task_and_a_retry_waits_longer_each_time(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    background_work.FAILURES["e"] = 99
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(flaky, key="e")
    task = DBTaskResult.objects.get()
    assert task.task_path == "commissioning.core.jobs.run_job"
    assert task.args_kwargs == {"args": [], "kwargs": {"job_id": job.pk}}
    assert background_work.RUNS == []  # nothing runs until a worker takes the task

    before = timezone.now()
    run_job.call(job_id=job.pk)
    retry = DBTaskResult.objects.exclude(pk=task.pk).get()
    assert before + dt.timedelta(minutes=1) <= retry.run_after < before + dt.timedelta(minutes=2)
    run_job.call(job_id=job.pk)
    second = DBTaskResult.objects.exclude(pk__in=[task.pk, retry.pk]).get()
    assert before + dt.timedelta(minutes=4) <= second.run_after < before + dt.timedelta(minutes=5)
    run_job.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 3
    assert DBTaskResult.objects.count() == 3  # no fourth attempt is queued


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_the_queued_job(settings):
    settings.TASKS = DATABASE_TASKS
    with transaction.atomic():
        job = job_enqueue(flaky, key="f")
    assert background_work.RUNS == []
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert background_work.RUNS == ["f"] and job.status == Job.Status.DONE


def test_jobs_run_immediately_runs_work_without_a_worker(
    settings, django_capture_on_commit_callbacks
):
    """Demo seeding queues work with no worker running: it runs in the seeding process."""
    settings.TASKS = DATABASE_TASKS
    with jobs.jobs_run_immediately(), django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(flaky, key="g")
    job.refresh_from_db()
    assert background_work.RUNS == ["g"] and job.status == Job.Status.DONE
    assert not DBTaskResult.objects.exists()
