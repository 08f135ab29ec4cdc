"""Performance (MO6): the staff page of awards with their RAG, overdue returns and outputs
against target, in a constant number of queries; improvement plans with actions;
de-commissioning with a risk assessment and both sides' comments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.models import Role
from commissioning.core.errors import DomainError
from commissioning.decisions.services import decision_submit_for_signature
from commissioning.monitoring.performance.models import DecommissioningStatus, PlanStatus
from commissioning.monitoring.performance.selectors import performance_page
from commissioning.monitoring.performance.services import (
    decommissioning_comment,
    decommissioning_propose,
    decommissioning_refer_for_decision,
    improvement_action_add,
    improvement_action_done,
    improvement_plan_close,
    improvement_plan_open,
)
from commissioning.monitoring.services import return_accept, return_submit
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import OrganisationFactory, member_of
from tests.decisions.conftest import sign_all
from tests.monitoring.factories import complete, monitored_award, organisation_user

pytestmark = pytest.mark.django_db

RISK = {
    "risk": "Victims lose support mid-way",
    "likelihood": "medium",
    "impact": "high",
    "mitigation": "Hand over to the county service with a warm referral.",
}


@pytest.fixture
def award(office, officer, round_, signatories):
    return monitored_award(office, officer, round_, signatories)


def test_the_page_shows_rag_overdue_returns_and_outputs_against_target(award, officer):
    ret = award.monitoring_returns.get(number=1)
    user = organisation_user(award)
    complete(ret, user, rag="amber")
    return_submit(monitoring_return=ret, actor=user)
    return_accept(monitoring_return=ret, actor=officer)
    (row,) = performance_page(award.office, today=dt.date(2027, 5, 1))
    assert row.latest_rag == "amber"
    assert row.overdue_returns == 1  # the second, due 14 April 2027
    assert [(o.target, o.delivered) for o in row.outputs_progress] == [(50, 12)]
    assert list(performance_page(award.office, today=dt.date(2027, 5, 1), rag="green")) == []
    (later,) = performance_page(award.office, today=dt.date(2026, 11, 1), overdue_only=False)
    assert later.overdue_returns == 0


def test_the_page_costs_a_constant_number_of_queries(
    client, office, officer, round_, signatories, django_assert_num_queries
):
    first = monitored_award(office, officer, round_, signatories)
    sign_in(client, officer)
    url = f"/staff/{office.slug}/monitoring/performance/"
    client.get(url)  # warm the caches the base template fills
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(3):
        monitored_award(office, officer, round_, signatories)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("improvement-plans/") == 4
    assert first.reference in page.content.decode()


def test_other_offices_get_404(client, award, other_office):
    sign_in(client, staff_user(other_office, Role.COMMISSIONING_OFFICER))
    office = award.office.slug
    for path in (
        f"/staff/{office}/monitoring/performance/",
        f"/staff/{office}/monitoring/awards/{award.reference}/improvement-plans/",
        f"/staff/{office}/monitoring/awards/{award.reference}/decommissioning/",
    ):
        assert client.get(path).status_code == 404


def test_an_improvement_plan_with_actions(award, officer):
    with pytest.raises(DomainError, match="Say why"):
        improvement_plan_open(award=award, actor=officer, reason=" ")
    plan = improvement_plan_open(award=award, actor=officer, reason="Outputs behind target.")
    with pytest.raises(DomainError, match="already has an open improvement plan"):
        improvement_plan_open(award=award, actor=officer, reason="Again")
    action = improvement_action_add(
        plan=plan,
        actor=officer,
        description="Weekly progress call",
        owner_name="Sam Patel",
        due_on=dt.date(2030, 1, 1),
    )
    improvement_action_done(action=action, actor=officer)
    improvement_plan_close(plan=plan, actor=officer, note="Back on track.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and plan.closed_at is not None
    with pytest.raises(DomainError, match="closed"):
        improvement_action_add(
            plan=plan, actor=officer, description="x", owner_name="y", due_on=dt.date(2030, 1, 1)
        )


def test_the_improvement_plan_page(client, award, officer):
    sign_in(client, officer)
    url = f"/staff/{award.office.slug}/monitoring/awards/{award.reference}/improvement-plans/"
    bad = client.post(url, {"action": "open", "reason": ""})
    assert bad.status_code == 400 and "Say why the award needs an improvement plan." in (
        bad.content.decode()
    )
    assert client.post(url, {"action": "open", "reason": "Behind target"}).status_code == 302
    added = client.post(
        url,
        {
            "action": "add_action",
            "description": "Weekly call",
            "owner_name": "Sam",
            "due_on_0": "1",
            "due_on_1": "1",
            "due_on_2": "2030",
        },
    )
    assert added.status_code == 302
    assert "Weekly call" in client.get(url).content.decode()


def test_decommissioning_is_discussed_with_the_provider(client, award, officer):
    with pytest.raises(DomainError, match="at least one risk"):
        decommissioning_propose(
            award=award,
            actor=officer,
            reason="Not delivering",
            proposed_end_on=dt.date(2026, 12, 31),
            risks=[],
        )
    with pytest.raises(DomainError, match="within the award"):
        decommissioning_propose(
            award=award,
            actor=officer,
            reason="Not delivering",
            proposed_end_on=dt.date(2028, 1, 1),
            risks=[RISK],
        )
    item = decommissioning_propose(
        award=award,
        actor=officer,
        reason="Outputs far behind after an improvement plan.",
        proposed_end_on=dt.date(2026, 12, 31),
        risks=[RISK],
    )
    assert item.reference == f"{award.reference}-DC1" and item.risks.count() == 1
    decommissioning_comment(
        decommissioning=item, actor=officer, side="office", text="We propose to end it."
    )
    with pytest.raises(DomainError, match="has not yet given its view"):
        decommissioning_refer_for_decision(decommissioning=item, actor=officer)
    user = organisation_user(award)
    client.force_login(user)
    url = f"/organisations/{award.organisation.ref}/monitoring/{award.reference}/decommissioning/"
    page = client.get(url)
    assert page.status_code == 200 and "Victims lose support mid-way" in page.content.decode()
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "We disagree: referrals rose."}).status_code == 302
    sides = list(item.comments.values_list("side", "text"))
    assert sides == [
        ("office", "We propose to end it."),
        ("provider", "We disagree: referrals rose."),
    ]
    client.force_login(member_of(OrganisationFactory()))
    assert client.get(url).status_code == 404
    assert item.status == DecommissioningStatus.CONSULTING


def test_decommissioning_is_decided_by_a_signed_decision_record(award, officer, signatories):
    """MO6: both sides' comments go into the record; its last signature decides."""
    item = decommissioning_propose(
        award=award,
        actor=officer,
        reason="Outputs far behind after an improvement plan.",
        proposed_end_on=dt.date(2026, 12, 31),
        risks=[RISK],
    )
    decommissioning_comment(
        decommissioning=item, actor=organisation_user(award), side="provider", text="We disagree."
    )
    decommissioning_refer_for_decision(decommissioning=item, actor=officer)
    assert item.status == DecommissioningStatus.FOR_DECISION
    decision = item.decision
    assert (decision.subject_kind, decision.subject_reference) == (
        "decommissioning",
        item.reference,
    )
    assert decision.total == award.amount and "We disagree." in decision.options_considered
    assert "Victims lose support mid-way" in decision.rationale
    with pytest.raises(DomainError, match="discussion of this de-commissioning has closed"):
        decommissioning_comment(decommissioning=item, actor=officer, side="office", text="More")
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    sign_all(decision, signatories)
    item.refresh_from_db()
    assert item.status == DecommissioningStatus.DECIDED
