"""The commissioning API: office-scoped reads, the stage gate by POST, 404 for another
office's staff and 403 for a panel member."""

from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.accounts.models import Role
from commissioning.accounts.services import api_token_create
from commissioning.cycle.engagement.services import survey_open, survey_respond
from commissioning.cycle.needs.services import needs_assessment_save
from commissioning.cycle.projects.services import project_create
from tests.accounts.factories import staff_user

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = api_token_create(user=user, name="Cycle")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


BASE = "/api/v1/offices/{}/commissioning"


def test_projects_stages_and_the_gate(client, cleveland, officer):
    project = project_create(office=cleveland, actor=None, title="Victim care", value=Decimal(1))
    headers = bearer(officer)
    listed = client.get(BASE.format("cleveland") + "/projects", **headers).json()
    assert [p["reference"] for p in listed] == [project.reference]
    url = BASE.format("cleveland") + f"/projects/{project.reference}"
    detail = client.get(url, **headers).json()
    assert detail["stage"] == "ASSESS"
    assert detail["stages"][0]["missing"] == ["needs_assessment"]
    refused = client.post(url + "/advance", {}, content_type="application/json", **headers)
    assert refused.status_code == 400
    assert "Link a needs assessment" in refused.json()["detail"]
    needs_assessment_save(
        office=cleveland,
        actor=None,
        values={
            "title": "n",
            "evidence": "e",
            "source": "s",
            "assessed_on": timezone.localdate(),
            "level": "high",
            "project": project,
        },
    )
    moved = client.post(
        url + "/advance", {"note": "ok"}, content_type="application/json", **headers
    )
    assert moved.status_code == 200
    assert moved.json()["stage"] == "ANALYSE"
    assert client.get(BASE.format("cleveland") + "/needs", **headers).json()[0]["project"] == (
        project.reference
    )
    for path in ("/service-map", "/gaps", "/engagement", "/projects?status=all&page=9"):
        assert client.get(BASE.format("cleveland") + path, **headers).status_code == 200


def test_scoping_and_roles(client, cleveland, other_office):
    project = project_create(office=cleveland, actor=None, title="x", value=Decimal(1))
    url = BASE.format("cleveland") + f"/projects/{project.reference}"
    assert client.get(url, **bearer(staff_user(other_office))).status_code == 404
    assert client.get(url, **bearer(staff_user(cleveland, Role.PANEL_MEMBER))).status_code == 403
    auditor = bearer(staff_user(cleveland, Role.AUDITOR))
    assert client.get(url, **auditor).status_code == 200
    response = client.post(url + "/advance", {}, content_type="application/json", **auditor)
    assert response.status_code == 403
    assert client.get(url).status_code == 401
    bad = client.get(BASE.format("cleveland") + "/projects?status=nope", **auditor)
    assert bad.status_code == 422
    huge = client.get(BASE.format("cleveland") + "/surveys/99999999999999999999", **auditor)
    assert huge.status_code in (404, 422)


def test_survey_summary(client, cleveland, officer):
    survey = survey_open(
        office=cleveland, actor=None, title="Round", closes_on=timezone.localdate()
    )
    survey_respond(
        survey=survey, values={"respondent": "provider", "clarity": 5, "fairness": 4, "ease": 3}
    )
    data = client.get(BASE.format("cleveland") + f"/surveys/{survey.pk}", **bearer(officer))
    assert data.json()["responses"] == 1
    assert [r["mean"] for r in data.json()["ratings"]] == ["5.0", "4.0", "3.0"]
