"""Issue 7 item 4: no input gives a server error. Filters, text and money are checked at the
edge (the form or the API schema), so bad input gets a 400, 404 or 422 with a plain message, or
is shown on the page, and nothing half-saved."""

from decimal import Decimal

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.services import api_token_create
from commissioning.applications.models import Clarification
from commissioning.applications.services import application_submit
from commissioning.assessment.models import ConflictDeclaration, ScoreSheet
from commissioning.assessment.panels.services import conflict_declare
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import CompleteDraftFactory, RoundFactory
from tests.assessment.factories import panel_with

pytestmark = pytest.mark.django_db

BAD_FILTERS = [
    {"area": "abc"},
    {"priority": "abc"},
    {"area": "-1"},
    {"area": "99999999999999999999"},  # more than any id; SQLite cannot compare it
    {"priority": "99999999999999999999"},
    {"status": "\x00"},
    {"fund": "\x00"},
    {"round": "\x00"},
    {"screening": "\x00"},
    {"status": "nonsense"},
    {"round": "x" * 500},
]


@pytest.fixture
def officer(office):
    return staff_user(office)


@pytest.fixture
def submitted(office, officer):
    round_ = RoundFactory(fund=office.funds.get(code="CF"))
    return application_submit(application=CompleteDraftFactory(round=round_), actor=officer)


def bearer(user):
    _token, raw = api_token_create(user=user, name="Test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_the_staff_list_shows_a_bad_filter_on_the_page_and_ignores_it(
    client, office, officer, submitted, query
):
    sign_in(client, officer)
    response = client.get(f"/staff/{office.slug}/applications/", query)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b'href="#filter-' + next(iter(query)).encode() + b'"' in response.content
    assert submitted.reference.encode() in response.content  # the bad filter is left out


def test_the_staff_list_keeps_the_valid_filters_beside_a_bad_one(
    client, office, officer, submitted
):
    sign_in(client, officer)
    response = client.get(
        f"/staff/{office.slug}/applications/", {"area": "abc", "status": "approved"}
    )
    assert b"Choose an area from the list" in response.content
    assert b"No applications match." in response.content


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_the_api_application_list_answers_a_bad_filter_with_422(
    client, office, officer, submitted, query
):
    response = client.get(f"/api/v1/offices/{office.slug}/applications", query, **bearer(officer))
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."


def test_the_api_application_list_filters_by_area_and_priority(client, office, officer, submitted):
    area = submitted.areas.first()
    url = f"/api/v1/offices/{office.slug}/applications"
    found = client.get(url, {"area": area.pk, "status": "", "page": 1}, **bearer(officer)).json()
    assert [a["reference"] for a in found["results"]] == [submitted.reference]
    none = client.get(url, {"area": area.pk + 1000}, **bearer(officer)).json()
    assert none["count"] == 0


def test_the_api_decision_list_refuses_an_unknown_status(client, office, officer):
    url = f"/api/v1/offices/{office.slug}/decisions"
    assert client.get(url, {"status": "\x00"}, **bearer(officer)).status_code == 422
    assert client.get(url, {"status": "signed"}, **bearer(officer)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/offices/a%00b",
        "/api/v1/offices/{office}/applications/x%00y",
        "/api/v1/applications/a%00b",
        "/api/v1/public/offices/{office}/decisions/%00",
    ],
)
def test_a_nul_in_an_api_address_is_a_404(client, office, officer, path):
    response = client.get(path.format(office=office.slug), **bearer(officer))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_nul_in_a_page_address_is_a_404(client, office, officer):
    sign_in(client, officer)
    response = client.get(f"/staff/{office.slug}/applications/ab%00c/")
    assert response.status_code == 404


def test_a_nul_in_a_clarification_question_is_refused(client, office, officer, submitted):
    url = f"/api/v1/offices/{office.slug}/applications/{submitted.reference}/clarifications"
    response = client.post(
        url, {"question": "Why\x00?"}, content_type="application/json", **bearer(officer)
    )
    assert response.status_code == 422
    assert "null character" in str(response.json()["errors"])
    assert not Clarification.objects.exists()


