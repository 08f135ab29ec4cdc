"""The API (/api/v1/): token authentication, read endpoints, OpenAPI, and scoping."""

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.services import api_token_create, api_token_revoke
from commissioning.core.errors import DomainError
from tests.accounts.factories import UserFactory, sign_in, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(office):
    _token, raw = api_token_create(user=staff_user(office), name="Finance export")
    return raw


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_openapi_is_published(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "pcc-commissioning API"
    assert "/api/v1/offices/{slug}/funds" in spec["paths"]


def test_anonymous_requests_are_refused(client, office):
    assert client.get("/api/v1/offices/").status_code == 401
    assert client.get(f"/api/v1/offices/{office.slug}/funds").status_code == 401


def test_a_bad_token_is_refused(client, office):
    assert client.get("/api/v1/offices/", **bearer("pcc_nonsense")).status_code == 401


def test_read_endpoints(client, office, token):
    me = client.get("/api/v1/me", **bearer(token)).json()
    assert me["memberships"][0]["office"] == office.slug
    detail = client.get(f"/api/v1/offices/{office.slug}", **bearer(token)).json()
    assert detail["code"] == "TST"
    assert detail["sign_off"]["tiers"][1]["signatories"][0] == "commissioner"
    assert "funds[0].award.min" in detail["assumptions"]
    plan = client.get(f"/api/v1/offices/{office.slug}/plans/plan-2024", **bearer(token)).json()
    assert [p["code"] for p in plan["priorities"]] == ["A1", "P1", "P1.1", "P2"]
    assert plan["priorities"][2]["parent"] == "P1"
    areas = client.get(f"/api/v1/offices/{office.slug}/areas", **bearer(token)).json()
    assert {a["ons_code"] for a in areas} == {"E07000901", "E06000901"}
    funds = client.get(f"/api/v1/offices/{office.slug}/funds", **bearer(token)).json()
    assert funds[0]["max_award"] == "2500.00"
    assert funds[0]["funding_sources"] == ["cdrg"]
    fund = client.get(f"/api/v1/offices/{office.slug}/funds/cf", **bearer(token)).json()
    assert fund["code"] == "CF"
    budgets = client.get(f"/api/v1/offices/{office.slug}/budgets?year=2025", **bearer(token)).json()
    assert budgets == [
        {
            "fund": "CF",
            "financial_year": 2025,
            "label": "2025/26",
            "allocation": "30000.00",
            "top_sliced": "10000.00",
            "available": "20000.00",
            "is_forecast": False,
        }
    ]


def test_bad_query_input_gets_a_clear_422(client, office, token):
    response = client.get(f"/api/v1/offices/{office.slug}/budgets?year=soon", **bearer(token))
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."


def test_revoked_token_stops_working(client, office):
    user = staff_user(office, Role.FINANCE_OFFICER)
    token, raw = api_token_create(user=user, name="x")
    assert client.get("/api/v1/offices/", **bearer(raw)).status_code == 200
    api_token_revoke(token=token, actor=user)
    assert client.get("/api/v1/offices/", **bearer(raw)).status_code == 401
    with pytest.raises(DomainError, match="already been revoked"):
        api_token_revoke(token=token, actor=user)


def test_only_staff_get_tokens(office):
    with pytest.raises(DomainError, match="Only office staff"):
        api_token_create(user=UserFactory(), name="mine")
    with pytest.raises(DomainError, match="Give the token a name"):
        api_token_create(user=staff_user(office), name="  ")


def test_token_page_shows_the_token_once(client, office):
    user = staff_user(office)
    sign_in(client, user)
    empty = client.post("/staff/api-tokens/", {"name": ""})
    assert b"Enter a name for the token" in empty.content
    page = client.post("/staff/api-tokens/", {"name": "Finance"})
    assert b"Token created" in page.content
    assert b"pcc_" in page.content
    assert b"Token created" not in client.get("/staff/api-tokens/").content


def test_another_users_token_cannot_be_revoked(client, office):
    token, _raw = api_token_create(user=staff_user(office), name="theirs")
    sign_in(client, staff_user(office))
    assert client.post(f"/staff/api-tokens/{token.prefix}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
