"""Retention (issue 11, item 7): `apply_retention` anonymises the personal data of awards that
ended more than the pack's retention period ago; the dry run lists exactly what the real run
then changes and changes nothing; financial records and aggregates are kept."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from commissioning.applications.models import Application
from commissioning.audit.models import AuditEvent
from commissioning.awards.models import Award, LedgerEntry
from commissioning.monitoring.meetings.services import meeting_record
from commissioning.monitoring.retention.services import (
    NAME_REMOVED,
    REMOVED,
    retention_apply,
)
from commissioning.monitoring.services import return_submit
from commissioning.offices.models import OfficePolicy
from tests.monitoring.factories import complete, monitored_award, organisation_user

pytestmark = pytest.mark.django_db

# The award ends on 31 March 2027; six years later is 31 March 2033.
AFTER = dt.datetime(2033, 4, 2, 12, tzinfo=dt.UTC)
BEFORE = dt.datetime(2033, 3, 30, 12, tzinfo=dt.UTC)


def _financial(award):
    award.refresh_from_db()
    application = award.application
    return (
        award.amount,
        list(LedgerEntry.objects.filter(award=award).values_list("kind", "amount")),
        list(application.budget_lines.values_list("description", "amount")),
        [(i.amount, i.status) for i in award.instalments.all()]
        if hasattr(award, "instalments")
        else [],
    )


def _aggregates(award):
    return list(
        award.monitoring_returns.values_list(
            "people_supported", "outputs", "measures", "demographics"
        )
    )


@pytest.fixture
def award(office, officer, round_, signatories):
    award = monitored_award(office, officer, round_, signatories, amount="10000.01")
    Award.objects.filter(pk=award.pk).update(
        contact_name="Sam Patel", contact_email="sam@example.org"
    )
    Application.objects.filter(pk=award.application_id).update(
        senior_officer_name="Sam Patel", senior_officer_email="sam@example.org"
    )
    ret = award.monitoring_returns.get(number=1)
    user = organisation_user(award)
    complete(ret, user, case_studies="Jo, 14, now attends every week.")
    return_submit(monitoring_return=ret, actor=user)
    meeting_record(
        meeting=award.monitoring_meetings.get(number=1),
        actor=officer,
        held_on=dt.date(2026, 9, 30),
        notes="Sam reported on Jo's progress.",
        attendees=[{"name": "Sam Patel", "email": "sam@example.org"}],
        today=dt.date(2026, 10, 1),
    )
    award.refresh_from_db()
    return award


def test_nothing_is_due_before_the_retention_period_ends(award):
    assert retention_apply(dry_run=False, now=BEFORE) == {}


def test_the_dry_run_matches_the_real_run_and_nothing_financial_is_lost(award):
    money, aggregates = _financial(award), _aggregates(award)
    events = AuditEvent.objects.count()
    planned = retention_apply(dry_run=True, now=AFTER)
    assert list(planned) == [award.reference]
    fields = {(c.model, c.field) for c in planned[award.reference]}
    assert {
        ("awards.Award", "contact_name"),
        ("awards.Award", "contact_email"),
        ("applications.Application", "senior_officer_email"),
        ("monitoring.MonitoringReturn", "case_studies"),
        ("monitoring.MonitoringMeeting", "notes"),
        ("monitoring.MeetingAttendee", "email"),
    } <= fields
    award.refresh_from_db()
    assert award.contact_name == "Sam Patel" and AuditEvent.objects.count() == events

    done = retention_apply(dry_run=False, now=AFTER)
    assert done == planned
    award.refresh_from_db()
    application = Application.objects.get(pk=award.application_id)
    assert (award.contact_name, award.contact_email) == (NAME_REMOVED, "")
    assert application.senior_officer_email == ""
    ret = award.monitoring_returns.get(number=1)
    assert ret.case_studies == REMOVED and ret.progress == REMOVED
    attendee = award.monitoring_meetings.get(number=1).attendees.get()
    assert (attendee.name, attendee.email) == (NAME_REMOVED, "")
    assert _financial(award) == money and _aggregates(award) == aggregates
    assert AuditEvent.objects.filter(verb="retention.applied").count() == 1
    # Once done, an award is not planned again.
    assert retention_apply(dry_run=True, now=AFTER) == {}


def test_the_pack_sets_the_period(award, office):
    policy = office.policy
    OfficePolicy.objects.filter(pk=policy.pk).update(
        retention={"years_after_funding_end": 7, "action": "anonymise"}
    )
    assert retention_apply(dry_run=True, now=AFTER) == {}
    later = AFTER.replace(year=2034)
    assert list(retention_apply(dry_run=True, now=later)) == [award.reference]


def test_the_command_dry_run_lists_and_changes_nothing(award, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: AFTER)
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"{award.reference}:" in text and "contact_email" in text
    assert "Would anonymise" in text
    award.refresh_from_db()
    assert award.contact_email == "sam@example.org"
    out = StringIO()
    call_command("apply_retention", stdout=out)
    award.refresh_from_db()
    assert award.contact_email == "" and "Anonymised" in out.getvalue()