def test_text_that_is_not_valid_unicode_is_refused(client, office, officer, submitted):
    url = f"/api/v1/offices/{office.slug}/applications/{submitted.reference}/clarifications"
    body = b'{"question": "Why \\ud800?"}'
    response = client.post(url, body, content_type="application/json", **bearer(officer))
    assert response.status_code == 422
    assert not Clarification.objects.exists()


def test_a_body_that_is_not_json_is_a_400(client, office, officer, submitted):
    url = f"/api/v1/offices/{office.slug}/applications/{submitted.reference}/clarifications"
    response = client.post(url, b"{nonsense", content_type="application/json", **bearer(officer))
    assert response.status_code == 400


@pytest.fixture
def scoring(office):
    panel, _officer, (member, _other), (application, _x) = panel_with(office)
    base = f"/api/v1/offices/{office.slug}/panels/{panel.pk}/applications/{application.reference}"
    return member, application, base


def test_a_nul_in_an_interest_declaration_is_refused(client, scoring):
    member, _application, base = scoring
    response = client.post(
        base + "/declaration",
        {"has_conflict": True, "interest": "Trustee\x00"},
        content_type="application/json",
        **bearer(member.user),
    )
    assert response.status_code == 422
    assert not ConflictDeclaration.objects.filter(member=member).exists()


def _declared(member, application):
    conflict_declare(
        member=member, application=application, has_conflict=False, interest="", actor=None
    )


@pytest.mark.parametrize(
    "sheet",
    [
        {"scores": [{"criterion": "impact", "score": 3, "comment": "Good\x00"}]},
        {"scores": [], "comment": "\x00"},
        {"scores": [{"criterion": "x" * 300, "score": 3}]},
        {"scores": [], "recommendation": "fund_in_part", "amount": 1e30},
        {"scores": [], "recommendation": "fund_in_part", "amount": "1e30"},
        {"scores": [], "recommendation": "fund_in_part", "amount": "1e3"},
        {"scores": [], "recommendation": "fund_in_part", "amount": "10000000000"},
        {"scores": [], "recommendation": "fund_in_part", "amount": "NaN"},
        {"scores": [], "recommendation": "fund_in_part", "amount": "1.001"},
        {"scores": [], "recommendation": "fund_in_part", "amount": True},
    ],
)
def test_bad_scores_are_refused_with_422_and_nothing_saved(client, scoring, sheet):
    member, application, base = scoring
    _declared(member, application)
    response = client.put(
        base + "/scores", sheet, content_type="application/json", **bearer(member.user)
    )
    assert response.status_code == 422, response.content
    assert not ScoreSheet.objects.filter(member=member).exists()


def test_an_amount_with_an_exponent_as_a_json_number_is_refused(client, scoring):
    """1e3 is a JSON number with an exponent; it is not saved as £1,000."""
    member, application, base = scoring
    _declared(member, application)
    body = b'{"scores": [], "recommendation": "fund_in_part", "amount": 1e3}'
    response = client.put(
        base + "/scores", body, content_type="application/json", **bearer(member.user)
    )
    assert response.status_code == 422
    assert "pounds and pence" in str(response.json()["errors"])


def test_an_amount_with_pence_as_a_json_number_is_read_exactly(rf):
    from commissioning.api.api import DecimalParser
    from commissioning.assessment.scoring.api import SheetIn

    request = rf.put("/", b'{"amount": 2500.10}', content_type="application/json")
    data = DecimalParser().parse_body(request)
    assert SheetIn.model_validate(data).amount == Decimal("2500.10")
    assert SheetIn.model_validate({"amount": "2,500.10"}).amount == Decimal("2500.10")
    assert SheetIn.model_validate({"amount": 9999999999}).amount == Decimal("9999999999.00")


def test_every_operation_documents_its_error_answers(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if operation.get("security"):
                assert "401" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in codes, (method, path)
    assert "Error" in spec["components"]["schemas"]


def test_office_staff_reach_the_list_with_their_token(client, office):
    user = staff_user(office, Role.FINANCE_OFFICER)
    response = client.get(f"/api/v1/offices/{office.slug}/applications", **bearer(user))
    assert response.status_code in (200, 404)
