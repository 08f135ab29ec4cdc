"""AS5 around the optimiser: a run over the panel's scored applications keeps its inputs and
result, explains limits that cannot be met, can be adjusted by hand, and once adopted becomes
the panel's recommendations. The optimiser itself is tested on its own."""

from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.applications.models import Status
from commissioning.assessment.allocation.services import (
    allocation_adjust,
    allocation_adopt,
    allocation_run,
)
from commissioning.assessment.panels.services import panel_meeting_record
from commissioning.core.errors import DomainError
from tests.accounts.factories import sign_in, staff_user
from tests.assessment.factories import panel_with, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(office):
    """Three applications of £2,000 with mean scores 80, 60 and 40."""
    panel, officer, members, apps = panel_with(office, apps=3)
    for member in members:
        for application, value in zip(apps, [4, 3, 2], strict=True):
            score(member, application, [value])
    return panel, officer, members, apps


def test_a_run_proposes_the_best_awards_within_the_budget(scored):
    panel, officer, _members, apps = scored
    run = allocation_run(panel=panel, actor=officer, budget=Decimal("4000"))
    assert run.feasible
    assert run.chosen == {apps[0].reference: "2000.00", apps[1].reference: "2000.00"}
    assert run.result["proposal"]["total_amount"] == "4000.00"
    assert run.result["cost_of_limits"] == 0
    assert {b["key"] for b in run.inputs["bids"]} == {a.reference for a in apps}
    for application in apps:
        application.refresh_from_db()
        assert application.status == Status.IN_ASSESSMENT  # nothing changes until adopted


def test_limits_that_cannot_be_met_are_explained(scored, office):
    panel, officer, _members, _apps = scored
    office.policy.assessment = {**office.policy.assessment, "allocation": {"area_share_min": 0.9}}
    office.policy.save()
    run = allocation_run(panel=panel, actor=officer, budget=Decimal("100000"))
    assert not run.feasible and run.chosen == {}
    problem = run.result["problems"][0]
    assert problem["kind"] == "area_min" and Decimal(problem["short_by"]) > 0
    assert problem["message"]
    with pytest.raises(DomainError, match="nothing to adopt"):
        allocation_adopt(run=run, meeting=None, actor=officer)


def test_an_adjusted_run_is_adopted_as_the_panels_recommendations(scored):
    panel, officer, members, apps = scored
    run = allocation_run(panel=panel, actor=officer, budget=Decimal("4000"))
    with pytest.raises(DomainError, match="more than the budget"):
        allocation_adjust(
            run=run,
            chosen={a.reference: Decimal("2000") for a in apps},
            actor=officer,
        )
    with pytest.raises(DomainError, match="only"):
        allocation_adjust(run=run, chosen={apps[0].reference: Decimal("1000")}, actor=officer)
    allocation_adjust(
        run=run,
        chosen={apps[0].reference: Decimal("2000"), apps[2].reference: Decimal("2000")},
        actor=officer,
    )
    meeting = panel_meeting_record(
        panel=panel, held_on=timezone.localdate(), attendees=members, actor=officer
    )
    allocation_adopt(run=run, meeting=meeting, actor=officer)
    statuses = {a.reference: a.status for a in apps}
    for application in apps:
        application.refresh_from_db()
        statuses[application.reference] = application.status
    assert statuses == {
        apps[0].reference: Status.RECOMMENDED,
        apps[1].reference: Status.NOT_RECOMMENDED,
        apps[2].reference: Status.RECOMMENDED,
    }
    assert "scored 60.0 out of 100" in apps[1].agreed_recommendation.rationale
    with pytest.raises(DomainError, match="already been adopted"):
        allocation_adopt(run=run, meeting=meeting, actor=officer)


def test_the_pages_and_api_show_runs_to_officers_only(client, scored, other_office):
    panel, officer, members, apps = scored
    sign_in(client, officer)
    base = f"/staff/{panel.office.slug}/panels/{panel.pk}/allocation/"
    assert apps[0].reference in client.get(base).content.decode()
    response = client.post(base, {"budget": "4000", "exclude": [apps[0].reference]})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Differences from a plain ranking by score" in page
    run_id = response.url.rstrip("/").split("/")[-1]
    api = f"/api/v1/offices/{panel.office.slug}/panels/{panel.pk}/allocation-runs"
    assert client.get(api).json()[0]["id"] == int(run_id)
    detail = client.get(f"{api}/{run_id}").json()
    assert detail["inputs"]["exclude"] == [apps[0].reference]
    bad = client.post(base, {"budget": "lots"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    for user in (members[0].user, staff_user(other_office)):
        sign_in(client, user)
        assert client.get(base).status_code == 404
        assert client.get(f"{base}{run_id}/").status_code == 404
        assert client.get(api).status_code == 404
        assert client.get(f"{api}/{run_id}").status_code == 404
