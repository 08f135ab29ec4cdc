"""A project links the records that hang off it: rounds register through the cycle's hooks
(a round names its project), and the duplication check still reads the provision register."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.applications.rounds.services import round_create, round_project_link
from commissioning.applications.screening.duplication import duplication_candidates
from commissioning.core.errors import DomainError
from commissioning.cycle.hooks import project_links
from commissioning.cycle.needs.services import provision_save
from commissioning.cycle.projects.selectors import steps_done
from commissioning.cycle.projects.services import project_create
from commissioning.offices.models import Fund
from tests.accounts.factories import sign_in, staff_user

pytestmark = pytest.mark.django_db

# The test office's stage model names no steps: ask about these codes.
CODES = {"market_engagement", "provider_forum", "procurement_route"}


def test_a_round_naming_the_project_is_linked_and_evidences_the_route(office, other_office):
    project = project_create(office=office, actor=None, title="Small grants", value=Decimal(900))
    assert project_links(project) == []
    assert "procurement_route" not in steps_done(project, codes=CODES)
    fund = Fund.objects.filter(office=office).first()
    round_ = round_create(fund=fund, actor=None, title="Small grants 2027")
    round_project_link(round=round_, actor=None, project=project)
    links = project_links(project)
    assert [(link.label, link.kind, link.done) for link in links] == [
        ("Round: Small grants 2027", "round", False)
    ]
    assert links[0].url == reverse("rounds:detail", args=[office.slug, round_.slug])
    assert "procurement_route" in steps_done(project, codes=CODES)
    other = project_create(office=other_office, actor=None, title="x", value=Decimal(1))
    with pytest.raises(DomainError, match="office's own projects"):
        round_project_link(round=round_, actor=None, project=other)


def test_the_round_form_offers_the_offices_projects(client, office):
    project = project_create(office=office, actor=None, title="Small grants", value=Decimal(900))
    fund = Fund.objects.filter(office=office).first()
    round_ = round_create(fund=fund, actor=None, title="Small grants 2027")
    sign_in(client, staff_user(office))
    url = reverse("rounds:edit", args=[office.slug, round_.slug])
    page = client.get(url)
    assert project.reference in page.content.decode()
    form = {
        "title": round_.title,
        "summary": "",
        "criteria": "",
        "guidance": "",
        "project": project.reference,
        "has_deadline": "False",
    }
    assert client.post(url, form).status_code == 302
    round_.refresh_from_db()
    assert round_.project == project
    detail = client.get(reverse("rounds:detail", args=[office.slug, round_.slug]))
    assert reverse("cycle:project_detail", args=[office.slug, project.reference]) in (
        detail.content.decode()
    )
    form["project"] = "NOT-A-PROJECT"
    response = client.post(url, form)
    assert response.status_code == 200  # the form shows its error
    assert "Choose a project from the list" in response.content.decode()


def test_the_duplication_check_reads_the_service_map(office):
    today = timezone.localdate()
    provision_save(
        office=office,
        actor=None,
        values={
            "name": "Night-time welfare patrols",
            "provider": "Street Angels",
            "description": "Volunteers help vulnerable people at night.",
            "ends_on": today,
        },
    )
    provision_save(
        office=office,
        actor=None,
        values={
            "name": "Ended scheme",
            "provider": "Old charity",
            "description": "No longer funded.",
            "starts_on": today.replace(year=today.year - 2),
            "ends_on": today.replace(year=today.year - 1),
        },
    )
    application = SimpleNamespace(office_id=office.pk, round_id=None, organisation_id=None, pk=None)
    labels = [c.label for c in duplication_candidates(application, today=today)]
    assert "Night-time welfare patrols (Street Angels)" in labels
    assert "Ended scheme (Old charity)" not in labels
