"""Monitoring meetings (MO4): an officer records a meeting held, who came and the notes, and
the actions agreed with owners and due dates; staff pages and the API are scoped to the
office."""

import datetime as dt

import pytest

from commissioning.accounts.models import Role
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.monitoring.meetings.services import (
    meeting_action_add,
    meeting_action_done,
    meeting_record,
)
from commissioning.monitoring.services import meeting_add
from tests.accounts.factories import sign_in, staff_user
from tests.awards.test_api import bearer
from tests.monitoring.factories import monitored_award

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 1)
PEOPLE = [
    {"name": "Sam Patel", "role": "Project manager", "side": "provider"},
    {"name": "Jo Reed", "role": "Commissioning officer", "side": "office"},
]


@pytest.fixture
def meeting(office, officer, round_, signatories):
    """An award over GBP 10,000 has six-monthly meetings (the minimal pack's rule)."""
    award = monitored_award(office, officer, round_, signatories, amount="10000.01")
    return award.monitoring_meetings.get(number=1)


def test_a_meeting_is_recorded_with_attendees_notes_and_actions(meeting, officer):
    meeting_record(
        meeting=meeting,
        actor=officer,
        held_on=dt.date(2026, 9, 30),
        notes="Referrals on track.",
        attendees=PEOPLE,
        today=TODAY,
    )
    assert meeting.held_on == dt.date(2026, 9, 30)
    assert [a.name for a in meeting.attendees.order_by("id")] == ["Sam Patel", "Jo Reed"]
    action = meeting_action_add(
        meeting=meeting,
        actor=officer,
        description="Recruit two volunteers.",
        owner_name="Sam Patel",
        due_on=dt.date(2026, 12, 1),
    )
    meeting_action_done(action=action, actor=officer, done_on=dt.date(2026, 11, 20))
    action.refresh_from_db()
    assert action.done_on == dt.date(2026, 11, 20)
    with pytest.raises(DomainError, match="already marked as done"):
        meeting_action_done(action=action, actor=officer)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"monitoring_meeting.recorded", "meeting_action.added", "meeting_action.done"} <= verbs
    # Recording again replaces the attendees rather than adding to them.
    meeting_record(
        meeting=meeting,
        actor=officer,
        held_on=dt.date(2026, 9, 30),
        notes="Corrected notes.",
        attendees=PEOPLE[:1],
        today=TODAY,
    )
    assert meeting.attendees.count() == 1 and meeting.notes == "Corrected notes."


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"notes": " "}, "notes", "Write the notes of the meeting."),
        ({"held_on": dt.date(2026, 11, 2)}, "held_on", "today or in the past"),
        ({"attendees": [{"name": " "}]}, "attendees", "Name at least one person who came."),
    ],
)
def test_a_meeting_record_is_refused_with_a_plain_message(meeting, officer, change, field, message):
    values = {"held_on": dt.date(2026, 9, 30), "notes": "Notes", "attendees": PEOPLE, **change}
    with pytest.raises(DomainError, match=message) as caught:
        meeting_record(meeting=meeting, actor=officer, today=TODAY, **values)
    assert caught.value.field == field
    meeting.refresh_from_db()
    assert meeting.held_on is None and meeting.attendees.count() == 0


def test_an_action_needs_the_meeting_held_and_an_owner(meeting, officer):
    with pytest.raises(DomainError, match="Record the meeting"):
        meeting_action_add(
            meeting=meeting, actor=officer, description="x", owner_name="y", due_on=TODAY
        )
    meeting_record(
        meeting=meeting,
        actor=officer,
        held_on=dt.date(2026, 9, 30),
        notes="n",
        attendees=PEOPLE,
        today=TODAY,
    )
    with pytest.raises(DomainError, match="Name who will do it."):
        meeting_action_add(
            meeting=meeting, actor=officer, description="x", owner_name=" ", due_on=TODAY
        )


