"""The awards API (issue 10, item 9): awards and ledger balances, scoped to the office."""

import datetime as dt

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.services import api_token_create
from tests.accounts.factories import staff_user
from tests.awards.factories import award_by_decision

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = api_token_create(user=user, name="Finance export")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def awards(office, officer, round_, signatories):
    return award_by_decision(
        office,
        officer,
        round_,
        signatories,
        amounts=("1500", "2400"),
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2027, 9, 30),
    )


def test_awards_are_listed_and_read_in_full(client, office, officer, awards):
    auth = bearer(officer)
    listed = client.get(f"/api/v1/offices/{office.slug}/awards", **auth)
    assert listed.status_code == 200
    assert {a["reference"] for a in listed.json()} == {a.reference for a in awards}
    assert listed.json()[0]["financial_years"] == ["2026/27", "2027/28"]
    award = awards[1]
    detail = client.get(f"/api/v1/offices/{office.slug}/awards/{award.reference}", **auth).json()
    assert detail["amount"] == "2400.00"
    assert detail["decision"] == award.decision.number
    assert [(c["label"], c["committed"]) for c in detail["commitments"]] == [
        ("2026/27", "1196.71"),
        ("2027/28", "1203.29"),
    ]
    assert [e["kind"] for e in detail["ledger"]] == ["commitment", "commitment"]


def test_award_filters_are_checked(client, office, officer, awards):
    auth = bearer(officer)
    base = f"/api/v1/offices/{office.slug}/awards"
    assert len(client.get(base, {"year": 2027}, **auth).json()) == 2
    assert client.get(base, {"year": 2025}, **auth).json() == []
    assert client.get(base, {"status": "nonsense"}, **auth).status_code == 422
    assert client.get(base, {"fund": "NOPE"}, **auth).status_code == 400
    assert client.get(base, {"page": 0}, **auth).status_code == 422
    assert client.get(base, {"fund": "CF\x00"}, **auth).status_code == 422
    assert client.get(base, {"page": 9}, **auth).json() == []
    assert client.get(base, {"year": "soon"}, **auth).status_code == 422
    assert client.get(base, {"year": 10**20}, **auth).status_code == 422
    assert client.get(base, {"page": 10**20}, **auth).status_code == 422


def test_ledger_balances_are_summed_from_entries(client, office, officer, awards):
    rows = client.get(f"/api/v1/offices/{office.slug}/ledger/balances", **bearer(officer)).json()
    by_year = {row["label"]: row for row in rows}
    assert set(by_year) == {"2025/26", "2026/27", "2027/28"}
    assert by_year["2026/27"]["committed"] == "1944.66"
    assert by_year["2026/27"]["remaining"] == "48055.34"
    assert by_year["2027/28"]["forecast"] is True
    assert by_year["2025/26"]["top_sliced"] == "10000.00"
    one = client.get(
        f"/api/v1/offices/{office.slug}/ledger/balances",
        {"fund": "CF", "year": 2027},
        **bearer(officer),
    ).json()
    assert [row["label"] for row in one] == ["2027/28"]


@pytest.mark.parametrize("path", ["awards", "awards/{ref}", "ledger/balances"])
def test_the_api_is_scoped_to_the_office(client, office, other_office, awards, path):
    path = f"/api/v1/offices/{office.slug}/" + path.format(ref=awards[0].reference)
    assert client.get(path).status_code == 401
    outsider = staff_user(other_office, Role.CHIEF_FINANCE_OFFICER)
    assert client.get(path, **bearer(outsider)).status_code == 404
    panel = staff_user(office, Role.PANEL_MEMBER)
    assert client.get(path, **bearer(panel)).status_code == 403


def test_a_missing_award_is_not_found(client, office, officer, awards):
    response = client.get(
        f"/api/v1/offices/{office.slug}/awards/TST-CF-1999-0001", **bearer(officer)
    )
    assert response.status_code == 404


def test_the_openapi_documents_the_responses(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/offices/{slug}/awards",
        "/api/v1/offices/{slug}/awards/{reference}",
        "/api/v1/offices/{slug}/ledger/balances",
    ):
        assert {"200", "401", "403", "404"} <= set(spec["paths"][path]["get"]["responses"])
