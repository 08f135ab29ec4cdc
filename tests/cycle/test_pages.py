"""The commissioning staff pages: office-scoped (another office's staff, panel members and
applicants get 404), plain-English form errors with nothing half-saved, no 500 on odd query
parameters, and list pages whose query count does not grow with their rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import Role
from commissioning.cycle.engagement.services import engagement_event_save, survey_open
from commissioning.cycle.models import (
    CommissioningProject,
    EngagementEvent,
    ExistingProvision,
    NeedsAssessment,
)
from commissioning.cycle.needs.services import needs_assessment_save, provision_save
from commissioning.cycle.projects.services import project_create
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

LISTS = [
    "cycle:project_list",
    "cycle:needs_list",
    "cycle:provision_list",
    "cycle:gaps",
    "cycle:event_list",
    "cycle:survey_list",
]


def _project(office, n=0, value="60000"):
    return project_create(office=office, actor=None, title=f"Project {n}", value=Decimal(value))


def _fill(office, n: int) -> CommissioningProject:
    """n of each record, linked to the office's areas and priorities."""
    areas = list(office.areas.all())
    priorities = list(office.plans.get(is_current=True).priorities.filter(selectable=True)[:2])
    today = timezone.localdate()
    project = None
    for i in range(n):
        project = _project(office, i)
        needs_assessment_save(
            office=office,
            actor=None,
            values={
                "title": f"Need {i}",
                "evidence": "e",
                "source": "s",
                "assessed_on": today,
                "level": "high",
                "project": project,
            },
            areas=areas[:1],
            priorities=priorities,
        )
        provision_save(
            office=office,
            actor=None,
            values={"name": f"Service {i}", "provider": "P", "description": "d"},
            areas=areas,
            priorities=priorities[:1],
        )
        engagement_event_save(
            office=office,
            actor=None,
            values={
                "kind": "provider_forum",
                "title": f"Forum {i}",
                "held_on": today,
                "attendees": "a",
                "learnt": "l",
            },
            projects=[project],
        )
        survey_open(
            office=office, actor=None, title=f"Survey {i}", closes_on=today, project=project
        )
    return project


@pytest.fixture
def reader(office):
    return staff_user(office, Role.AUDITOR)


@pytest.fixture
def editor(office):
    return staff_user(office, Role.COMMISSIONING_OFFICER)


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_for_staff_and_404_for_everyone_else(client, office, other_office, name):
    url = reverse(name, args=[office.slug])
    sign_in(client, staff_user(office, Role.AUDITOR))
    assert client.get(url).status_code == 200
    for outsider in (
        staff_user(other_office),
        staff_user(office, Role.PANEL_MEMBER),
        member_of(OrganisationFactory()),
    ):
        client.logout()
        sign_in(client, outsider)
        assert client.get(url).status_code == 404, outsider
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


@pytest.mark.parametrize("name", LISTS)
def test_list_query_counts_do_not_grow_with_rows(
    client, office, editor, name, django_assert_max_num_queries
):
    sign_in(client, editor)
    url = reverse(name, args=[office.slug])
    _fill(office, 1)
    client.get(url)  # warm caches (sessions, site)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _fill(office, 4)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_project_list_query_count(client, office, editor, django_assert_num_queries):
    sign_in(client, editor)
    url = reverse("cycle:project_list", args=[office.slug])
    _fill(office, 3)
    client.get(url)
    # session, user, memberships, office, page rows, count
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?page=-4",
        "?page=99999",
        "?status=zzz",
        "?stage=<b>",
        "?q=" + "x" * 500,
        "?view=nonsense",
    ],
)
@pytest.mark.parametrize("name", ["cycle:project_list", "cycle:provision_list"])
def test_odd_query_parameters_are_not_an_error(client, office, reader, name, query):
    sign_in(client, reader)
    assert client.get(reverse(name, args=[office.slug]) + query).status_code == 200


def test_readers_cannot_change(client, office, reader):
    project = _project(office)
    sign_in(client, reader)
    assert client.get(reverse("cycle:project_new", args=[office.slug])).status_code == 404
    detail = reverse("cycle:project_detail", args=[office.slug, project.reference])
    page = client.get(detail)
    assert page.status_code == 200
    assert "Move to the next stage" not in page.content.decode()
    assert client.post(detail, {"action": "advance"}).status_code == 404
    project.refresh_from_db()
    assert project.stage == "UNDERSTAND"


def test_another_offices_project_is_404(client, office, other_office):
    project = _project(office)
    sign_in(client, staff_user(other_office))
    for url in (
        reverse("cycle:project_detail", args=[office.slug, project.reference]),
        reverse("cycle:project_detail", args=[other_office.slug, project.reference]),
        reverse("cycle:project_edit", args=[other_office.slug, project.reference]),
    ):
        assert client.get(url).status_code == 404


def test_new_project_with_bad_input_shows_errors_and_saves_nothing(client, office, editor):
    sign_in(client, editor)
    url = reverse("cycle:project_new", args=[office.slug])
    response = client.post(url, {"title": "", "value": "lots", "areas": ["999999"]})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a title for the project" in text
    assert "Enter an amount in pounds and pence" in text
    assert "Choose areas from the list" in text
    assert not CommissioningProject.objects.filter(office=office).exists()
    response = client.post(url, {"title": "Victim care", "value": "£60,000"})
    assert response.status_code == 302
    project = CommissioningProject.objects.get(office=office)
    assert project.value == Decimal("60000.00")


