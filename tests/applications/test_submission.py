"""AP4: drafts, submission with a reference and receipt, the deadline on the server, and one
submission however many times it is sent."""

import datetime as dt
import threading
import zoneinfo

import pytest
from django.core import mail
from django.db import connection

from commissioning.applications.models import Application, ReferenceSequence, Status
from commissioning.applications.services import (
    IncompleteApplication,
    application_start,
    application_submit,
    application_update,
    application_withdraw,
)
from commissioning.core.errors import DomainError
from tests.applications.factories import (
    ApplicationFactory,
    CompleteDraftFactory,
    RoundFactory,
    member_of,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db
# The most a submission with its endorsers asked takes (issue 14: 52 before the rush work).
QUERIES = 40


@pytest.fixture
def round_(office):
    return RoundFactory(fund=office.funds.get(code="CF"))


def submit(application, user=None, **kwargs):
    user = user or member_of(application.organisation)
    return application_submit(application=application, actor=user, **kwargs)


def test_a_complete_draft_gets_a_reference_and_a_receipt(
    round_, django_capture_on_commit_callbacks
):
    application = CompleteDraftFactory(round=round_)
    user = member_of(application.organisation, email="lead@group.example")
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(application, user)
    year = dt.datetime.now(LONDON).year
    assert submitted.reference == f"TST-CF-{year}-0001"
    assert submitted.submitted_by == user
    assert submitted.status != Status.DRAFT
    assert submitted.status_changes.filter(old=Status.DRAFT, new=Status.SUBMITTED).exists()
    receipt = [m for m in mail.outbox if m.to == ["lead@group.example"]]
    assert receipt and submitted.reference in receipt[0].subject


def test_references_count_up_per_fund_and_year(round_):
    first = submit(CompleteDraftFactory(round=round_))
    second = submit(CompleteDraftFactory(round=round_))
    assert first.reference.endswith("-0001") and second.reference.endswith("-0002")


def test_an_incomplete_draft_is_refused_with_what_is_missing(round_):
    application = ApplicationFactory(round=round_, title="Half done")
    with pytest.raises(IncompleteApplication) as caught:
        submit(application)
    messages = [m.message for m in caught.value.missing]
    assert "Enter the amount you are asking for" in messages
    assert "Choose at least one priority of the Police and Crime Plan" in messages
    assert any("endorser" in m for m in messages)
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.reference == ""
    assert application.title == "Half done"


def test_costs_must_cover_the_amount(round_):
    application = CompleteDraftFactory(round=round_)
    application.budget_lines.update(amount=500)
    with pytest.raises(IncompleteApplication) as caught:
        submit(application)
    assert any("less than the amount you ask for" in m.message for m in caught.value.missing)


def test_submitting_twice_yields_one_submission(round_):
    application = CompleteDraftFactory(round=round_)
    user = member_of(application.organisation)
    first = submit(application, user)
    again = submit(application, user)
    assert again.reference == first.reference
    assert ReferenceSequence.objects.get().last == 1
    assert application.status_changes.filter(new=Status.SUBMITTED).count() == 1


@pytest.mark.parametrize(
    "closes_london,now_utc,accepted",
    [
        # Spring forward: 29 March 2026, noon in London is 11:00 UTC (BST).
        ("2026-03-29T12:00", "2026-03-29T10:59:59+00:00", True),
        ("2026-03-29T12:00", "2026-03-29T11:00:00+00:00", False),
        # The day before, noon in London is noon UTC (GMT).
        ("2026-03-28T12:00", "2026-03-28T11:59:59+00:00", True),
        ("2026-03-28T12:00", "2026-03-28T12:00:00+00:00", False),
        # Fall back: 25 October 2026, noon in London is noon UTC again.
        ("2026-10-25T12:00", "2026-10-25T11:59:59+00:00", True),
        ("2026-10-25T12:00", "2026-10-25T12:00:00+00:00", False),
    ],
)
def test_deadline_across_the_clock_changes(office, closes_london, now_utc, accepted):
    closes = dt.datetime.fromisoformat(closes_london).replace(tzinfo=LONDON)
    round_ = RoundFactory(
        fund=office.funds.get(code="CF"), opens_at=closes - dt.timedelta(days=60), closes_at=closes
    )
    application = CompleteDraftFactory(round=round_)
    now = dt.datetime.fromisoformat(now_utc)
    if accepted:
        assert submit(application, now=now).reference
        return
    with pytest.raises(DomainError) as caught:
        submit(application, now=now)
    assert "12:00pm on" in caught.value.message and "draft has been kept" in caught.value.message
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert application.title == "Safer Parks after dark"


def test_no_new_draft_after_the_close(office):
    round_ = RoundFactory(
        fund=office.funds.get(code="CF"),
        opens_at=dt.datetime(2020, 1, 1, tzinfo=LONDON),
        closes_at=dt.datetime(2020, 2, 1, tzinfo=LONDON),
    )
    with pytest.raises(DomainError, match="not open"):
        application_start(round=round_, organisation=None, actor=None)


def test_a_submitted_application_cannot_be_edited(round_):
    application = submit(CompleteDraftFactory(round=round_))
    with pytest.raises(DomainError, match="can no longer be changed"):
        application_update(application=application, actor=None, fields={"title": "x"})


def test_withdraw_before_a_decision_only(round_):
    application = submit(CompleteDraftFactory(round=round_))
    withdrawn = application_withdraw(application=application, actor=None, reason="No longer needed")
    assert withdrawn.status == Status.WITHDRAWN
    decided = submit(CompleteDraftFactory(round=round_))
    Application.objects.filter(pk=decided.pk).update(status=Status.APPROVED)
    decided.refresh_from_db()
    with pytest.raises(DomainError, match="decision has been made"):
        application_withdraw(application=decided, actor=None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_concurrent_submissions_yield_one_and_numbers_do_not_collide(office):
    round_ = RoundFactory(fund=office.funds.get(code="CF"))
    same = CompleteDraftFactory(round=round_)
    user = member_of(same.organisation)
    others = [CompleteDraftFactory(round=round_) for _ in range(4)]
    barrier = threading.Barrier(6)
    errors = []

    def go(application, actor):
        try:
            barrier.wait()
            application_submit(application=application, actor=actor)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(same, user)) for _ in range(2)]
    threads += [threading.Thread(target=go, args=(a, member_of(a.organisation))) for a in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    references = list(Application.objects.exclude(reference="").values_list("reference", flat=True))
    assert len(references) == 5 == len(set(references))
    assert ReferenceSequence.objects.get().last == 5


def test_submitting_is_a_bounded_number_of_queries_with_its_endorsers_asked(
    round_, django_assert_max_num_queries
):
    """The deadline-day path (issue 14): the parts are read with the locked row, the named
    endorsers are asked together, and the reference is saved with the state change, so the
    fund's counter is held for the last write only."""
    application = CompleteDraftFactory(round=round_)
    unsent = application.endorsements.filter(state="not_sent").count()
    user = member_of(application.organisation)
    with django_assert_max_num_queries(QUERIES):
        submitted = submit(application, user, send_endorsement_requests=True)
    assert submitted.endorsements.filter(state="requested").count() == unsent
    assert submitted.history.filter(status=Status.SUBMITTED, reference=submitted.reference)
    assert ReferenceSequence.objects.get().last == 1
