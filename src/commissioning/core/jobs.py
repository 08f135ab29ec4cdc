"""Background work: receipts, letters, e-mails and screening run as django-tasks tasks.

An app marks a function as background work with `@background_job(label=...)` and queues it
with `job_enqueue(func, office=..., **kwargs)` inside its service's transaction. The arguments
are JSON (ids, not objects). After commit one task runs it; a run that raises is tried again
later (a bounded number of times, waiting longer each time), and one that still fails is kept
as a failed job that staff can see and retry. Work whose own record shows staff how it went (a
report being made) names an `on_failure(error=..., **kwargs)` that marks that record when the
job fails for good; it runs after the failed attempt's work was undone.
"""

import contextvars
import importlib
import json
import logging
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from commissioning.core.models import Job

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Wait 1, then 4 minutes before the second and third attempts.
RETRY_DELAY = timedelta(minutes=1)
RETRY_FACTOR = 4
IMMEDIATE_BACKEND = "immediate"


@dataclass(frozen=True)
class JobKind:
    func: object
    label: str
    max_attempts: int
    on_failure: object = None


_KINDS: dict[str, JobKind] = {}
_run_immediately = contextvars.ContextVar("run_jobs_immediately", default=False)


def _path(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def background_job(*, label, max_attempts: int = MAX_ATTEMPTS, on_failure=None):
    """Register a module-level function as background work; `label` names it for staff, and
    `on_failure(error=..., **kwargs)`, if given, is told when it has failed for good."""

    def register(func):
        _KINDS[_path(func)] = JobKind(
            func=func, label=label, max_attempts=max_attempts, on_failure=on_failure
        )
        return func

    return register


def job_kind(name: str) -> JobKind | None:
    """The registered work a job runs, importing its module if this process has not yet."""
    if name not in _KINDS:
        module = name.rsplit(".", 1)[0]
        try:
            importlib.import_module(module)
        except ImportError:
            return None
    return _KINDS.get(name)


def job_label(job: Job) -> str:
    kind = job_kind(job.name)
    return str(kind.label) if kind else job.name


def job_enqueue(func, *, office=None, **kwargs) -> Job:
    """Queue background work to run after the surrounding transaction commits."""
    name = _path(func)
    if name not in _KINDS:
        raise ValueError(f"{name} is not registered with @background_job.")
    json.dumps(kwargs)  # arguments must be JSON: ids and strings, not model instances
    job = Job.objects.create(
        name=name, kwargs=kwargs, office=office, max_attempts=_KINDS[name].max_attempts
    )
    transaction.on_commit(partial(job_start, job.pk))
    return job


def job_start(job_id: int, *, delay: timedelta | None = None) -> None:
    """Hand a job to the task backend, to run after `delay` where the backend can wait."""
    runner = run_job
    if _run_immediately.get():
        runner = runner.using(backend=IMMEDIATE_BACKEND)
    elif delay and runner.get_backend().supports_defer:
        runner = runner.using(run_after=timezone.now() + delay)
    runner.enqueue(job_id=job_id)


@contextmanager
def jobs_run_immediately():
    """Run queued jobs in this process as soon as they are queued (demo seeding, scripts)."""
    token = _run_immediately.set(True)
    try:
        yield
    finally:
        _run_immediately.reset(token)


def retry_delay(attempts: int) -> timedelta:
    return RETRY_DELAY * RETRY_FACTOR ** (attempts - 1)


@task()
def run_job(job_id: int) -> None:
    """Run one attempt of a job; on failure queue the next attempt or mark it failed.

    The job's row stays locked while its work runs, so a second delivery of the same job (a
    task put back by `jobs_requeue_abandoned` while the first still runs) skips it. A worker
    killed mid-task takes its uncommitted work with it: the job is still waiting, and runs
    again, once, when its task is put back."""
    from commissioning.core.observability import request_id_set

    with transaction.atomic(), request_id_set(f"job:{job_id}"):
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status=Job.Status.QUEUED)
            .first()
        )
        if job is None:
            return  # done already, running elsewhere, or a duplicate delivery
        kind = job_kind(job.name)
        job.attempts += 1
        try:
            if kind is None:
                raise LookupError(f"No background work is registered as {job.name}.")
            with transaction.atomic():
                kind.func(**job.kwargs)
        except Exception as exc:
            # Not swallowed: the error is kept on the job, retried, and shown to staff at the end.
            logger.exception("Job %s (%s) failed on attempt %s", job.pk, job.name, job.attempts)
            job.last_error = "".join(traceback.format_exception_only(exc)).strip()[:2000]
        else:
            job.last_error = ""
            job.status = Job.Status.DONE
        if job.status == Job.Status.QUEUED and job.attempts >= job.max_attempts:
            job.status = Job.Status.FAILED
            _tell_failure(job, kind)
        if job.status != Job.Status.QUEUED:
            job.finished_at = timezone.now()
        job.save(update_fields=["attempts", "last_error", "status", "finished_at", "updated_at"])
    if job.status == Job.Status.QUEUED:
        job_start(job.pk, delay=retry_delay(job.attempts))


