"""The deadline-day rush (issue 14, item 4): N applicants, each signed in with a ready draft,
all press "Submit" within the same minute, against gunicorn (the repository's
gunicorn.conf.py, default workers for this machine) and one task worker on PostgreSQL, on
127.0.0.1 only. Each applicant submits once, at a moment drawn at random in the minute.

Figures for each N: submissions accepted (the answer sends the applicant to the receipt and
the application is recorded as submitted), lost (answered as accepted but not recorded: must
be 0), errors (any other answer, or none within 120 s: must be 0; an applicant whose answer
did not come may still be submitted, counted as "recorded_unanswered"), and the latency
p50/p95/p99 in ms. The machine's load average before the run is kept with the figures. The
load generator runs on the same machine and takes some of its cores.
PostgreSQL only: SQLite is not a multi-server database."""

import datetime as dt
import os
import random
import signal
import socket
import statistics
import subprocess  # noqa: S404 - starts gunicorn and the worker, no shell
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone

from commissioning.applications.models import Application, Round, Status
from commissioning.offices.models import Office

ROOT = Path(__file__).resolve().parent.parent
SIZES = [int(s) for s in os.environ.get("BENCH_RUSH_SIZES", "200,400,800").split(",")]
WINDOW = float(os.environ.get("BENCH_RUSH_WINDOW", "60"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _round(office) -> Round:
    now = timezone.now()
    round_, _ = Round.objects.get_or_create(
        office=office,
        slug="bench-deadline-day",
        defaults={
            "fund": office.funds.get(code="CSDF"),
            "title": "Deadline day",
            "summary": "Benchmark",
            "criteria": "Benchmark",
            "status": "published",
            "opens_at": now - dt.timedelta(days=30),
            "closes_at": now + dt.timedelta(days=1),
        },
    )
    return round_


def _session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def seed_drafts(count: int, batch: int) -> list[tuple[str, str]]:
    """`count` applicants, each in their own organisation with a complete draft, signed in."""
    from tests.applications.factories import CompleteDraftFactory, OrganisationFactory, member_of

    office = Office.objects.get(slug="essex")
    round_ = _round(office)
    drafts = []
    for n in range(count):
        organisation = OrganisationFactory(name=f"Rush {batch} group {n}", applicant_type="charity")
        application = CompleteDraftFactory(
            round=round_, organisation=organisation, amount_requested="5000"
        )
        # No password (signed in by session): the production hasher would take most of the time.
        user = member_of(organisation, email=f"rush{batch}.{n}@example.org", password=None)
        drafts.append((application.public_id, _session_for(user)))
    return drafts


class Stack:
    """gunicorn and one db_worker, as `make serve` starts them (without TLS: 127.0.0.1)."""

    def __init__(self, log_dir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "commissioning.settings",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": str(log_dir / "rush-access.log"),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_FORMAT": "json",
            "COMMISSIONING_VAR_DIR": str(log_dir),
        }
        env.pop("COMMISSIONING_DEMO", None)
        self.log = open(log_dir / "rush-servers.log", "wb")  # noqa: SIM115
        common = {"cwd": ROOT, "env": env, "stdout": self.log, "stderr": subprocess.STDOUT}
        self.web = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            start_new_session=True,
            **common,
        )
        # At the lower CPU priority scripts/serve gives it (TASK_WORKER_NICE).
        nice = ["nice", "-n", os.environ.get("TASK_WORKER_NICE", "10")]
        self.worker = subprocess.Popen(  # noqa: S603
            [*nice, sys.executable, "manage.py", "db_worker", "--no-startup-delay"],
            start_new_session=True,
            **common,
        )
        import requests

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start: see rush-servers.log")

    def stop(self):
        for process in (self.web, self.worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.web, self.worker):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.log.close()


def _percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _one_rush(stack: Stack, drafts, rng) -> dict:
    import requests

    csrf = "a" * 16 + "B" * 16
    lock = threading.Lock()
    outcomes: dict[str, tuple[str, float]] = {}
    start = time.monotonic() + 2  # everyone is ready before the minute starts
    moments = sorted(rng.uniform(0, WINDOW) for _ in drafts)
    plan = list(zip(moments, drafts, strict=True))

    def applicant(item):
        moment, (public_id, session_key) = item
        session = requests.Session()
        session.cookies.set("sessionid", session_key, domain="127.0.0.1")
        session.cookies.set("csrftoken", csrf, domain="127.0.0.1")
        time.sleep(max(0.0, start + moment - time.monotonic()))
        sent = time.perf_counter()
        try:
            response = session.post(
                f"{stack.url}/applications/{public_id}/check/",
                data={"send_endorsement_requests": "yes"},
                headers={"X-CSRFToken": csrf},
                allow_redirects=False,
                timeout=120,
            )
            ok = response.status_code == 302 and response.headers.get("Location", "").endswith(
                "/submitted/"
            )
            outcome = "accepted" if ok else f"http {response.status_code}"
        except requests.RequestException as exc:
            outcome = type(exc).__name__
        with lock:
            outcomes[public_id] = (outcome, (time.perf_counter() - sent) * 1000)

    load = os.getloadavg()[0]
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(drafts)) as pool:
        list(pool.map(applicant, plan))
    wall = time.monotonic() - began
    recorded = set(
        Application.objects.filter(
            public_id__in=[d[0] for d in drafts], status__in=[s for s in Status if s != "draft"]
        ).values_list("public_id", flat=True)
    )
    accepted = {p for p, (o, _ms) in outcomes.items() if o == "accepted"}
    latencies = [ms for _o, ms in outcomes.values()]
    errors = [o for o, _ms in outcomes.values() if o != "accepted"]
    return {
        "applicants": len(drafts),
        "window_s": WINDOW,
        "load_average_before": round(load, 1),
        "wall_s": round(wall, 1),
        "accepted": len(accepted),
        "lost": len(accepted - recorded),
        "recorded_unanswered": len(recorded - accepted),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "p50_ms": round(_percentile(latencies, 50), 1),
        "p95_ms": round(_percentile(latencies, 95), 1),
        "p99_ms": round(_percentile(latencies, 99), 1),
        "mean_ms": round(statistics.mean(latencies), 1),
        "max_ms": round(max(latencies), 1),
    }


