"""Issue 9, item 6: officers open calls themselves. Rounds are created from a fund with the
pack's defaults, edited, published, extended (audited, drafts told) and closed early, each
through a service that checks the state it starts from."""

import datetime as dt
import html
import zoneinfo
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from commissioning.accounts.models import Role
from commissioning.applications.models import Round, RoundStatus
from commissioning.applications.rounds.forms import ClockTimeField, default_criteria
from commissioning.applications.rounds.services import (
    round_close,
    round_create,
    round_extend,
    round_open,
    round_update,
)
from commissioning.applications.selectors import open_rounds, upcoming_rounds
from commissioning.applications.services import application_start
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import (
    ApplicationFactory,
    OrganisationFactory,
    RoundFactory,
    member_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.applications.urls")]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = dt.datetime(2027, 1, 10, 12, tzinfo=LONDON)


def at(day: int, hour: int = 12, month: int = 1) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, tzinfo=LONDON)


@pytest.fixture
def fund(office):
    return office.funds.get(code="CF")


@pytest.fixture
def officer(office):
    return staff_user(office)


def draft_round(fund, officer, **fields) -> Round:
    values = {
        "title": "Road safety: targeted call",
        "theme": "Road safety",
        "criteria": "Projects must reduce antisocial driving.",
        "opens_at": at(15),
        "closes_at": at(30),
    } | fields
    return round_create(fund=fund, actor=officer, now=NOW, **values)


def published_round(fund, officer, **fields) -> Round:
    return round_open(round=draft_round(fund, officer, **fields), actor=officer, now=NOW)


# Creating.


def test_a_new_round_is_a_draft_with_the_funds_defaults_and_is_not_public(fund, officer):
    round_ = round_create(fund=fund, actor=officer, now=NOW, title="Community Fund 2027")
    assert round_.status == RoundStatus.DRAFT and round_.stage(NOW) == "draft"
    assert round_.slug == "community-fund-2027"
    assert round_.summary == fund.summary
    assert round_.award_min == Decimal("250") and round_.award_max == Decimal("2500")
    assert round_.opens_at is None and round_.closes_at is None
    assert not round_.is_open(NOW)
    assert round_ not in open_rounds(fund.office, now=NOW)
    assert round_ not in upcoming_rounds(fund.office, now=NOW)
    event = AuditEvent.objects.get(verb="round.created", target_id=str(round_.pk))
    assert event.actor == officer
    again = round_create(fund=fund, actor=officer, now=NOW, title="Community Fund 2027")
    assert again.slug == "community-fund-2027-2"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": " "}, "title", "Enter a title"),
        ({"closes_at": at(5)}, "closes_at", "deadline must be in the future"),
        ({"opens_at": at(20), "closes_at": at(18)}, "closes_at", "after the round opens"),
        ({"min_award": Decimal("100")}, "min_award", "less than the fund's minimum of £250"),
        ({"max_award": Decimal("5000")}, "max_award", "more than the fund's maximum of £2,500"),
        (
            {"min_award": Decimal("2000"), "max_award": Decimal("1000")},
            "min_award",
            "cannot be more than the largest",
        ),
    ],
)
def test_round_rules_refuse_bad_values_with_a_clear_message(fund, officer, fields, field, message):
    with pytest.raises(DomainError, match=message) as refused:
        draft_round(fund, officer, **fields)
    assert refused.value.field == field
    assert not Round.objects.filter(office=fund.office).exists()


def test_a_fund_that_takes_no_applications_gets_no_round(fund, officer):
    fund.open_to_applications = False
    fund.save(update_fields=["open_to_applications"])
    with pytest.raises(DomainError, match="does not take applications"):
        draft_round(fund, officer)


def test_default_criteria_come_from_the_pack(fund):
    text = default_criteria(fund)
    assert "Who can apply: community group and registered charity." in text
    assert "A police officer or PCSO from your area" in text
    assert "Awards from £250 to £2,500." in text


# Publishing.


def test_publishing_opens_the_round_at_its_opening_time(fund, officer):
    round_ = published_round(fund, officer)
    assert round_.status == RoundStatus.PUBLISHED
    assert round_.stage(NOW) == "scheduled" and round_ in upcoming_rounds(fund.office, now=NOW)
    assert round_.is_open(at(16)) and not round_.is_open(at(30))
    assert AuditEvent.objects.filter(verb="round.opened", actor=officer).exists()
    with pytest.raises(DomainError, match="already been published"):
        round_open(round=round_, actor=officer, now=NOW)


