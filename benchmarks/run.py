"""`make bench`: measures the figures the issues ask for and writes bench-results.json.

1. Policy packs: validating and loading each pack, first load and reload.
2. The staff application list (unfiltered, by round, by status, by round and status), the
   application page and the staff home, at 1,000 and at 50,000 applications: p50 and p95 over
   repeated requests through Django's full stack, with the number of queries per page.

3. The portfolio optimiser: 200 bids, and 2,000 bids over 12 areas and 10 plan priorities,
   time to a proven optimum (see benchmarks/optimiser.py).
4. The commitment race (PostgreSQL only): 100 commitments of £100 fired at once from separate
   threads, each on its own connection, at a budget that fits exactly 60; ten runs, each with
   its wall time, successes, refusals and the budget's figures afterwards.
5. The staff awards list, an award page and the budget pages at 1,000 and at 50,000 awards:
   p50 and p95 and the number of queries, as for the application pages.
6. `send_reminders` over 1,000 and 50,000 monitored awards: seconds and queries of the run that
   records and queues the reminders, of a second run that owes none, and of one batch of the
   e-mail job (see benchmarks/reminders.py).
7. The deadline-day rush (PostgreSQL only; benchmarks/rush.py): 200, 400 and 800 applicants
   with ready drafts all submitting within one minute against gunicorn and a task worker on
   127.0.0.1: accepted, lost, errors, p50/p95/p99 (BENCH_RUSH_SIZES changes the sizes).
8. The public awards register (filters, search, a late page, an award's page) at 100,000
   published awards: p50, p95 and queries (BENCH_REGISTER_SIZES to change the sizes).
9. The 360Giving JSON export of 100,000 grants, streamed: seconds, and peak memory measured
   with tracemalloc (BENCH_EXPORT_SIZE to change the size).

It runs on a scratch database: a scratch PostgreSQL database beside the one DATABASE_URL names
(or on 127.0.0.1:5432 if that answers), else a temporary SQLite file; BENCH_DATABASE names the
scratch PostgreSQL database (commissioning_bench unless set), and BENCH_REUSE=1 measures again
on the one an earlier run seeded instead of making it afresh. Set BENCH_SIZES to change the
sizes (e.g. BENCH_SIZES=1000,5000), BENCH_AWARD_SIZES those of the award pages.
`--only packs,pages,optimiser,race,awards,reminders,rush,register,opendata` runs some parts
(`python benchmarks/run.py --only optimiser` needs no database); their figures replace those
parts in bench-results.json and the rest is kept.
"""

import argparse
import json
import os
import platform
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DATABASE", "commissioning_bench")
# BENCH_REUSE=1 keeps the scratch PostgreSQL database of an earlier run and what was seeded in
# it (the seeding adds only what is missing), to measure again without seeding again.
REUSE = os.environ.get("BENCH_REUSE", "") == "1"
PARTS = (
    "packs",
    "pages",
    "optimiser",
    "race",
    "awards",
    "reminders",
    "rush",
    "register",
    "opendata",
)


def parse_parts(argv=None) -> tuple[str, ...]:
    parser = argparse.ArgumentParser(description="Measure the figures the issues ask for.")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help="comma-separated parts to run: " + ", ".join(PARTS),
    )
    args = parser.parse_args(argv)
    parts = tuple(p.strip() for p in args.only.split(",") if p.strip())
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part: {', '.join(sorted(unknown))}")
    return parts


