"""Commissioning projects move through the office's stage model from its pack, and cannot
leave a stage while a step required at their value is missing; the refusal names the steps
(CY1)."""

from decimal import Decimal

import pytest

from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.cycle import hooks
from commissioning.cycle.models import ProjectStageChange, ProjectStatus
from commissioning.cycle.needs.models import NeedLevel
from commissioning.cycle.needs.services import needs_assessment_save
from commissioning.cycle.projects.rules import stage_model
from commissioning.cycle.projects.selectors import project_stages, steps_done
from commissioning.cycle.projects.services import (
    project_close,
    project_create,
    project_stage_advance,
    project_step_record,
)
from commissioning.offices.models import OfficePolicy
from commissioning.offices.packs import read_pack
from tests.conftest import PACKS

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")


def _project(office, officer, value):
    return project_create(office=office, actor=officer, title="Victim care", value=Decimal(value))


def _need(office, officer, project):
    return needs_assessment_save(
        office=office,
        actor=officer,
        values={
            "title": "Support for victims",
            "evidence": "Demand rose.",
            "source": "Force data",
            "assessed_on": project.created_at.date(),
            "level": NeedLevel.HIGH,
            "project": project,
        },
    )


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.stem)
def test_every_step_is_required_from_its_value_and_not_a_penny_below(pack):
    data, _digest = read_pack(pack)
    policy = OfficePolicy(stage_model=data["policy"]["stage_model"])
    stages = stage_model(policy)
    assert [s.code for s in stages] == [s["code"] for s in data["policy"]["stage_model"]]
    edges = 0
    for stage in stages:
        for step in stage.steps:
            if step.required_from is None:
                assert not step.required_at(Decimal("100000000"))
                continue
            assert step.required_at(step.required_from)
            if step.required_from > 0:
                edges += 1
                assert not step.required_at(step.required_from - CENT)
    assert edges, "each pack makes some steps proportionate to value"


def test_cleveland_stage_model_is_its_five_stages(cleveland):
    assert [s.code for s in stage_model(cleveland.policy)] == [
        "ASSESS",
        "ANALYSE",
        "ADVERTISE",
        "AWARD",
        "AUDIT",
    ]


def test_a_new_project_starts_at_the_first_stage_with_a_reference(cleveland, officer):
    project = _project(cleveland, officer, "1000")
    assert project.stage == "ASSESS"
    assert project.reference.startswith("CLE-CP-")
    assert project.status == ProjectStatus.ACTIVE


def test_leaving_a_stage_is_refused_naming_the_missing_step_then_allowed(cleveland, officer):
    project = _project(cleveland, officer, "9999.99")  # below Cleveland's 10,000 edge
    with pytest.raises(DomainError) as refused:
        project_stage_advance(project=project, actor=officer)
    assert "cannot leave Assess" in refused.value.message
    assert "Link a needs assessment with its evidence" in refused.value.message
    assert "existing provision" not in refused.value.message  # required from 10,000 only
    project.refresh_from_db()
    assert project.stage == "ASSESS"
    assert not ProjectStageChange.objects.filter(project=project).exists()

    _need(cleveland, officer, project)  # the needs assessment evidences the step
    project_stage_advance(project=project, actor=officer, note="Need is clear.")
    project.refresh_from_db()
    assert project.stage == "ANALYSE"
    change = ProjectStageChange.objects.get(project=project)
    assert (change.old, change.new, change.actor, change.note) == (
        "ASSESS",
        "ANALYSE",
        officer,
        "Need is clear.",
    )
    assert AuditEvent.objects.filter(verb="commissioning_project.stage_changed").exists()


@pytest.mark.parametrize(
    ("value", "missing"),
    [
        ("9999.99", []),
        ("10000.00", ["Check the map of existing provision"]),
    ],
)
def test_cleveland_steps_follow_the_value_at_the_edge(cleveland, officer, value, missing):
    project = _project(cleveland, officer, value)
    _need(cleveland, officer, project)
    if missing:
        with pytest.raises(DomainError) as refused:
            project_stage_advance(project=project, actor=officer)
        for title in missing:
            assert title in refused.value.message
        project_step_record(
            project=project, actor=officer, code="provision_mapped", note="Map checked."
        )
    project_stage_advance(project=project, actor=officer)
    assert project.stage == "ANALYSE"