def test_a_round_with_no_opening_time_opens_when_published_and_rolling_has_no_deadline(
    fund, officer
):
    round_ = published_round(fund, officer, opens_at=None, closes_at=None)
    assert round_.opens_at == NOW and round_.is_rolling
    assert round_.is_open(NOW + dt.timedelta(days=400))


@pytest.mark.parametrize(
    ("fields", "field"), [({"criteria": ""}, "criteria"), ({"summary": ""}, "summary")]
)
def test_publishing_needs_a_summary_and_criteria(fund, officer, fields, field):
    round_ = draft_round(fund, officer, **fields)
    with pytest.raises(DomainError, match="before publishing") as refused:
        round_open(round=round_, actor=officer, now=NOW)
    assert refused.value.field == field
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT


def test_a_draft_whose_deadline_has_passed_cannot_be_published(fund, officer):
    round_ = draft_round(fund, officer)
    with pytest.raises(DomainError, match="deadline must be in the future"):
        round_open(round=round_, actor=officer, now=at(31))


# Editing.


def test_a_draft_and_a_scheduled_round_can_change_anything(fund, officer):
    round_ = draft_round(fund, officer)
    round_update(round=round_, actor=officer, now=NOW, criteria="New criteria", closes_at=at(28))
    round_ = round_open(round=round_, actor=officer, now=NOW)
    round_update(round=round_, actor=officer, now=NOW, opens_at=at(16), guidance="Read this.")
    round_.refresh_from_db()
    assert (round_.criteria, round_.opens_at, round_.closes_at) == (
        "New criteria",
        at(16),
        at(28),
    )
    event = AuditEvent.objects.filter(verb="round.updated").first()
    assert event.data["after"]["guidance"] == "Read this."


def test_an_open_round_keeps_its_dates_and_award_range_but_its_texts_can_change(fund, officer):
    round_ = published_round(fund, officer)
    during = at(20)
    for fields, message in [
        ({"opens_at": at(16)}, "opening time cannot change"),
        ({"closes_at": at(29)}, "extend its deadline or close it early"),
        ({"max_award": Decimal("2000")}, "award range cannot change"),
    ]:
        with pytest.raises(DomainError, match=message):
            round_update(round=round_, actor=officer, now=during, **fields)
    round_update(round=round_, actor=officer, now=during, guidance="Updated guidance.")
    round_.refresh_from_db()
    assert round_.guidance == "Updated guidance." and round_.closes_at == at(30)


def test_the_dates_of_a_closed_round_cannot_change(fund, officer):
    round_ = published_round(fund, officer)
    round_close(round=round_, actor=officer, reason="Budget spent.", now=at(20))
    with pytest.raises(DomainError, match="has closed, so its dates cannot change"):
        round_update(round=round_, actor=officer, now=at(21), closes_at=at(5, month=2))
    with pytest.raises(DomainError, match="has closed"):
        round_update(round=round_, actor=officer, now=at(21), opens_at=at(25))


# Extending.


def test_extending_records_the_reason_and_tells_applicants_with_drafts(
    fund, officer, django_capture_on_commit_callbacks
):
    round_ = published_round(fund, officer)
    first, second = ApplicationFactory(round=round_), ApplicationFactory(round=round_)
    lead = member_of(first.organisation, email="lead@one.example")
    other = member_of(second.organisation, email="chair@two.example")
    submitted = ApplicationFactory(round=round_, status="withdrawn", reference="X-1")
    member_of(submitted.organisation, email="done@three.example")
    with django_capture_on_commit_callbacks(execute=True):
        round_extend(
            round=round_,
            actor=officer,
            closes_at=at(6, month=2),
            reason="Half-term fell in the window.",
            now=at(20),
        )
    round_.refresh_from_db()
    assert round_.closes_at == at(6, month=2) and round_.is_open(at(31))
    event = AuditEvent.objects.get(verb="round.extended")
    assert event.actor == officer and event.data["reason"] == "Half-term fell in the window."
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, other.email])
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "6 February 2027 at midday" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("closes_at", "reason", "message"),
    [
        (at(15), "Late", "must be in the future"),
        (at(25), "Late", "later than the current one, 30 January 2027 at midday"),
        (at(6, month=2), " ", "Enter the reason"),
        (None, "Late", "Enter the new deadline"),
    ],
)
def test_extension_refusals(fund, officer, closes_at, reason, message):
    round_ = published_round(fund, officer)
    with pytest.raises(DomainError, match=message):
        round_extend(round=round_, actor=officer, closes_at=closes_at, reason=reason, now=at(20))
    round_.refresh_from_db()
    assert round_.closes_at == at(30)