RUN = parse_parts()
NEEDS_DATABASE = bool(
    {"packs", "pages", "race", "awards", "reminders", "rush", "register", "opendata"} & set(RUN)
)


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def scratch_database_url() -> str:
    """Never the database DATABASE_URL names itself: a fresh one beside it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url and _postgres_answers():
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tempfile.mkdtemp(prefix='commissioning-bench-')}/bench.sqlite3"
    import psycopg

    base, _, _name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not (exists and REUSE):
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return f"{base}/{BENCH_DB}"


if NEEDS_DATABASE:
    os.environ["DATABASE_URL"] = scratch_database_url()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.optimiser import bench_optimiser, print_optimiser  # noqa: E402
from benchmarks.race import bench_race, print_race  # noqa: E402
from benchmarks.reminders import bench_reminders, print_reminders, seed_monitoring  # noqa: E402
from benchmarks.rush import bench_rush, print_rush  # noqa: E402
from benchmarks.seed import seed_applications, seed_awards  # noqa: E402
from benchmarks.transparency import (  # noqa: E402
    EXPORT_SIZE,
    REGISTER_GOAL_P95_MS,
    REGISTER_SIZES,
    bench_export,
    bench_register,
    print_export,
    seed_register,
)
from commissioning.offices.packs import load_pack, read_pack  # noqa: E402

REPEATS = 5
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,50000").split(",")]
AWARD_SIZES = [int(s) for s in os.environ.get("BENCH_AWARD_SIZES", "1000,50000").split(",")]
REMINDER_SIZES = [int(s) for s in os.environ.get("BENCH_REMINDER_SIZES", "1000,50000").split(",")]


def timed(fn, repeats):
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples, q):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))
    return ordered[index]


def bench_packs() -> list[dict]:
    rows = []
    for path in sorted((ROOT / "packs").glob("*.yaml")):
        validate = timed(lambda p=path: read_pack(p), REPEATS)
        start = time.perf_counter()
        load_pack(path)
        first = (time.perf_counter() - start) * 1000
        reload = timed(lambda p=path: load_pack(p), REPEATS)
        rows.append(
            {
                "pack": path.name,
                "validate_ms_median": round(statistics.median(validate), 1),
                "first_load_ms": round(first, 1),
                "reload_ms_median": round(statistics.median(reload), 1),
            }
        )
    return rows


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session  # as after a real sign-in with the authenticator code
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def measure(client, pages, size: int, noun: str) -> list[dict]:
    rows = []
    for name, url, params in pages:
        for _ in range(3):  # warm up
            assert client.get(url, params).status_code == 200, (name, url)
        samples = timed(lambda u=url, p=params: client.get(u, p), REQUESTS)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        rows.append(
            {
                noun: size,
                "page": name,
                "p50_ms": round(percentile(samples, 50), 1),
                "p95_ms": round(percentile(samples, 95), 1),
                "queries": len(queries),
            }
        )
    return rows


def bench_award_pages(size: int, setup) -> list[dict]:
    pages = [
        ("staff awards list", setup["awards_url"], {}),
        ("awards list by status", setup["awards_url"], {"status": "active"}),
        ("awards list by fund and year", setup["awards_url"], {"fund": "CSDF", "year": "2026"}),
        ("awards list, page 40", setup["awards_url"], {"page": "40"}),
        ("award page", setup["award_url"], {}),
        ("budgets", setup["budgets_url"], {}),
        ("budget page", setup["budget_url"], {}),
    ]
    return measure(staff_client(setup["officer"]), pages, size, "awards")


def bench_pages(size: int, setup) -> list[dict]:
    client = staff_client(setup["officer"])
    pages = [
        ("staff list", setup["list_url"], {}),
        ("staff list by round", setup["list_url"], {"round": setup["round_slug"]}),
        ("staff list by status", setup["list_url"], {"status": "eligible"}),
        (
            "staff list by round and status",
            setup["list_url"],
            {"round": setup["round_slug"], "status": "eligible"},
        ),
        ("staff list, page 40", setup["list_url"], {"page": "40"}),
        ("application page", setup["application_url"], {}),
        ("staff home", "/staff/", {}),
    ]
    return measure(client, pages, size, "applications")


def main() -> None:
    results_path = ROOT / "bench-results.json"
    results = {}
    if set(RUN) != set(PARTS) and results_path.exists():
        results = json.loads(results_path.read_text())  # keep the parts not run this time
    results["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if NEEDS_DATABASE:
        vendor = connection.vendor
        results["database"] = vendor
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        if "packs" not in RUN:  # the other parts seed the Essex office
            load_pack(ROOT / "packs" / "essex.yaml")
    if "packs" in RUN:
        packs = bench_packs()
        print(f"Policy packs on {vendor} ({REPEATS} runs each; medians)")
        print(f"{'pack':<22}{'validate ms':>14}{'first load ms':>16}{'reload ms':>12}")
        for r in packs:
            print(
                f"{r['pack']:<22}{r['validate_ms_median']:>14}{r['first_load_ms']:>16}"
                f"{r['reload_ms_median']:>12}"
            )
        results["packs"] = packs
    if "pages" in RUN:
        pages = []
        for size in SIZES:
            start = time.perf_counter()
            setup = seed_applications(size)
            print(f"\nSeeded {size:,} applications in {time.perf_counter() - start:.1f} s")
            pages.extend(bench_pages(size, setup))
        print(f"\nPages on {vendor} ({REQUESTS} requests each, through the full Django stack)")
        print(f"{'applications':>13}  {'page':<32}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}")
        for r in pages:
            print(
                f"{r['applications']:>13,}  {r['page']:<32}{r['p50_ms']:>8}{r['p95_ms']:>8}"
                f"{r['queries']:>9}"
            )
        results["pages"] = pages
    if "race" in RUN:
        race = bench_race(ROOT)
        print()
        print_race(race)
        results["commitment_race"] = race
    if "awards" in RUN:
        awards = []
        for size in AWARD_SIZES:
            start = time.perf_counter()
            setup = seed_awards(size)
            print(f"\nSeeded {size:,} awards in {time.perf_counter() - start:.1f} s")
            awards.extend(bench_award_pages(size, setup))
        print(
            f"\nAward pages on {vendor} ({REQUESTS} requests each, through the full Django stack)"
        )
        print(f"{'awards':>13}  {'page':<32}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}")
        for r in awards:
            print(
                f"{r['awards']:>13,}  {r['page']:<32}{r['p50_ms']:>8}{r['p95_ms']:>8}"
                f"{r['queries']:>9}"
            )
        results["award_pages"] = awards
    if "reminders" in RUN:
        reminders = []
        for size in REMINDER_SIZES:
            start = time.perf_counter()
            seed_monitoring(size)
            print(f"\nSeeded {size:,} monitored awards in {time.perf_counter() - start:.1f} s")
            reminders.append(bench_reminders(size))
        print()
        print_reminders(reminders)
        results["send_reminders"] = reminders
    if "register" in RUN:
        register = []
        for size in REGISTER_SIZES:
            start = time.perf_counter()
            setup = seed_register(size)
            print(f"\nSeeded {size:,} published awards in {time.perf_counter() - start:.1f} s")
            register.extend(bench_register(size, setup, measure))
        print(
            f"\nPublic register on {vendor} ({REQUESTS} requests each, full Django stack; "
            f"goal: p95 at most {REGISTER_GOAL_P95_MS} ms)"
        )
        print(f"{'awards':>13}  {'page':<32}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}")
        for r in register:
            print(
                f"{r['awards']:>13,}  {r['page']:<32}{r['p50_ms']:>8}{r['p95_ms']:>8}"
                f"{r['queries']:>9}"
            )
        results["register_pages"] = register
    if "opendata" in RUN:
        export = bench_export(EXPORT_SIZE)
        print()
        print_export(export)
        results["open_data_export"] = export
    if "optimiser" in RUN:
        optimiser = bench_optimiser()
        print()
        print_optimiser(optimiser)
        results["optimiser"] = optimiser
    if "rush" in RUN:
        print()
        rush = bench_rush(Path(tempfile.mkdtemp(prefix="commissioning-rush-")))
        print_rush(rush)
        results["deadline_day_rush"] = rush
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    print("\nWritten to bench-results.json")


if __name__ == "__main__":
    main()
