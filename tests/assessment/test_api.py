"""The API: panels for their officers and members, a member's own scores, moderation for
officers. Conflicted members get a 403; anyone else's panel is a 404."""

import pytest

from commissioning.accounts.models import Role
from commissioning.assessment.models import ScoreSheet
from commissioning.assessment.panels.services import conflict_declare
from tests.accounts.factories import sign_in, staff_user
from tests.assessment.factories import panel_with, score

pytestmark = pytest.mark.django_db


def api(panel) -> str:
    return f"/api/v1/offices/{panel.office.slug}/panels/{panel.pk}"


def test_a_member_declares_saves_and_submits_own_scores(client, office):
    panel, _officer, (member, _other), (application, _x) = panel_with(office)
    sign_in(client, member.user)
    url = f"{api(panel)}/applications/{application.reference}"
    assert client.get(url + "/scores").status_code == 400  # declare first
    declared = client.post(
        url + "/declaration", {"has_conflict": False}, content_type="application/json"
    )
    assert declared.status_code == 200 and declared.json()["has_conflict"] is False
    saved = client.put(
        url + "/scores",
        {"scores": [{"criterion": "impact", "score": 5}], "recommendation": "fund"},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["weighted_total"] == "60.00"
    refused = client.post(url + "/scores/submit")
    assert refused.status_code == 400 and "Not yet scored" in refused.json()["detail"]
    client.put(
        url + "/scores",
        {
            "scores": [{"criterion": "impact", "score": 5}, {"criterion": "value", "score": 5}],
            "recommendation": "fund",
        },
        content_type="application/json",
    )
    submitted = client.post(url + "/scores/submit").json()
    assert submitted["weighted_total"] == "100.00" and submitted["submitted_at"]
    bad = client.put(
        url + "/scores",
        {"scores": [{"criterion": "impact", "score": 9}]},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_a_conflicted_member_gets_403_and_no_scores(client, office):
    """AS2 in the API."""
    panel, _officer, (first, second), (application, _x) = panel_with(office)
    score(second, application, [3])
    conflict_declare(
        member=first, application=application, has_conflict=True, interest="Trustee.", actor=None
    )
    sign_in(client, first.user)
    url = f"{api(panel)}/applications/{application.reference}"
    assert client.get(url + "/scores").status_code == 403
    put = client.put(
        url + "/scores",
        {"scores": [{"criterion": "impact", "score": 5}]},
        content_type="application/json",
    )
    assert put.status_code == 403
    assert client.post(url + "/scores/submit").status_code == 403
    assert not ScoreSheet.objects.filter(member=first).exists()
    detail = client.get(api(panel)).json()
    entry = next(e for e in detail["entries"] if e["reference"] == application.reference)
    assert entry["your_part"] == "conflict" and entry["title"] == ""
    assert client.get(api(panel) + "/moderation").status_code == 404


def test_officers_get_moderation_results(client, office):
    panel, officer, (first, second), (application, _x) = panel_with(office)
    score(first, application, [5])
    score(second, application, [2])
    sign_in(client, officer)
    results = client.get(api(panel) + "/moderation").json()
    row = next(r for r in results if r["reference"] == application.reference)
    assert row["scores_submitted"] == 2
    assert row["mean_total"] == "70.00" and row["flagged"] is True
    assert {c["criterion"]: c["spread"] for c in row["criteria"]} == {"impact": 3, "value": 3}
    listing = client.get(f"/api/v1/offices/{office.slug}/panels").json()
    assert [p["name"] for p in listing] == [panel.name]


def test_panels_are_scoped_to_the_member_and_the_office(client, office, other_office):
    panel, _officer, (member, _other), (application, _x) = panel_with(office)
    outsider = staff_user(office, Role.PANEL_MEMBER)
    sign_in(client, outsider)
    assert client.get(f"/api/v1/offices/{office.slug}/panels").json() == []
    assert client.get(api(panel)).status_code == 404
    url = f"{api(panel)}/applications/{application.reference}/scores"
    assert client.get(url).status_code == 404
    sign_in(client, staff_user(other_office))
    assert client.get(f"/api/v1/offices/{office.slug}/panels").status_code == 404
    assert client.get(api(panel)).status_code == 404
    assert client.get(api(panel) + "/moderation").status_code == 404
    sign_in(client, member.user)
    assert client.get(api(panel)).status_code == 200


def test_the_panel_list_costs_a_constant_number_of_queries(
    client, office, django_assert_max_num_queries
):
    _panel, officer, _members, _apps = panel_with(office)
    for _n in range(3):
        panel_with(office, apps=1)
    sign_in(client, officer)
    with django_assert_max_num_queries(12):
        assert len(client.get(f"/api/v1/offices/{office.slug}/panels").json()) == 4


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "12.345", "-5"])
def test_odd_amounts_are_a_400_not_a_500(client, office, amount):
    office.policy.assessment = {
        **office.policy.assessment,
        "funds": {"CF": {"partial_funding_min_fraction": 0.5}},
    }  # noqa: E501
    office.policy.save()
    panel, _officer, (member, _other), (application, _x) = panel_with(office)
    sign_in(client, member.user)
    url = f"{api(panel)}/applications/{application.reference}"
    client.post(url + "/declaration", {"has_conflict": False}, content_type="application/json")
    response = client.put(
        url + "/scores",
        {"recommendation": "fund_in_part", "amount": amount},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert not ScoreSheet.objects.exists()


def test_a_conflicted_member_gets_nothing_of_the_application_in_the_panel(client, office):
    """Issue 7 item 7 (AS2): only the reference and that you declared a conflict."""
    from tests.assessment.test_pages import _agreed_with_a_conflict

    panel, _officer, first, application, other = _agreed_with_a_conflict(office)
    sign_in(client, first.user)
    entries = {e["reference"]: e for e in client.get(api(panel)).json()["entries"]}
    assert entries[application.reference] == {
        "reference": application.reference,
        "hidden": True,
        "title": "",
        "organisation": "",
        "amount_requested": None,
        "status": None,
        "scores_submitted": None,
        "conflicts": None,
        "agreed_outcome": None,
        "agreed_amount": None,
        "your_part": "conflict",
    }
    assert entries[other.reference]["hidden"] is False
    assert entries[other.reference]["title"] == other.title