def _tell_failure(job: Job, kind: JobKind | None) -> None:
    """Run the work's `on_failure`, in a savepoint: if it raises too, that is logged and kept
    on the job beside the work's own error, and the job is still marked failed."""
    if kind is None or kind.on_failure is None:
        return
    try:
        with transaction.atomic():
            kind.on_failure(error=job.last_error, **job.kwargs)
    except Exception as exc:
        logger.exception("Job %s (%s): its on_failure raised", job.pk, job.name)
        told = "".join(traceback.format_exception_only(exc)).strip()
        job.last_error = f"{job.last_error}\n{told}"[:2000]


# A task still marked as running after this long lost its worker (killed, or its machine
# gone): nothing the product queues takes more than a minute or two.
ABANDONED_AFTER = timedelta(minutes=15)


def jobs_requeue_abandoned(*, older_than: timedelta = ABANDONED_AFTER, now=None) -> int:
    """Put back the tasks whose worker died while running them (`kill -9`, a lost machine):
    each is marked failed and queued again as a new task on the same backend. The work of the
    dead attempt was never committed, and run_job's checks make the new task do it once.
    Returns how many were put back."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        stale = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - older_than
        )
        for result in stale:
            result.status = TaskResultStatus.FAILED
            result.finished_at = now
            result.exception_class_path = "commissioning.core.jobs.AbandonedTask"
            result.traceback = "The worker running this task stopped before it finished."
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            task_ = result.task
            args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
            transaction.on_commit(partial(task_.enqueue, *args, **kwargs))
            logger.warning(
                "Task %s (%s) was abandoned by its worker: queued again",
                result.id,
                result.task_path,
            )
            count += 1
    return count


def queue_health(*, now=None) -> dict:
    """The figures /readyz gives: the age in seconds of the oldest task waiting to run, how
    many wait, how many run, and how many jobs have failed for good."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    from django.db.models import Min
    from django_tasks_db.models import get_date_max

    waiting = DBTaskResult.objects.ready()
    # A task waits from when it was queued, or from the time it was deferred to.
    firsts = waiting.aggregate(
        queued=Min("enqueued_at", filter=Q(run_after=get_date_max())),
        deferred=Min("run_after", filter=~Q(run_after=get_date_max())),
    )
    since = min((t for t in firsts.values() if t is not None), default=now)
    age = max(0.0, (now - since).total_seconds())
    return {
        "waiting": waiting.count(),
        "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        "oldest_waiting_seconds": round(age, 1),
        "failed_jobs": Job.objects.filter(status=Job.Status.FAILED).count(),
        "failed_tasks": DBTaskResult.objects.failed().count(),
    }
