"""Issue 9, item 15: an accessible API reference, rendered on the server from the OpenAPI
document, is what the footer links to; the interactive explorer is for office staff only."""

import pytest

from commissioning.api.api import api
from commissioning.api.reference import TypeText, operations, schemas, type_text
from tests.accounts.factories import UserFactory, sign_in, staff_user

pytestmark = pytest.mark.django_db


def test_the_reference_lists_every_operation_of_the_openapi_document(client):
    document = api.get_openapi_schema()
    page = client.get("/api/")
    assert page.status_code == 200
    html = page.content.decode()
    count = 0
    for path, item in document["paths"].items():
        for _method, op in item.items():
            count += 1
            assert f"<code>{path}</code>" in html
            assert op["summary"] in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert count == sum(len(section.operations) for section in operations(document))
    assert 'id="schema-OfficeOut"' in html and 'href="#schema-OfficeOut"' in html
    assert "/api/v1/openapi.json" in html


def test_an_operation_has_its_parameters_body_and_responses():
    document = {
        "paths": {
            "/api/v1/things/{ref}": {
                "post": {
                    "summary": "Change a thing",
                    "tags": ["things"],
                    "parameters": [
                        {
                            "in": "path",
                            "name": "ref",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/ThingIn"}}
                        },
                        "required": True,
                    },
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/ThingOut"},
                                    }
                                }
                            },
                        },
                        "404": {"description": "Not Found"},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "ThingIn": {
                    "properties": {
                        "when": {"type": "string", "format": "date"},
                        "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    },
                    "required": ["when"],
                }
            }
        },
    }
    [section] = operations(document)
    [op] = section.operations
    assert (section.tag, op.method, op.path, op.summary) == (
        "things",
        "POST",
        "/api/v1/things/{ref}",
        "Change a thing",
    )
    assert [(p.name, p.location, p.type.text, p.required) for p in op.parameters] == [
        ("ref", "path", "string", True)
    ]
    assert op.body == TypeText("ThingIn", "ThingIn") and op.body_required
    assert [(r.status, r.type) for r in op.responses] == [
        ("200", TypeText("list of ThingOut", "ThingOut")),
        ("404", None),
    ]
    [thing] = schemas(document)
    assert [(p.name, p.type.text, p.required) for p in thing.properties] == [
        ("when", "string (date)", True),
        ("note", "string, or null", False),
    ]
    assert type_text({"enum": ["a", "b"]}).text == "one of: a, b"


def test_every_footer_links_to_the_reference_not_the_explorer(client):
    html = client.get("/").content.decode()
    assert 'href="/api/"' in html
    assert "/api/v1/docs" not in html


def test_the_interactive_explorer_is_for_office_staff_only(client, office):
    assert client.get("/api/v1/docs").status_code == 404
    sign_in(client, UserFactory())
    assert client.get("/api/v1/docs").status_code == 404
    assert "interactive explorer" not in client.get("/api/").content.decode()
    sign_in(client, staff_user(office))
    assert client.get("/api/v1/docs").status_code == 200
    assert "interactive explorer" in client.get("/api/").content.decode()
