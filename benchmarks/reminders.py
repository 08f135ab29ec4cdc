"""`send_reminders` over many awards (issue 11): every benchmark award gets a monitoring
schedule of two returns, due on dates spread either side of the run, so that a run owes a mix
of reminders before the due date, on it and overdue. Measured: the first run (which records
and queues them), a second run an hour later (which owes nothing: never the same reminder
twice), and one batch of the e-mail job, each in seconds and database queries."""

import datetime as dt
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from benchmarks.seed import _refresh_statistics, seed_awards

BATCH = 2000
NOW = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


def seed_monitoring(size: int) -> None:
    from commissioning.awards.models import Award
    from commissioning.monitoring.models import MonitoringReturn, MonitoringSchedule

    seed_awards(size)
    pending = list(
        Award.objects.filter(monitoring_schedule__isnull=True)
        .order_by("id")
        .values_list("id", "office_id", "starts_on", "ends_on")
    )
    today = timezone.localdate(NOW)
    for start in range(0, len(pending), BATCH):
        chunk = pending[start : start + BATCH]
        schedules = MonitoringSchedule.objects.bulk_create(
            MonitoringSchedule(
                award_id=pk,
                office_id=office_id,
                rules=["Every award"],
                returns_every_months=6,
                award_form="grant",
            )
            for pk, office_id, _s, _e in chunk
        )
        returns = []
        for n, (schedule, (pk, office_id, starts_on, ends_on)) in enumerate(
            zip(schedules, chunk, strict=True)
        ):
            # Due from 40 days ago to 40 days ahead: before, on and after the due date.
            due = today + dt.timedelta(days=(start + n) % 81 - 40)
            for number, due_on in ((1, due), (2, due + dt.timedelta(days=180))):
                returns.append(
                    MonitoringReturn(
                        office_id=office_id,
                        award_id=pk,
                        schedule=schedule,
                        number=number,
                        kind="return",
                        period_start=starts_on,
                        period_end=max(starts_on, min(ends_on, due_on)),
                        due_on=due_on,
                        scheduled_due_on=due_on,
                    )
                )
        MonitoringReturn.objects.bulk_create(returns, batch_size=BATCH)
    _refresh_statistics()


def _timed(fn):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    return result, round(seconds, 2), len(queries.captured_queries)


def bench_reminders(size: int) -> dict:
    from commissioning.awards.models import Award
    from commissioning.monitoring.models import ReminderSent
    from commissioning.monitoring.reminders.services import (
        BATCH as EMAIL_BATCH,
    )
    from commissioning.monitoring.reminders.services import (
        reminders_send,
        send_reminder_emails,
    )

    ReminderSent.objects.all().delete()
    counts, first_s, first_q = _timed(lambda: reminders_send(now=NOW))
    again, second_s, second_q = _timed(lambda: reminders_send(now=NOW + dt.timedelta(hours=1)))
    ids = list(ReminderSent.objects.order_by("pk").values_list("pk", flat=True)[:EMAIL_BATCH])
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _none, email_s, email_q = _timed(lambda: send_reminder_emails(reminder_ids=ids))
    return {
        "awards": Award.objects.count(),
        "reminders": sum(counts.values()),
        "by_kind": counts,
        "first_run_s": first_s,
        "first_run_queries": first_q,
        "second_run_s": second_s,
        "second_run_queries": second_q,
        "second_run_reminders": sum(again.values()),
        "email_batch": len(ids),
        "email_batch_s": email_s,
        "email_batch_queries": email_q,
        "size": size,
    }


def print_reminders(rows: list[dict]) -> None:
    print("send_reminders (first run records and queues; the second owes nothing)")
    print(
        f"{'awards':>8}{'reminders':>11}{'1st s':>8}{'1st q':>7}{'2nd s':>8}{'2nd q':>7}"
        f"{'e-mail batch s':>16}{'q':>5}"
    )
    for r in rows:
        print(
            f"{r['awards']:>8,}{r['reminders']:>11,}{r['first_run_s']:>8}"
            f"{r['first_run_queries']:>7}{r['second_run_s']:>8}{r['second_run_queries']:>7}"
            f"{r['email_batch_s']:>16}{r['email_batch_queries']:>5}"
        )
