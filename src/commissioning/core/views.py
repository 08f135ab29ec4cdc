import logging

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render

from commissioning.core.mail import outbox_open_to
from commissioning.core.models import OutboxMessage

logger = logging.getLogger(__name__)


def outbox(request):
    """Every e-mail the demo sent, so a trial can follow links without a mail server. Only in
    the demo, and only for the machine running it or signed-in staff; a 404 for anyone else."""
    if not outbox_open_to(request):
        raise Http404
    page = Paginator(OutboxMessage.objects.all(), 20).get_page(request.GET.get("page"))
    return render(request, "core/outbox.html", {"page": page})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


# Health checks for the load balancer and the monitoring: plain JSON, no session, no sign-in.
_migrations_applied = False


def _unapplied_migrations() -> int:
    """How many migrations the code has that the database lacks; once none, it stays none for
    the life of this process (a new release starts new processes)."""
    global _migrations_applied
    if _migrations_applied:
        return 0
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrations_applied = not plan
    return len(plan)


def _health_response(body: dict, ok: bool):
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


def healthz(request):
    """The process is up and answers: nothing else is checked."""
    return _health_response({"status": "ok"}, True)


def readyz(request):
    """Ready for traffic: the database answers, every migration is applied, and the task
    queue's oldest waiting task is younger than COMMISSIONING_READY_QUEUE_MAX_AGE seconds.
    Also gives the number of failed jobs and tasks, for the monitoring to alert on."""
    from django.conf import settings
    from django.db import connection

    from commissioning.core.jobs import queue_health

    checks: dict = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - reported as not ready, logged
        logger.exception("Readiness: the database does not answer")
        return _health_response({"status": "unavailable", "checks": {"database": "down"}}, False)
    pending = _unapplied_migrations()
    checks["migrations"] = "ok" if not pending else f"{pending} not applied"
    queue = queue_health()
    limit = settings.COMMISSIONING_READY_QUEUE_MAX_AGE
    checks["task_queue"] = "ok" if queue["oldest_waiting_seconds"] <= limit else "behind"
    ok = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": checks,
        "queue": {**queue, "oldest_waiting_limit_seconds": limit},
    }
    return _health_response(body, ok)
