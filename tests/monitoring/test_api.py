"""The monitoring API (issue 11, item 9): schedules and returns for the office's staff, scoped
to the office; figures as the organisation gave them."""

import pytest

from commissioning.accounts.models import Role
from commissioning.monitoring.rules import suppressed
from commissioning.monitoring.selectors import return_figures
from commissioning.monitoring.services import return_submit
from tests.accounts.factories import staff_user
from tests.applications.factories import OrganisationFactory, member_of
from tests.awards.test_api import bearer
from tests.monitoring.factories import complete, monitored_award, organisation_user

pytestmark = pytest.mark.django_db


def test_schedules_and_returns_are_read_by_the_office_only(
    client, office, officer, round_, signatories, other_office
):
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    complete(ret, organisation_user(award))
    auth = bearer(officer)
    listed = client.get(f"/api/v1/offices/{office.slug}/monitoring/returns", **auth)
    assert listed.status_code == 200 and len(listed.json()) == 2
    schedule = client.get(
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/monitoring", **auth
    )
    assert schedule.status_code == 200
    assert schedule.json()["rules"] == ["Every award"] and len(schedule.json()["returns"]) == 2
    one = client.get(
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/monitoring/returns/1", **auth
    ).json()
    assert one["progress"] == "Twelve patrols this period." and one["people_supported"] == 10
    outsider = bearer(staff_user(other_office, Role.COMMISSIONING_OFFICER))
    for path in (
        f"/api/v1/offices/{office.slug}/monitoring/returns",
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/monitoring",
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/monitoring/returns/1",
    ):
        assert client.get(path, **outsider).status_code == 404
    panel = bearer(staff_user(office, Role.PANEL_MEMBER))
    assert (
        client.get(f"/api/v1/offices/{office.slug}/monitoring/returns", **panel).status_code == 403
    )
    bad = client.get(f"/api/v1/offices/{office.slug}/monitoring/returns?view=nope", **auth)
    assert bad.status_code == 422


def test_small_numbers_are_suppressed_outside_the_office(office, officer, round_, signatories):
    """MO2: counts under the pack's threshold (5 by default) read 'fewer than 5'."""
    award = monitored_award(office, officer, round_, signatories)
    ret = complete(award.monitoring_returns.get(number=1), organisation_user(award))
    outside = return_figures(ret, outside_office=True)
    answers = {a["code"]: a["count"] for a in outside["demographics"]["age_band"]["answers"]}
    assert (
        answers["18_24"] == 6 and answers["not_known"] == "fewer than 5" and answers["55_64"] == 0
    )
    inside = return_figures(ret, outside_office=False)
    assert {a["code"]: a["count"] for a in inside["demographics"]["age_band"]["answers"]}[
        "not_known"
    ] == 4
    assert (
        suppressed(4, 10) == "fewer than 10"
        and suppressed(10, 10) == 10
        and suppressed(None) is None
    )


def test_an_organisation_saves_and_submits_its_own_returns(
    client, office, officer, round_, signatories
):
    """Issue 11, item 9: the organisation's side of the API; another organisation gets 404."""
    award = monitored_award(office, officer, round_, signatories)
    user = organisation_user(award)
    client.force_login(user)
    auth = {}
    base = f"/api/v1/organisations/{award.organisation.ref}/monitoring/returns"
    listed = client.get(base, **auth)
    assert listed.status_code == 200 and [r["number"] for r in listed.json()] == [1, 2]
    one = f"{base}/{award.reference}/1"
    refused = client.post(f"{one}/submit", **auth)
    assert refused.status_code == 400
    messages = [p["message"] for p in refused.json()["problems"]]
    assert "Say what progress the project made in this period." in messages
    application = award.application
    body = {
        "progress": "Twelve patrols.",
        "outputs": {str(o.pk): 12 for o in application.outputs.all()},
        "spend": {str(b.pk): "400.00" for b in application.budget_lines.all()},
        "people_supported": 10,
        "demographics": {"age_band": {"18_24": 6, "not_known": 3}},
        "rag": "green",
    }
    saved = client.patch(one, body, content_type="application/json", **auth)
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    not_adding_up = client.post(f"{one}/submit", **auth)
    assert (
        "add up to 9, but you supported 10 people" in not_adding_up.json()["problems"][0]["message"]
    )
    body["demographics"] = {"age_band": {"18_24": 6, "not_known": 4}}
    client.patch(one, body, content_type="application/json", **auth)
    sent = client.post(f"{one}/submit", **auth)
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    client.force_login(member_of(OrganisationFactory()))
    assert client.get(base).status_code == 404
    assert client.get(one).status_code == 404
    assert client.post(f"{one}/submit").status_code == 404


def test_officers_review_returns_through_the_api(
    client, office, officer, round_, signatories, other_office
):
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    user = organisation_user(award)
    complete(ret, user)
    return_submit(monitoring_return=ret, actor=user)
    url = f"/api/v1/offices/{office.slug}/awards/{award.reference}/monitoring/returns/1/review"
    auditor = bearer(staff_user(office, Role.AUDITOR))
    assert (
        client.post(
            url, {"decision": "accept"}, content_type="application/json", **auditor
        ).status_code
        == 403
    )
    outsider = bearer(staff_user(other_office, Role.COMMISSIONING_OFFICER))
    assert (
        client.post(
            url, {"decision": "accept"}, content_type="application/json", **outsider
        ).status_code
        == 404
    )
    auth = bearer(officer)
    empty = client.post(
        url, {"decision": "return", "comments": ""}, content_type="application/json", **auth
    )
    assert (
        empty.status_code == 400
        and empty.json()["detail"] == "Say what the organisation needs to change."
    )
    done = client.post(
        url, {"decision": "accept", "comments": "Clear."}, content_type="application/json", **auth
    )
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    again = client.post(url, {"decision": "accept"}, content_type="application/json", **auth)
    assert again.status_code == 400
