"""Awards made to applications in a project's rounds are linked on the project and evidence
its award decision step (the awards app registers with the cycle's hooks)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.accounts.models import Role
from commissioning.applications.rounds.services import round_project_link
from commissioning.cycle.hooks import project_links
from commissioning.cycle.projects.selectors import steps_done
from commissioning.cycle.projects.services import project_create
from tests.accounts.factories import staff_user
from tests.applications.factories import RoundFactory
from tests.awards.factories import award_by_decision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _letters_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


def test_awards_from_the_projects_rounds_are_linked_and_evidence_the_decision(office):
    officer = staff_user(office)
    signatories = {
        role: staff_user(office, role)
        for role in (Role.COMMISSIONER, Role.MONITORING_OFFICER, Role.CHIEF_FINANCE_OFFICER)
    }
    grant_round = RoundFactory(fund=office.funds.get(code="CF"), slug="spring")
    project = project_create(office=office, actor=None, title="Small grants", value=Decimal(900))
    codes = {"award_decision"}
    round_project_link(round=grant_round, actor=None, project=project)
    assert "award_decision" not in steps_done(project, codes=codes)
    (award,) = award_by_decision(office, officer, grant_round, signatories)
    links = [link for link in project_links(project) if link.kind == "award"]
    assert [link.url for link in links] == [
        reverse("awards:staff_detail", args=[office.slug, award.reference])
    ]
    assert award.reference in links[0].label
    assert "award_decision" in steps_done(project, codes=codes)