def test_the_project_page_refuses_to_leave_a_stage_naming_the_missing_steps(client, office, editor):
    from commissioning.offices.models import OfficePolicy

    OfficePolicy.objects.filter(office=office).update(
        stage_model=[
            {
                "code": "UNDERSTAND",
                "title": "Understand",
                "steps": [
                    {
                        "code": "needs_assessment",
                        "title": "Link a needs assessment",
                        "required_from": 0,
                    },
                    {"code": "outcomes_set", "title": "Set the outcomes", "required_from": 50000},
                ],
            },
            {"code": "PLAN", "title": "Plan"},
        ]
    )
    office.refresh_from_db()
    project = _project(office, value="50000")
    sign_in(client, editor)
    url = reverse("cycle:project_detail", args=[office.slug, project.reference])
    page = client.get(url).content.decode()
    assert "The project cannot leave Understand until these steps are done" in page
    response = client.post(url, {"action": "advance", "note": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Link a needs assessment and Set the outcomes" in text
    response = client.post(url, {"action": "step", "code": "outcomes_set", "note": ""})
    assert response.status_code == 400
    assert "Say what was done and where the evidence is" in response.content.decode()
    client.post(url, {"action": "step", "code": "outcomes_set", "note": "Agreed at board."})
    client.post(url, {"action": "step", "code": "needs_assessment", "note": "On file."})
    assert client.post(url, {"action": "advance", "note": ""}).status_code == 302
    project.refresh_from_db()
    assert project.stage == "PLAN"
    assert client.post(url, {"action": "nonsense"}).status_code == 404


def test_needs_and_service_map_forms(client, office, editor):
    sign_in(client, editor)
    url = reverse("cycle:need_new", args=[office.slug])
    response = client.post(url, {"title": "", "level": "extreme"})
    assert response.status_code == 400
    text = response.content.decode()
    for message in (
        "Enter the need",
        "Enter the evidence of the need",
        "Enter where the evidence comes from",
        "Enter the date of the evidence",
        "Choose at least one plan priority",
    ):
        assert message in text
    assert not NeedsAssessment.objects.exists()
    priority = office.plans.get(is_current=True).priorities.filter(selectable=True).first()
    area = office.areas.first()
    response = client.post(
        url,
        {
            "title": "Young victims",
            "evidence": "Rising reports.",
            "source": "Force data",
            "assessed_on_0": "1",
            "assessed_on_1": "3",
            "assessed_on_2": "2026",
            "level": "high",
            "priorities": [str(priority.pk)],
            "areas": [str(area.pk)],
        },
    )
    assert response.status_code == 302
    need = NeedsAssessment.objects.get()
    assert (need.assessed_on, list(need.areas.all())) == (dt.date(2026, 3, 1), [area])

    url = reverse("cycle:provision_new", args=[office.slug])
    response = client.post(
        url,
        {
            "name": "Helpline",
            "provider": "Charity",
            "description": "A helpline",
            "annual_funding": "-5",
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2026",
            "ends_on_0": "1",
            "ends_on_1": "4",
            "ends_on_2": "2025",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The funding cannot be less than £0" in text
    assert "The funding must end after it starts" in text
    assert not ExistingProvision.objects.filter(name="Helpline").exists()


def test_another_offices_need_and_service_are_404(client, office, other_office, editor):
    need = needs_assessment_save(
        office=other_office,
        actor=None,
        values={
            "title": "n",
            "evidence": "e",
            "source": "s",
            "assessed_on": timezone.localdate(),
            "level": "low",
        },
    )
    service = provision_save(
        office=other_office, actor=None, values={"name": "n", "provider": "p", "description": "d"}
    )
    sign_in(client, editor)
    assert client.get(reverse("cycle:need_edit", args=[office.slug, need.pk])).status_code == 404
    url = reverse("cycle:provision_edit", args=[office.slug, service.pk])
    assert client.get(url).status_code == 404


def test_event_form_errors_and_future_date(client, office, editor):
    sign_in(client, editor)
    url = reverse("cycle:event_new", args=[office.slug])
    future = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        url,
        {
            "kind": "provider_forum",
            "title": "Forum",
            "held_on_0": str(future.day),
            "held_on_1": str(future.month),
            "held_on_2": str(future.year),
            "attendees": "Providers",
            "attendee_count": "many",
            "learnt": "Things",
        },
    )
    assert response.status_code == 400
    assert "Enter the number attending as a whole number" in response.content.decode()
    data = {
        "kind": "provider_forum",
        "title": "Forum",
        "held_on_0": str(future.day),
        "held_on_1": str(future.month),
        "held_on_2": str(future.year),
        "attendees": "Providers",
        "learnt": "Things",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Record an event once it has happened" in response.content.decode()
    assert not EngagementEvent.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "needs/99999999999999999999/",
        "service-map/9223372036854775808/",
        "engagement/9223372036854775808/",
        "feedback/9223372036854775808/",
        "projects/%00%27/",
    ],
)
def test_huge_or_odd_ids_are_404_not_500(client, office, editor, path):
    sign_in(client, editor)
    assert client.get(f"/staff/{office.slug}/commissioning/{path}").status_code == 404
