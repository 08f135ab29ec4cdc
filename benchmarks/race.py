"""The commitment race (issue 10, ST6): 100 commitments of £100 fired at once, each from its
own thread on its own database connection, at a budget of £6,000. The ledger locks the budget
row (select_for_update), so exactly 60 succeed and 40 are refused with the plain message, every
run. PostgreSQL only: SQLite has no row locks to test."""

import os
import threading
import time
from decimal import Decimal

from django.db import connection

from commissioning.awards.models import EntryKind, LedgerEntry
from commissioning.awards.selectors import balance_of
from commissioning.awards.services import ledger_commit, ledger_sync_office
from commissioning.core.errors import DomainError
from commissioning.offices.models import Budget, Office

COMMITMENTS = 100
AMOUNT = Decimal("100")
FITS = 60
RUNS = int(os.environ.get("BENCH_RACE_RUNS", "10"))


def _free_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        used = int(cursor.fetchone()[0])
    return limit - used - 2


def _one_run(budget: Budget, threads: int) -> dict:
    tasks = list(range(COMMITMENTS))
    lock = threading.Lock()
    results: list[str | None] = []
    ready = threading.Barrier(threads + 1)

    def worker():
        try:
            connection.ensure_connection()  # its own connection, opened before the start
            ready.wait()
            while True:
                with lock:
                    if not tasks:
                        return
                    tasks.pop()
                try:
                    ledger_commit(budget=budget, amount=AMOUNT, actor=None, reason="Race")
                    outcome = None
                except DomainError as exc:
                    outcome = exc.message
                with lock:
                    results.append(outcome)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    for thread in pool:
        thread.join()
    wall = (time.perf_counter() - start) * 1000
    balance = balance_of(budget)
    refusals = [r for r in results if r is not None]
    return {
        "year": budget.financial_year,
        "wall_ms": round(wall, 1),
        "successes": results.count(None),
        "refusals": len(refusals),
        "refusal_messages": sorted(set(refusals)),
        "committed": str(balance.committed),
        "remaining": str(balance.remaining),
        "commitment_entries": LedgerEntry.objects.filter(
            budget=budget, kind=EntryKind.COMMITMENT
        ).count(),
        "exact": (
            results.count(None) == FITS
            and len(refusals) == COMMITMENTS - FITS
            and balance.committed == AMOUNT * FITS
            and balance.remaining == 0
        ),
    }


def bench_race(root) -> dict:
    if connection.vendor != "postgresql":
        return {
            "skipped": "The commitment race needs PostgreSQL's row locks: set DATABASE_URL to "
            "a PostgreSQL database (postgres://...) to run it."
        }
    office = Office.objects.get(slug="essex")
    fund = office.funds.get(code="CSDF")
    threads = max(1, min(COMMITMENTS, _free_connections()))
    runs = []
    first = 2300 + Budget.objects.filter(fund=fund, financial_year__gte=2300).count()
    for run in range(RUNS):
        budget = Budget.objects.create(
            fund=fund, financial_year=first + run, allocation=AMOUNT * FITS
        )
        ledger_sync_office(office=office)
        runs.append(_one_run(budget, threads))
    return {
        "commitments": COMMITMENTS,
        "amount": str(AMOUNT),
        "budget": str(AMOUNT * FITS),
        "threads": threads,
        "runs": runs,
        "all_exact": all(r["exact"] for r in runs),
    }


def print_race(race: dict) -> None:
    if "skipped" in race:
        print(f"Commitment race skipped: {race['skipped']}")
        return
    print(
        f"Commitment race: {race['commitments']} commitments of £{race['amount']} against "
        f"£{race['budget']}, {race['threads']} threads on their own connections"
    )
    print(
        f"{'run':>4}{'wall ms':>10}{'successes':>11}{'refusals':>10}{'committed':>12}"
        f"{'remaining':>11}"
    )
    for n, r in enumerate(race["runs"], 1):
        print(
            f"{n:>4}{r['wall_ms']:>10}{r['successes']:>11}{r['refusals']:>10}"
            f"{r['committed']:>12}{r['remaining']:>11}"
        )
    print("Exact every run" if race["all_exact"] else "NOT EXACT: see bench-results.json")