def test_drafts_rolling_and_closed_rounds_cannot_be_extended(fund, officer):
    later = at(6, month=2)
    with pytest.raises(DomainError, match="is a draft"):
        round_extend(
            round=draft_round(fund, officer), actor=officer, closes_at=later, reason="x", now=NOW
        )
    rolling = published_round(fund, officer, title="Rolling", closes_at=None)
    with pytest.raises(DomainError, match="rolling round"):
        round_extend(round=rolling, actor=officer, closes_at=later, reason="x", now=NOW)
    closed = published_round(fund, officer, title="Closed")
    round_close(round=closed, actor=officer, reason="Spent.", now=at(20))
    with pytest.raises(DomainError, match="closed early"):
        round_extend(round=closed, actor=officer, closes_at=later, reason="x", now=at(21))


# Closing early.


def test_closing_early_stops_applications_and_records_the_reason(
    fund, officer, django_capture_on_commit_callbacks
):
    round_ = published_round(fund, officer)
    draft = ApplicationFactory(round=round_)
    member_of(draft.organisation, email="lead@one.example")
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round=round_, actor=officer, reason="The budget is spent.", now=at(20))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED and round_.closes_at == at(20)
    assert round_.close_reason == "The budget is spent." and not round_.is_open(at(21))
    assert AuditEvent.objects.get(verb="round.closed").data["reason"] == "The budget is spent."
    assert [m.to for m in mail.outbox] == [["lead@one.example"]]
    with pytest.raises(DomainError, match="not open"):
        application_start(
            round=round_, organisation=OrganisationFactory(), actor=officer, now=at(21)
        )
    with pytest.raises(DomainError, match="already closed"):
        round_close(round=round_, actor=officer, reason="Again", now=at(22))


def test_closing_needs_a_reason_and_a_published_round(fund, officer):
    round_ = draft_round(fund, officer)
    with pytest.raises(DomainError, match="not been published"):
        round_close(round=round_, actor=officer, reason="x", now=NOW)
    round_open(round=round_, actor=officer, now=NOW)
    with pytest.raises(DomainError, match="Enter the reason"):
        round_close(round=round_, actor=officer, reason="", now=at(20))
    with pytest.raises(DomainError, match="already closed"):
        round_close(round=round_, actor=officer, reason="Late", now=at(31))


def test_a_scheduled_round_closed_before_it_opens_never_opens(fund, officer):
    round_ = published_round(fund, officer)
    round_close(round=round_, actor=officer, reason="Cancelled.", now=NOW)
    round_.refresh_from_db()
    assert round_.stage(NOW) == "closed" and not round_.is_open(at(20))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("17:00", dt.time(17)),
        ("5pm", dt.time(17)),
        ("5:30 pm", dt.time(17, 30)),
        ("9.15am", dt.time(9, 15)),
        ("12am", dt.time(0)),
        ("noon", dt.time(12)),
        ("", None),
    ],
)
def test_times_are_read_as_people_write_them(typed, expected):
    assert ClockTimeField(required=False).clean(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "13pm", "half past", "9:75"])
def test_times_that_are_not_times_are_refused(typed):
    with pytest.raises(Exception, match="time"):
        ClockTimeField(required=False).clean(typed)


# Pages and permissions.


def test_the_round_pages_are_for_the_offices_officers_only(client, office, other_office, fund):
    round_ = RoundFactory(fund=fund)
    base = f"/staff/{office.slug}/rounds/"
    urls = [
        base,
        f"{base}new/",
        f"{base}{round_.slug}/",
        f"{base}{round_.slug}/edit/",
        f"{base}{round_.slug}/publish/",
        f"{base}{round_.slug}/extend/",
        f"{base}{round_.slug}/close/",
    ]
    assert client.get(base).status_code == 302  # signed out: to sign in
    organisation = OrganisationFactory()
    for user in (
        staff_user(other_office),
        staff_user(office, Role.AUDITOR),
        staff_user(office, Role.PANEL_MEMBER),
        member_of(organisation),
    ):
        sign_in(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"{base}{round_.slug}/close/", {"reason": "x"}).status_code == 404
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    sign_in(client, staff_user(office, Role.OFFICE_ADMIN))
    assert client.get(base).status_code == 200


def test_staff_home_links_officers_to_the_rounds(client, office):
    sign_in(client, staff_user(office))
    assert f"/staff/{office.slug}/rounds/" in client.get("/staff/").content.decode()
    sign_in(client, staff_user(office, Role.AUDITOR))
    assert f"/staff/{office.slug}/rounds/" not in client.get("/staff/").content.decode()


