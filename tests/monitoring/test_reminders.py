"""Reminders (MO3): before the due date, on it, and overdue escalation to the officer, by
`send_reminders`; never the same reminder twice however often it runs, and across the change
from GMT to BST (days are counted in Europe/London)."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from commissioning.monitoring.models import MonitoringReturn, ReminderSent
from commissioning.monitoring.reminders.services import reminders_send
from commissioning.monitoring.services import return_submit
from tests.monitoring.factories import complete, monitored_award, organisation_user

pytestmark = pytest.mark.django_db
UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def award(office, officer, round_, signatories):
    return monitored_award(office, officer, round_, signatories)


def at(day: dt.date, hour=9, tz=LONDON):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)


def run(now, capture):
    with capture(execute=True):
        return reminders_send(now=now)


def test_before_on_and_after_the_due_date(award, officer, django_capture_on_commit_callbacks):
    """14 days before, on the day, and 14 days late (the minimal pack's defaults)."""
    first = award.monitoring_returns.get(number=1)  # due 14 October 2026
    due = first.due_on
    user = organisation_user(award)
    assert run(at(due - dt.timedelta(days=15)), django_capture_on_commit_callbacks)["before"] == 0
    counts = run(at(due - dt.timedelta(days=14)), django_capture_on_commit_callbacks)
    assert counts == {"before": 1, "due": 0, "overdue": 0}
    assert [m.subject for m in mail.outbox] == [
        f"Your Monitoring return for {award.reference} is due on 14 October 2026"
    ]
    assert user.email in mail.outbox[0].to
    assert (
        f"/organisations/{award.organisation.ref}/monitoring/{award.reference}/1/"
        in mail.outbox[0].body
    )
    mail.outbox.clear()
    assert run(at(due), django_capture_on_commit_callbacks)["due"] == 1
    assert mail.outbox[0].subject.endswith("is due today")
    mail.outbox.clear()
    assert run(at(due + dt.timedelta(days=13)), django_capture_on_commit_callbacks)["overdue"] == 0
    assert run(at(due + dt.timedelta(days=14)), django_capture_on_commit_callbacks)["overdue"] == 1
    subjects = sorted(m.subject for m in mail.outbox)
    assert (
        subjects[0].startswith("Overdue return:")
        and officer.email in mail.outbox[0].to + mail.outbox[1].to
    )
    assert ReminderSent.objects.filter(monitoring_return=first).count() == 3


def test_running_every_hour_sends_each_reminder_once(award, django_capture_on_commit_callbacks):
    due = award.monitoring_returns.get(number=1).due_on
    start = at(due - dt.timedelta(days=14), hour=0)
    for hour in range(0, 24 * 3):
        run(start + dt.timedelta(hours=hour), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_the_change_to_british_summer_time_sends_nothing_twice(
    office, officer, round_, signatories, django_capture_on_commit_callbacks
):
    """BST began at 01:00 UTC on 29 March 2026. A return due on 30 March is due from 23:00 UTC
    on 29 March (midnight BST); runs an hour apart either side of the change send one
    reminder of each kind."""
    award = monitored_award(
        office,
        officer,
        round_,
        signatories,
        starts_on=dt.date(2025, 10, 1),
        ends_on=dt.date(2026, 3, 16),
    )
    ret = award.monitoring_returns.order_by("number").last()
    assert ret.due_on == dt.date(2026, 3, 30)
    MonitoringReturn.objects.exclude(pk=ret.pk).update(status="accepted")
    kinds = []
    moment = dt.datetime(2026, 3, 28, 20, 30, tzinfo=UTC)
    while moment < dt.datetime(2026, 3, 30, 3, 0, tzinfo=UTC):
        counts = run(moment, django_capture_on_commit_callbacks)
        kinds += [k for k, n in counts.items() if n]
        moment += dt.timedelta(hours=1)
    assert kinds == ["before", "due"]  # the first run sends 'before'; no hour repeats either
    sent = ReminderSent.objects.get(monitoring_return=ret, kind="due")
    assert sent.sent_at == dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC)  # 00:30 BST on the 30th


def test_a_submitted_return_is_not_chased(award, django_capture_on_commit_callbacks):
    ret = award.monitoring_returns.get(number=1)
    user = organisation_user(award)
    complete(ret, user)
    return_submit(monitoring_return=ret, actor=user)
    assert run(at(ret.due_on + dt.timedelta(days=30)), django_capture_on_commit_callbacks) == {
        "before": 0,
        "due": 0,
        "overdue": 0,
    }


def test_the_command_reports_and_its_dry_run_sends_nothing(
    award, django_capture_on_commit_callbacks
):
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Would send")
    assert ReminderSent.objects.count() == 0


def test_the_number_of_queries_does_not_grow_with_the_returns(
    office, officer, round_, signatories, django_assert_max_num_queries
):
    awards = [monitored_award(office, officer, round_, signatories) for _ in range(4)]
    due = awards[0].monitoring_returns.get(number=1).due_on
    with django_assert_max_num_queries(8):
        counts = reminders_send(now=at(due))
    assert counts["due"] == 4
