"""The public register and the 360Giving export at volume (issue 12): the register's pages at
100,000 published awards (p95 and queries, through Django's full stack), and the 360Giving
JSON export of 100,000 grants, streamed: wall time, and peak Python memory (tracemalloc) in a
second pass."""

import os
import time
import tracemalloc

from django.test import Client

from benchmarks.seed import _refresh_statistics, seed_awards

REGISTER_SIZES = [int(s) for s in os.environ.get("BENCH_REGISTER_SIZES", "100000").split(",")]
EXPORT_SIZE = int(os.environ.get("BENCH_EXPORT_SIZE", "100000"))
# The goals: the register's pages at p95 at most 120 ms with constant queries, the
# export of 100,000 grants in at most 10 s and 150 MB, streamed.
REGISTER_GOAL_P95_MS = 120
EXPORT_GOAL_SECONDS = 10
EXPORT_GOAL_MB = 150


def publish_bench_decisions() -> None:
    """The benchmark's decisions are signed; the register shows published ones. Published in
    bulk, as seed_awards writes in bulk (the services are exercised by the tests)."""
    from django.utils import timezone

    from commissioning.decisions.models import DecisionRecord, DecisionStatus

    DecisionRecord.objects.filter(number__startswith="ESX/BENCH/").exclude(
        status=DecisionStatus.PUBLISHED
    ).update(status=DecisionStatus.PUBLISHED, published_at=timezone.now())
    _refresh_statistics()


def seed_register(size: int) -> dict:
    from django.utils import timezone

    from commissioning.awards.models import Award
    from commissioning.core.money import financial_year_of

    setup = seed_awards(size)
    publish_bench_decisions()
    sample = Award.objects.filter(office__slug="essex").order_by("-made_at", "-id").first()
    area = sample.application.areas.first()
    return {
        **setup,
        "register_url": "/essex/awards/",
        "public_award_url": f"/essex/awards/{sample.reference}/",
        "area": area.ons_code,
        "year": str(financial_year_of(timezone.localtime(sample.made_at).date())),
    }


def bench_register(size: int, setup, measure) -> list[dict]:
    url = setup["register_url"]
    pages = [
        ("public register", url, {}),
        ("register by fund and year", url, {"fund": "CSDF", "year": setup["year"]}),
        ("register by area", url, {"area": setup["area"]}),
        ("register by priority", url, {"priority": "P1"}),
        ("register, text search", url, {"q": "project 4242"}),
        ("register, page 40", url, {"page": "40"}),
        ("public award page", setup["public_award_url"], {}),
    ]
    return measure(Client(), pages, size, "awards")


def bench_export(size: int) -> dict:
    """Export `size` grants of the Essex office as streamed JSON, to nowhere: the time with
    nothing watching, then the peak memory with tracemalloc."""
    from commissioning.offices.models import Office
    from commissioning.transparency.opendata.export import stream_package
    from commissioning.transparency.register.selectors import public_awards

    seed_register(size)
    office = Office.objects.select_related("policy").get(slug="essex")
    grants = public_awards(office).count()

    def run() -> int:
        written = 0
        for part in stream_package(office):
            written += len(part)
        return written

    start = time.perf_counter()
    written = run()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    start = time.perf_counter()
    response = Client().get("/essex/open-data/360giving.json")
    http_bytes = sum(len(chunk) for chunk in response.streaming_content)
    http_seconds = time.perf_counter() - start
    return {
        "grants": grants,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak / 1024 / 1024, 1),
        "megabytes_written": round(written / 1024 / 1024, 1),
        "http_seconds": round(http_seconds, 2),
        "http_megabytes": round(http_bytes / 1024 / 1024, 1),
    }


def print_export(result: dict) -> None:
    print(
        f"360Giving JSON export of {result['grants']:,} grants: {result['seconds']} s, "
        f"peak {result['peak_mb']} MB (tracemalloc), {result['megabytes_written']} MB written, "
        f"through HTTP {result['http_seconds']} s (goal: at most {EXPORT_GOAL_SECONDS} s and "
        f"{EXPORT_GOAL_MB} MB, streamed)"
    )
