"""Procurement exercises name the commissioning project they buy for (CY1): the project's page
lists them and the contracts they led to, and they evidence its procurement steps. Another
office's project cannot be named."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.accounts.models import Role
from commissioning.core.errors import DomainError
from commissioning.cycle.projects.selectors import steps_done
from commissioning.cycle.projects.services import project_create
from commissioning.procurement.exercises.services import exercise_open, exercise_project_link
from tests.accounts.factories import sign_in, staff_user
from tests.procurement.conftest import start_exercise
from tests.procurement.factories import awarded_quotes

pytestmark = pytest.mark.django_db
STEPS = {"procurement_route", "award_decision", "funding_route_chosen", "vfs_standards"}


def _project(office, title="Victims of fraud"):
    return project_create(office=office, actor=None, title=title, value=Decimal("24000"))


def test_the_project_lists_its_exercise_and_contract_and_its_steps_are_evidenced(
    client, cam, officer, signatories
):
    project = _project(cam)
    assert steps_done(project, codes=STEPS) == set()
    planned = start_exercise(cam, officer, "3000", project=project)
    # Chosen its award form, but not yet asked for quotes.
    assert steps_done(project, codes=STEPS) == {"funding_route_chosen"}
    exercise_open(exercise=planned, actor=officer)
    assert "procurement_route" in steps_done(project, codes=STEPS)
    exercise = awarded_quotes(cam, officer, signatories, project=project)
    assert steps_done(project, codes=STEPS) == STEPS

    sign_in(client, officer)
    page = client.get(reverse("cycle:project_detail", args=[cam.slug, project.reference]))
    html = page.content.decode()
    assert page.status_code == 200
    for url in (
        reverse("procurement:exercise", args=[cam.slug, planned.reference]),
        reverse("procurement:exercise", args=[cam.slug, exercise.reference]),
        reverse("procurement:contract", args=[cam.slug, exercise.contract.reference]),
    ):
        assert f'href="{url}"' in html
    # The contract shows the project, read-only, through its exercise.
    contract_page = client.get(
        reverse("procurement:contract", args=[cam.slug, exercise.contract.reference])
    )
    assert project.reference in contract_page.content.decode()


def test_another_offices_project_is_refused_with_a_plain_error(client, cam, officer, other_office):
    theirs = _project(other_office, "Their project")
    with pytest.raises(DomainError, match="the office's own commissioning projects"):
        start_exercise(cam, officer, "3000", project=theirs)
    exercise = start_exercise(cam, officer, "3000")
    with pytest.raises(DomainError, match="the office's own commissioning projects"):
        exercise_project_link(exercise=exercise, actor=officer, project=theirs)

    sign_in(client, officer)
    url = reverse("procurement:exercise_project", args=[cam.slug, exercise.reference])
    response = client.post(url, {"project": theirs.pk})
    assert response.status_code == 400
    assert "own commissioning projects." in response.content.decode()
    exercise.refresh_from_db()
    assert exercise.project_id is None
    start = client.get(reverse("procurement:exercise_start", args=[cam.slug])).content.decode()
    assert theirs.reference not in start


def test_an_officer_names_the_project_on_the_exercise_page(client, cam, officer):
    project = _project(cam)
    exercise = start_exercise(cam, officer, "3000")
    sign_in(client, officer)
    url = reverse("procurement:exercise_project", args=[cam.slug, exercise.reference])
    assert client.post(url, {"project": project.pk}).status_code == 302
    exercise.refresh_from_db()
    assert exercise.project == project
    sign_in(client, staff_user(cam, Role.PANEL_MEMBER))
    assert client.post(url, {"project": ""}).status_code == 404
    exercise.refresh_from_db()
    assert exercise.project == project


def test_the_project_page_costs_the_same_queries_with_more_exercises(
    client, cam, officer, signatories
):
    project = _project(cam)
    awarded_quotes(cam, officer, signatories, project=project)
    sign_in(client, officer)
    url = reverse("cycle:project_detail", args=[cam.slug, project.reference])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    awarded_quotes(cam, officer, signatories, project=project)
    start_exercise(cam, officer, "60000", project=project)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    assert len(three.captured_queries) == len(one.captured_queries)


def test_a_signed_award_opens_one_survey_for_the_bidders(
    cam, officer, signatories, django_capture_on_commit_callbacks
):  # CY4
    from django.core import mail

    from commissioning.cycle.engagement.models import FeedbackSurvey
    from commissioning.cycle.engagement.services import surveys_open_due
    from tests.applications.factories import member_of

    project = _project(cam)
    exercise = awarded_quotes(cam, officer, signatories, project=project)
    bidder = member_of(exercise.bids.first().supplier, email="bids@bidder.example")
    with django_capture_on_commit_callbacks(execute=True):
        (survey,) = surveys_open_due()
        assert surveys_open_due() == []
    assert survey.occasion == f"procurement:{exercise.reference}"
    assert survey.project == project and exercise.reference in survey.title
    assert [i.email for i in survey.invitations.all()] == [bidder.email]
    assert [m.to for m in mail.outbox] == [[bidder.email]]
    assert reverse("cycle:survey_respond", args=[survey.token]) in mail.outbox[0].body
    assert FeedbackSurvey.objects.filter(office=cam).count() == 1
