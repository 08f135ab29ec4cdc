"""Issue 13 in Chromium: a Cleveland officer tries to move a commissioning project out of
Assess, is told which required steps are missing, records them and moves it to Analyse; the
list, the project page (with its errors), the gaps chart and the survey page pass axe. The
data is made with the services, for Cleveland alone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from commissioning.accounts.demo import DEMO_PASSWORD
from commissioning.accounts.models import Role
from commissioning.cycle.engagement.services import survey_open
from commissioning.cycle.models import CommissioningProject
from commissioning.cycle.needs.models import NeedLevel
from commissioning.cycle.needs.services import needs_assessment_save, provision_save
from commissioning.cycle.projects.services import project_create
from commissioning.offices.models import Office
from commissioning.offices.selectors import current_plan_priorities
from tests.accounts.factories import staff_user
from tests.browser.axe import check_page
from tests.browser.test_decision_flow import staff_sign_in

pytestmark = pytest.mark.django_db(transaction=True)
EMAIL = "officer@cleveland.example"


@pytest.fixture
def cleveland():
    call_command("load_pack", "packs/cleveland.yaml", verbosity=0)
    office = Office.objects.get(slug="cleveland")
    officer = staff_user(office, Role.COMMISSIONING_OFFICER, email=EMAIL, password=DEMO_PASSWORD)
    priority = next(p for p in current_plan_priorities(office) if p.selectable)
    area = office.areas.order_by("name").first()
    today = timezone.localdate()
    project = project_create(
        office=office,
        actor=officer,
        title="Victim Care and Advice Service",
        value=Decimal("60000"),
        priorities=[priority],
    )
    provision_save(
        office=office,
        actor=officer,
        values={
            "name": "Helpline",
            "provider": "Victim charity",
            "description": "Support.",
            "annual_funding": Decimal("20000"),
        },
        areas=[area],
        priorities=[priority],
    )
    needs_assessment_save(
        office=office,
        actor=officer,
        values={
            "title": "Young victims",
            "evidence": "Rising reports.",
            "source": "Force data",
            "assessed_on": today - dt.timedelta(days=10),
            "level": NeedLevel.HIGH,
        },
        priorities=[priority],
    )
    survey = survey_open(office=office, actor=officer, title="Victim care tender", closes_on=today)
    return office, officer, project, survey


def test_a_project_is_held_at_a_stage_gate_then_moves_on(live_server, page, artifacts, cleveland):
    office, officer, project, survey = cleveland
    base = live_server.url
    staff_sign_in(page, base, EMAIL)
    page.goto(f"{base}/staff/cleveland/commissioning/")
    check_page(page, artifacts, "cycle-projects")
    page.get_by_role("link", name="Victim Care and Advice Service").click()
    check_page(page, artifacts, "cycle-project")
    page.get_by_role("button", name="Move to the next stage").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "cannot leave Assess" in summary
    assert "Link a needs assessment with its evidence" in summary
    assert "Check the map of existing provision" in summary
    check_page(page, artifacts, "cycle-project-gate-refused")

    needs_assessment_save(
        office=office,
        actor=officer,
        values={
            "title": "Need for victim care",
            "evidence": "Demand rose.",
            "source": "Force data",
            "assessed_on": timezone.localdate(),
            "level": NeedLevel.HIGH,
            "project": project,
        },
    )
    page.reload()
    page.get_by_text("Record as done").click()
    page.fill("#note-provision_mapped", "Checked the service map on 1 December.")
    page.get_by_role("button", name="Record the step").click()
    page.get_by_role("button", name="Move to the next stage").click()
    page.wait_for_selector("text=The project has moved to the next stage.")
    project.refresh_from_db()
    assert project.stage == "ANALYSE"
    assert "Analyse (stage 2 of 5)" in page.content()
    check_page(page, artifacts, "cycle-project-moved")

    page.goto(f"{base}/staff/cleveland/commissioning/gaps/")
    assert page.locator("svg[role=img] title").text_content() == "Gaps in provision by area"
    check_page(page, artifacts, "cycle-gaps")
    page.goto(f"{base}/feedback/{survey.token}/")
    check_page(page, artifacts, "cycle-survey")
    assert CommissioningProject.objects.filter(office=office).count() == 1