def test_an_officer_creates_publishes_extends_and_closes_a_round_through_the_pages(
    client, office, fund, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW, tick=False)
    sign_in(client, staff_user(office))
    base = f"/staff/{office.slug}/rounds/"
    new = html.unescape(client.get(f"{base}new/").content.decode())
    assert "Community Fund 2027" in new and "Small grants for community groups." in new
    assert "Leave empty to use the fund's range: £250 to £2,500." in new
    form = {
        "title": "Road safety: targeted call",
        "theme": "Road safety",
        "summary": "Projects that make roads safer.",
        "criteria": "Projects must reduce antisocial driving.",
        "guidance": "",
        "opens_on_0": "",
        "opens_on_1": "",
        "opens_on_2": "",
        "opens_time": "",
        "has_deadline": "True",
        "closes_on_0": "",
        "closes_on_1": "",
        "closes_on_2": "",
        "closes_time": "",
    }
    refused = client.post(f"{base}new/", form).content.decode()
    assert "govuk-error-summary" in refused
    assert "Enter the deadline, or choose no for a rolling round" in refused
    past = client.post(
        f"{base}new/", form | {"closes_on_0": "1", "closes_on_1": "1", "closes_on_2": "2027"}
    ).content.decode()
    assert "The deadline must be in the future" in past
    created = client.post(
        f"{base}new/",
        form
        | {"closes_on_0": "30", "closes_on_1": "1", "closes_on_2": "2027", "closes_time": "5pm"},
    )
    round_ = Round.objects.get(office=office, title="Road safety: targeted call")
    assert created["Location"] == f"{base}{round_.slug}/"
    assert round_.closes_at == at(30, 17) and round_.status == RoundStatus.DRAFT
    detail = client.get(created["Location"]).content.decode()
    assert "30 January 2027 at 5pm" in detail and "Targeted call: Road safety" in detail
    assert client.get(f"/{office.slug}/funding/{round_.slug}/").status_code == 404

    published = client.post(f"{base}{round_.slug}/publish/")
    assert published["Location"] == f"{base}{round_.slug}/"
    round_.refresh_from_db()
    assert round_.is_open(NOW) and round_.opens_at == NOW
    assert client.get(f"/{office.slug}/funding/{round_.slug}/").status_code == 200

    edit = client.get(f"{base}{round_.slug}/edit/").content.decode()
    assert "opens_on" not in edit and "extend its deadline" in edit

    draft = ApplicationFactory(round=round_)
    member_of(draft.organisation, email="lead@one.example")
    bad = client.post(
        f"{base}{round_.slug}/extend/",
        {"closes_on_0": "20", "closes_on_1": "1", "closes_on_2": "2027", "reason": "Late"},
    ).content.decode()
    assert "later than the current one, 30 January 2027 at 5pm" in bad
    with django_capture_on_commit_callbacks(execute=True):
        extended = client.post(
            f"{base}{round_.slug}/extend/",
            {
                "closes_on_0": "6",
                "closes_on_1": "2",
                "closes_on_2": "2027",
                "closes_time": "17:00",
                "reason": "Half-term.",
            },
        )
    assert extended.status_code == 302
    round_.refresh_from_db()
    assert round_.closes_at == at(6, 17, month=2)
    assert mail.outbox[-1].to == ["lead@one.example"]

    no_reason = client.post(f"{base}{round_.slug}/close/", {"reason": ""}).content.decode()
    assert "Enter the reason for closing the round early" in no_reason
    closed = client.post(f"{base}{round_.slug}/close/", {"reason": "The budget is spent."})
    assert closed.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    listing = client.get(base).content.decode()
    assert "Road safety: targeted call" in listing and "Closed early" in listing


def test_the_list_page_shows_rolling_rounds_and_costs_few_queries(
    client, office, fund, django_assert_max_num_queries
):
    for n in range(5):
        RoundFactory(fund=fund, closes_at=None if n % 2 else timezone.now() + dt.timedelta(1))
    sign_in(client, staff_user(office))
    with django_assert_max_num_queries(12):
        page = client.get(f"/staff/{office.slug}/rounds/").content.decode()
    assert "Rolling: no deadline" in page


def test_api_lists_every_round_for_the_offices_officers_only(client, office, other_office, fund):
    officer = staff_user(office)
    draft = draft_round(fund, officer)
    url = f"/api/v1/offices/{office.slug}/rounds/all"
    assert client.get(url).status_code == 401
    sign_in(client, officer)
    rows = {row["slug"]: row for row in client.get(url).json()}
    assert rows[draft.slug]["status"] == "draft" and rows[draft.slug]["stage"] == "draft"
    public = client.get(f"/api/v1/offices/{office.slug}/rounds").json()
    assert draft.slug not in {row["slug"] for row in public}
    for user in (staff_user(other_office), staff_user(office, Role.AUDITOR)):
        sign_in(client, user)
        assert client.get(url).status_code == 404
