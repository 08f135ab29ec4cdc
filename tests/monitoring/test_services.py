"""Schedules made with the award, due dates moved with a reason, and returns through their
workflow (MO1-MO3): figures that do not add up are refused with a plain message; acceptance
runs the registered hooks (the payments part's instalment release)."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.monitoring import services
from commissioning.monitoring.models import DueDateChange, ReturnStatus
from commissioning.monitoring.services import (
    ReturnNotReady,
    meeting_add,
    return_accept,
    return_add,
    return_due_date_move,
    return_save,
    return_send_back,
    return_submit,
)
from commissioning.offices.models import OfficePolicy
from tests.monitoring.factories import complete, monitored_award, organisation_user

pytestmark = pytest.mark.django_db


def test_an_award_is_made_with_its_schedule(office, officer, round_, signatories):
    """MO1: the minimal pack asks every award for six-monthly returns."""
    award = monitored_award(office, officer, round_, signatories)
    schedule = award.monitoring_schedule
    assert schedule.returns_every_months == 6 and schedule.meetings_every_months is None
    assert schedule.officer == officer
    returns = list(award.monitoring_returns.order_by("number"))
    assert [(r.number, r.period_end, r.due_on) for r in returns] == [
        (1, dt.date(2026, 9, 30), dt.date(2026, 10, 14)),
        (2, dt.date(2027, 3, 31), dt.date(2027, 4, 14)),
    ]
    assert AuditEvent.objects.filter(verb="monitoring.schedule_made").count() == 1


def test_meetings_over_ten_thousand(office, officer, round_, signatories):
    award = monitored_award(office, officer, round_, signatories, amount="10000.01")
    assert award.monitoring_meetings.count() == 2


def test_a_pack_change_changes_future_schedules_only(office, officer, round_, signatories):
    """MO1: a schedule keeps the rules it was made with."""
    first = monitored_award(office, officer, round_, signatories)
    policy = office.policy
    monitoring = {**policy.monitoring, "rules": [{"name": "Quarterly", "returns_every_months": 3}]}
    OfficePolicy.objects.filter(pk=policy.pk).update(monitoring=monitoring)
    office.refresh_from_db()
    second = monitored_award(office, officer, round_, signatories)
    assert first.monitoring_returns.count() == 2
    assert second.monitoring_returns.count() == 4
    first.monitoring_schedule.refresh_from_db()
    assert first.monitoring_schedule.returns_every_months == 6


def test_staff_move_and_add_due_dates_with_a_reason(office, officer, round_, signatories):
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    with pytest.raises(DomainError, match="Give the reason"):
        return_due_date_move(
            monitoring_return=ret, due_on=dt.date(2026, 11, 1), reason=" ", actor=officer
        )
    return_due_date_move(
        monitoring_return=ret, due_on=dt.date(2026, 11, 1), reason="Staff illness", actor=officer
    )
    ret.refresh_from_db()
    assert ret.due_on == dt.date(2026, 11, 1) and ret.scheduled_due_on == dt.date(2026, 10, 14)
    change = DueDateChange.objects.get(monitoring_return=ret)
    assert (change.old_due_on, change.reason, change.actor) == (
        dt.date(2026, 10, 14),
        "Staff illness",
        officer,
    )
    assert AuditEvent.objects.filter(verb="monitoring_return.due_date_moved").exists()
    extra = return_add(
        award=award,
        kind="return",
        due_on=dt.date(2026, 7, 1),
        reason="New pilot area",
        actor=officer,
    )
    assert extra.number == 3 and extra.added_by_staff
    meeting = meeting_add(award=award, due_on=dt.date(2026, 8, 1), reason="Concerns", actor=officer)
    assert meeting.number == 1
    with pytest.raises(DomainError, match="Choose a date between"):
        return_add(
            award=award, kind="return", due_on=dt.date(2020, 1, 1), reason="x", actor=officer
        )


def test_a_complete_return_is_submitted_accepted_and_runs_the_hooks(
    office, officer, round_, signatories
):
    """MO2, MO3: draft -> submitted -> accepted; the payments part hears of the acceptance."""
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    user = organisation_user(award)
    heard = []
    hook = services.return_accepted_hook_register(
        lambda *, monitoring_return, actor, now: heard.append(monitoring_return.pk)
    )
    try:
        complete(ret, user)
        return_submit(monitoring_return=ret, actor=user)
        assert ret.status == ReturnStatus.SUBMITTED and ret.submitted_by == user
        with pytest.raises(DomainError, match="can no longer be changed"):
            return_save(monitoring_return=ret, actor=user, data={"progress": "x"})
        return_accept(monitoring_return=ret, actor=officer, comments="Thank you.")
        assert ret.status == ReturnStatus.ACCEPTED and heard == [ret.pk]
    finally:
        services.RETURN_ACCEPTED_HOOKS.remove(hook)


def test_a_hook_that_refuses_keeps_the_return_submitted(office, officer, round_, signatories):
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    user = organisation_user(award)
    complete(ret, user)
    return_submit(monitoring_return=ret, actor=user)

    def refuse(*, monitoring_return, actor, now):
        raise DomainError("The instalment cannot be released.")

    services.return_accepted_hook_register(refuse)
    try:
        with pytest.raises(DomainError, match="cannot be released"):
            return_accept(monitoring_return=ret, actor=officer)
    finally:
        services.RETURN_ACCEPTED_HOOKS.remove(refuse)
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


def test_a_returned_return_is_resubmitted_and_does_not_run_the_hooks(
    office, officer, round_, signatories
):
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    user = organisation_user(award)
    complete(ret, user)
    return_submit(monitoring_return=ret, actor=user)
    with pytest.raises(DomainError, match="Say what the organisation needs to change"):
        return_send_back(monitoring_return=ret, actor=officer, comments="")
    return_send_back(monitoring_return=ret, actor=officer, comments="Add the case study.")
    assert ret.status == ReturnStatus.RETURNED and ret.review_comments == "Add the case study."
    complete(ret, user, case_studies="A family helped.")
    return_submit(monitoring_return=ret, actor=user)
    assert ret.status == ReturnStatus.RESUBMITTED
    changes = [(c.old, c.new) for c in ret.status_changes.all()]
    assert changes == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "resubmitted"),
    ]


def test_an_incomplete_return_lists_everything_missing(office, officer, round_, signatories):
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    with pytest.raises(ReturnNotReady) as refused:
        return_submit(monitoring_return=ret, actor=organisation_user(award))
    messages = [m for _f, m in refused.value.problems]
    assert "Say what progress the project made in this period." in messages
    assert "Give the number delivered for 'Patrols'." in messages
    assert "Choose red, amber or green for how the project is going." in messages


def test_figures_that_do_not_add_up_are_refused_with_plain_messages(
    office, officer, round_, signatories
):
    """MO2: demographic counts against people supported; spend over the award."""
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    user = organisation_user(award)
    line = award.application.budget_lines.get()
    complete(
        ret,
        user,
        people_supported=10,
        demographics={"age_band": {"18_24": 6, "prefer_not_to_say": 2}, "sex": {"female": 10}},
        spend={str(line.pk): "2000.01"},
    )
    with pytest.raises(ReturnNotReady) as refused:
        return_submit(monitoring_return=ret, actor=user)
    messages = [m for _f, m in refused.value.problems]
    assert messages == [
        "The counts for age add up to 8, but you supported 10 people. Count each person once, "
        "using 'prefer not to say' or 'not known' where you need to.",
        "The spend to date, £2,000.01, is more than the award of £2,000.00.",
    ]
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.DRAFT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"people_supported": "many"}, "People supported must be a whole number."),
        ({"people_supported": -1}, "from 0 to 10,000,000"),
        ({"rag": "blue"}, "Choose red, amber or green."),
        ({"outputs": {"999999": 1}}, "That output is not one of the application's."),
        ({"demographics": {"age_band": {"elderly": 1}}}, "is not an answer to that question"),
        ({"demographics": {"star_sign": {}}}, "is not a question about the people supported"),
        ({"measures": {"happiness": 1}}, "is not a measure this office asks for"),
    ],
)
def test_bad_figures_get_a_plain_message_and_save_nothing(
    office, officer, round_, signatories, data, message
):
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    with pytest.raises(DomainError, match=message):
        return_save(
            monitoring_return=ret, actor=organisation_user(award), data={"progress": "x", **data}
        )
    ret.refresh_from_db()
    assert ret.progress == ""


def test_spend_is_pounds_and_pence(office, officer, round_, signatories):
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    line = award.application.budget_lines.get()
    for bad in ("12.345", "NaN", "-1", "1e3"):
        with pytest.raises(DomainError, match="amount in pounds"):
            return_save(monitoring_return=ret, actor=officer, data={"spend": {str(line.pk): bad}})
    saved = return_save(
        monitoring_return=ret, actor=officer, data={"spend": {str(line.pk): "£1,250.5"}}
    )
    assert saved.spend == {str(line.pk): "1250.50"}
    assert Decimal(saved.spend[str(line.pk)]) == Decimal("1250.50")
