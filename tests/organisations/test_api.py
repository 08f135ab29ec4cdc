"""GET /api/v1/organisations/ and /api/v1/organisations/{ref}."""

import pytest

from commissioning.organisations.models import PolicyDocument
from tests.accounts.factories import sign_in
from tests.organisations.factories import (
    AccountsFactory,
    AdminMemberFactory,
    CharityFactory,
    MemberFactory,
    PolicyDocumentFactory,
    PolicyOverdueFactory,
)

pytestmark = pytest.mark.django_db


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/v1/organisations/").status_code == 401


def test_lists_your_organisations_with_your_role(client):
    admin = AdminMemberFactory(organisation=CharityFactory(name="B Trust"))
    MemberFactory(user=admin.user, organisation=CharityFactory(name="A Group"))
    sign_in(client, admin.user)
    body = client.get("/api/v1/organisations/").json()
    assert [(o["name"], o["your_role"]) for o in body] == [
        ("A Group", "member"),
        ("B Trust", "admin"),
    ]
    assert body[1]["org_id"] == f"GB-CHC-{admin.organisation.charity_number}"
    assert set(body[1]) >= {"ref", "legal_form", "applicant_type", "postcode"}


def test_detail_shows_policies_and_documents(client):
    member = MemberFactory()
    organisation = member.organisation
    PolicyDocumentFactory(organisation=organisation)
    PolicyOverdueFactory(organisation=organisation, kind=PolicyDocument.Kind.EQUALITY)
    AccountsFactory(organisation=organisation)
    sign_in(client, member.user)
    body = client.get(f"/api/v1/organisations/{organisation.ref}").json()
    assert body["ref"] == organisation.ref and body["your_role"] == "member"
    assert {p["kind"]: p["status"] for p in body["policies"]} == {
        "safeguarding": "current",
        "data_protection": "missing",
        "equality": "overdue",
    }
    assert body["documents"][0]["kind"] == "annual_accounts"
    assert body["documents"][0]["period_end"] == "2025-03-31"
    assert "file_path" not in str(body)


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/organisations/" in paths
    assert "/api/v1/organisations/{ref}" in paths