def bench_rush(log_dir: Path) -> dict:
    if connection.vendor != "postgresql":
        return {"skipped": "The rush runs against PostgreSQL: set DATABASE_URL (postgres://...)."}
    rng = random.Random(14)
    seeded = {}
    for batch, size in enumerate(SIZES):
        began = time.perf_counter()
        seeded[size] = seed_drafts(size, batch)
        print(f"Seeded {size} applicants with ready drafts in {time.perf_counter() - began:.1f} s")
    connection.close()
    stack = Stack(log_dir)
    try:
        runs = [_one_rush(stack, seeded[size], rng) for size in SIZES]
    finally:
        stack.stop()
    import runpy

    served = runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # as the servers read it
    return {
        "web_workers": served["workers"],
        "threads_per_worker": served["threads"],
        "task_workers": 1,
        "task_worker_nice": int(os.environ.get("TASK_WORKER_NICE", "10")),
        "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
        "runs": runs,
    }


def print_rush(rush: dict) -> None:
    if "skipped" in rush:
        print(f"Deadline-day rush skipped: {rush['skipped']}")
        return
    print(
        f"Deadline-day rush: gunicorn, {rush['web_workers']} workers x "
        f"{rush['threads_per_worker']} threads, one task worker, PostgreSQL"
    )
    print(
        f"{'applicants':>11}{'accepted':>10}{'lost':>6}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}{'wall s':>8}"
    )
    for r in rush["runs"]:
        print(
            f"{r['applicants']:>11}{r['accepted']:>10}{r['lost']:>6}{r['errors']:>8}"
            f"{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}{r['max_ms']:>9}{r['wall_s']:>8}"
        )