def test_the_meeting_pages(client, meeting, officer, other_office):
    award = meeting.award
    url = f"/staff/{award.office.slug}/monitoring/awards/{award.reference}/meetings/1/"
    sign_in(client, officer)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"action": "record", "attendees": "Sam Patel", "notes": ""})
    assert bad.status_code == 400 and "Enter the date of the meeting." in bad.content.decode()
    done = client.post(
        url,
        {
            "action": "record",
            "held_on_0": "30",
            "held_on_1": "9",
            "held_on_2": "2026",
            "attendees": "Sam Patel, Project manager\nJo Reed, Commissioning officer, office",
            "notes": "Referrals on track.",
        },
    )
    assert done.status_code == 302
    meeting.refresh_from_db()
    sides = list(meeting.attendees.order_by("id").values_list("name", "role", "side"))
    assert sides == [
        ("Sam Patel", "Project manager", "provider"),
        ("Jo Reed", "Commissioning officer", "office"),
    ]
    added = client.post(
        url,
        {
            "action": "add_action",
            "description": "Recruit volunteers",
            "owner_name": "Sam Patel",
            "due_on_0": "1",
            "due_on_1": "12",
            "due_on_2": "2026",
        },
    )
    assert added.status_code == 302 and meeting.actions.count() == 1
    listing = client.get(f"/staff/{award.office.slug}/monitoring/meetings/?show=held")
    assert listing.status_code == 200 and award.reference in listing.content.decode()
    outsider = staff_user(other_office, Role.COMMISSIONING_OFFICER)
    sign_in(client, outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/staff/{award.office.slug}/monitoring/meetings/").status_code == 404
    reader = staff_user(award.office, Role.AUDITOR)
    sign_in(client, reader)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "record"}).status_code == 404


def test_the_meetings_list_costs_a_constant_number_of_queries(
    client, office, officer, round_, signatories, django_assert_max_num_queries
):
    for _ in range(3):
        award = monitored_award(office, officer, round_, signatories)
        meeting_add(award=award, due_on=dt.date(2026, 9, 30), reason="Start-up", actor=officer)
    sign_in(client, officer)
    with django_assert_max_num_queries(12):
        page = client.get(f"/staff/{office.slug}/monitoring/meetings/?show=all")
    assert page.status_code == 200 and page.content.decode().count("meetings/1/") == 3


def test_the_meetings_api(client, meeting, officer, other_office):
    award = meeting.award
    meeting_record(
        meeting=meeting,
        actor=officer,
        held_on=dt.date(2026, 9, 30),
        notes="Referrals on track.",
        attendees=PEOPLE,
        today=TODAY,
    )
    auth = bearer(officer)
    listed = client.get(f"/api/v1/offices/{office_slug(award)}/monitoring/meetings", **auth)
    assert listed.status_code == 200 and [m["number"] for m in listed.json()] == [1, 2]
    one = client.get(
        f"/api/v1/offices/{office_slug(award)}/awards/{award.reference}/monitoring/meetings/1",
        **auth,
    ).json()
    assert one["notes"] == "Referrals on track." and len(one["attendees"]) == 2
    outsider = bearer(staff_user(other_office, Role.COMMISSIONING_OFFICER))
    for path in (
        f"/api/v1/offices/{office_slug(award)}/monitoring/meetings",
        f"/api/v1/offices/{office_slug(award)}/awards/{award.reference}/monitoring/meetings/1",
    ):
        assert client.get(path, **outsider).status_code == 404


def office_slug(award):
    return award.office.slug


def test_a_meeting_cannot_be_held_before_the_award_began(meeting, officer):
    with pytest.raises(DomainError, match="before 1 April 2026, when the award began"):
        meeting_record(
            meeting=meeting,
            actor=officer,
            held_on=dt.date(2026, 3, 1),
            notes="n",
            attendees=PEOPLE,
            today=TODAY,
        )