@pytest.mark.parametrize(("value", "needs_assessment"), [("4999.99", False), ("5000.00", True)])
def test_cambridgeshire_needs_assessment_from_5000(cambridgeshire, value, needs_assessment):
    from tests.accounts.factories import staff_user

    officer = staff_user(cambridgeshire)
    project = _project(cambridgeshire, officer, value)
    understand = project_stages(project)[0]
    required = {row.step.code for row in understand.steps if row.required}
    assert ("needs_assessment" in required) is needs_assessment
    assert {"outcomes_set", "provision_mapped"} <= required
    assert "co_commissioning_considered" not in required  # from 50,000


def test_the_page_data_names_the_missing_steps(cleveland, officer):
    project = _project(cleveland, officer, "60000")
    current = project_stages(project)[0]
    assert current.current
    assert [s.code for s in current.missing] == ["needs_assessment", "provision_mapped"]


def test_a_step_can_be_recorded_only_in_a_stage_reached_with_a_note(cleveland, officer):
    project = _project(cleveland, officer, "60000")
    with pytest.raises(DomainError, match="not a step of this or an earlier stage"):
        project_step_record(project=project, actor=officer, code="award_decision", note="x")
    with pytest.raises(DomainError, match="Say what was done"):
        project_step_record(project=project, actor=officer, code="provision_mapped", note=" ")
    project_step_record(project=project, actor=officer, code="provision_mapped", note="Done.")
    with pytest.raises(DomainError, match="already recorded"):
        project_step_record(project=project, actor=officer, code="provision_mapped", note="x")
    assert "provision_mapped" in steps_done(project)


def test_evidence_registered_by_a_higher_app_completes_a_step(cleveland, officer):
    project = _project(cleveland, officer, "100")
    asked = []

    def check(p):
        asked.append(p.pk)
        return True

    hooks.step_evidence_register("needs_assessment", check)
    try:
        assert "needs_assessment" in steps_done(project)
        project_stage_advance(project=project, actor=officer)
        assert project.stage == "ANALYSE"
        assert project.pk in asked
    finally:
        hooks._step_checks["needs_assessment"].remove(check)


def _walk_to_last_stage(project, officer, office):
    _need(office, officer, project)
    for stage in stage_model(office.policy)[:-1]:
        done = steps_done(project)
        for step in stage.required_steps(project.value):
            if step.code not in done:
                project_step_record(project=project, actor=officer, code=step.code, note="Done.")
        project_stage_advance(project=project, actor=officer)


def test_the_last_stage_closes_the_project_once_its_steps_are_done(cleveland, officer):
    project = _project(cleveland, officer, "500")
    _walk_to_last_stage(project, officer, cleveland)
    assert project.stage == "AUDIT"
    with pytest.raises(DomainError, match="last stage"):
        project_stage_advance(project=project, actor=officer)
    with pytest.raises(DomainError) as refused:
        project_close(project=project, actor=officer)
    assert "Set the schedule of review and scrutiny" in refused.value.message
    assert "Record the review" in refused.value.message
    project_step_record(project=project, actor=officer, code="review_schedule", note="Set.")
    project_step_record(project=project, actor=officer, code="project_review", note="Done.")
    project_close(project=project, actor=officer)
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    with pytest.raises(DomainError, match="closed"):
        project_step_record(project=project, actor=officer, code="process_feedback", note="x")


def test_a_project_cannot_be_closed_before_its_last_stage(cleveland, officer):
    project = _project(cleveland, officer, "500")
    with pytest.raises(DomainError, match="closed from its last stage"):
        project_close(project=project, actor=officer)


def test_values_and_links_are_checked(cleveland, officer, other_office):
    with pytest.raises(DomainError, match="estimated value"):
        _project(cleveland, officer, "-1")
    with pytest.raises(DomainError, match="title"):
        project_create(office=cleveland, actor=officer, title=" ", value=Decimal(1))
    other_area = other_office.areas.first()
    with pytest.raises(DomainError, match="areas of the office"):
        project_create(
            office=cleveland, actor=officer, title="x", value=Decimal(1), areas=[other_area]
        )
