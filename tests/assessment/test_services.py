"""AS1-AS4: panels, conflicts declared before opening, independent scoring, meetings quorate
per the pack, agreed recommendations, and the application's transitions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.accounts.models import Role
from commissioning.applications.models import Status
from commissioning.assessment.models import (
    AgreedOutcome,
    ConflictDeclaration,
    ScoreSheet,
    Standing,
)
from commissioning.assessment.panels.services import (
    conflict_declare,
    panel_application_add,
    panel_meeting_record,
    panel_member_add,
    panel_member_remove,
)
from commissioning.assessment.scoring.selectors import (
    moderation,
    panel_feedback_for,
    scores_seen_by,
)
from commissioning.assessment.scoring.services import (
    recommendation_agree,
    score_sheet_save,
    score_sheet_submit,
)
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from tests.accounts.factories import UserFactory, staff_user
from tests.applications.factories import ApplicationSubmittedFactory
from tests.assessment.factories import eligible_application, panel_with, score

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def set_assessment(office, **values):
    office.policy.assessment = {**office.policy.assessment, **values}
    office.policy.save(update_fields=["assessment"])


def test_putting_an_application_before_a_panel_starts_its_assessment(office):
    panel, officer, _members, (application, _other) = panel_with(office)
    application.refresh_from_db()
    assert application.status == Status.IN_ASSESSMENT
    assert application.status_changes.last().new == Status.IN_ASSESSMENT
    with pytest.raises(DomainError, match="already before a panel"):
        panel_application_add(panel=panel, application=application, actor=officer)


@pytest.mark.parametrize("status", ["submitted", "screening", "ineligible", "withdrawn"])
def test_only_eligible_applications_go_before_a_panel(office, status):
    panel, officer, _members, _apps = panel_with(office, apps=0)
    application = ApplicationSubmittedFactory(round=panel.round, status=status)
    with pytest.raises(DomainError, match="only an eligible application"):
        panel_application_add(panel=panel, application=application, actor=officer)
    application.refresh_from_db()
    assert application.status == status


def test_a_member_must_hold_a_role_in_the_office(office, other_office):
    panel, officer, _members, _apps = panel_with(office, apps=0)
    with pytest.raises(DomainError, match="has no role in"):
        panel_member_add(
            panel=panel, user=UserFactory(), standing=Standing.INDEPENDENT, actor=officer
        )
    with pytest.raises(DomainError, match="has no role in"):
        panel_member_add(
            panel=panel, user=staff_user(other_office), standing=Standing.PARTNER, actor=officer
        )


def test_a_removed_member_can_be_seated_again(office):
    panel, officer, (member, _other), _apps = panel_with(office, apps=0)
    panel_member_remove(member=member, actor=officer)
    with pytest.raises(DomainError, match="no longer on this panel"):
        panel_member_remove(member=member, actor=officer)
    again = panel_member_add(
        panel=panel, user=member.user, standing=Standing.PARTNER, actor=officer
    )
    assert again.pk == member.pk and again.is_active and again.standing == Standing.PARTNER


def test_a_conflict_needs_the_interest_and_then_stands(office):
    """AS2"""
    _panel, _officer, (member, _other), (application, _x) = panel_with(office)
    with pytest.raises(DomainError, match="Describe the interest"):
        conflict_declare(
            member=member, application=application, has_conflict=True, interest="", actor=None
        )
    conflict_declare(
        member=member,
        application=application,
        has_conflict=True,
        interest="My sister chairs the group.",
        actor=member.user,
    )
    with pytest.raises(DomainError, match="it stands"):
        conflict_declare(
            member=member, application=application, has_conflict=False, interest="", actor=None
        )
    assert AuditEvent.objects.filter(verb="assessment.conflict_declared").count() == 1


def test_no_scoring_before_declaring_nor_with_a_conflict(office):
    """AS2: declared before an application is opened; a conflicted member cannot score it."""
    _panel, _officer, (member, _other), (application, _x) = panel_with(office)
    scores = {"impact": (3, ""), "value": (3, "")}
    with pytest.raises(DomainError, match="Declare any conflict"):
        score_sheet_save(member=member, application=application, scores=scores, actor=None)
    conflict_declare(
        member=member,
        application=application,
        has_conflict=True,
        interest="I am a trustee.",
        actor=None,
    )
    with pytest.raises(DomainError, match="cannot score"):
        score_sheet_save(member=member, application=application, scores=scores, actor=None)


def test_a_late_conflict_takes_the_members_scores_out_of_moderation(office):
    panel, officer, (first, second), (application, _x) = panel_with(office)
    score(first, application, [5])
    score(second, application, [1])
    assert len(moderation(panel, officer)[0].rows) == 2
    conflict_declare(
        member=first,
        application=application,
        has_conflict=True,
        interest="Found out my neighbour runs it.",
        actor=None,
    )
    assert [r.member for r in moderation(panel, officer)[0].rows] == [second]
    assert moderation(panel, first.user)[0].hidden


def test_scores_are_kept_part_done_then_submitted_and_locked(office):
    """AS3: a sheet can be saved part-done; submitting needs every criterion and a
    recommendation; afterwards it cannot change."""
    _panel, _officer, (member, _other), (application, _x) = panel_with(office)
    conflict_declare(
        member=member, application=application, has_conflict=False, interest="", actor=None
    )
    sheet = score_sheet_save(
        member=member, application=application, scores={"impact": (4, "Good")}, actor=None
    )
    with pytest.raises(DomainError, match="Not yet scored: Value for money"):
        score_sheet_submit(sheet=sheet, actor=None)
    sheet = score_sheet_save(
        member=member,
        application=application,
        scores={"impact": (4, "Good"), "value": (2, "")},
        actor=None,
    )
    with pytest.raises(DomainError, match="recommendation"):
        score_sheet_submit(sheet=sheet, actor=None)
    score_sheet_save(
        member=member,
        application=application,
        scores={"impact": (4, "Good"), "value": (2, "")},
        recommendation="fund",
        actor=None,
    )
    score_sheet_submit(sheet=sheet, actor=None)
    assert sheet.is_submitted
    with pytest.raises(DomainError, match="no longer change"):
        score_sheet_save(
            member=member, application=application, scores={"impact": (5, "")}, actor=None
        )


def test_save_and_submit_is_one_transaction(office):
    """Engineering item 4: when the submission is refused, nothing of the save is kept; the
    sheet stays as it was last saved."""
    _panel, _officer, (member, _other), (application, _x) = panel_with(office)
    conflict_declare(
        member=member, application=application, has_conflict=False, interest="", actor=None
    )
    with pytest.raises(DomainError, match="Not yet scored: Value for money"):
        score_sheet_save(
            member=member,
            application=application,
            scores={"impact": (4, "Good")},
            recommendation="fund",
            actor=member.user,
            submit=True,
        )
    assert not ScoreSheet.objects.filter(member=member).exists()
    assert not AuditEvent.objects.filter(verb__startswith="assessment.scores").exists()
    score_sheet_save(
        member=member, application=application, scores={"impact": (3, "")}, actor=member.user
    )
    with pytest.raises(DomainError, match="recommendation"):
        score_sheet_save(
            member=member,
            application=application,
            scores={"impact": (5, ""), "value": (5, "")},
            actor=member.user,
            submit=True,
        )
    sheet = ScoreSheet.objects.get(member=member)
    assert not sheet.is_submitted
    assert {s.criterion: s.score for s in sheet.scores.all()} == {"impact": 3}
    assert AuditEvent.objects.filter(verb="assessment.scores_saved").count() == 1
    sheet = score_sheet_save(
        member=member,
        application=application,
        scores={"impact": (5, ""), "value": (5, "")},
        recommendation="fund",
        actor=member.user,
        submit=True,
    )
    assert sheet.is_submitted and ScoreSheet.objects.get(member=member).is_submitted


@pytest.mark.parametrize("bad", [6, -1])
def test_a_score_is_from_0_to_5(office, bad):
    _panel, _officer, (member, _other), (application, _x) = panel_with(office)
    conflict_declare(
        member=member, application=application, has_conflict=False, interest="", actor=None
    )
    with pytest.raises(DomainError, match="from 0 to 5"):
        score_sheet_save(
            member=member, application=application, scores={"impact": (bad, "")}, actor=None
        )


def test_part_funding_only_where_the_fund_allows(office):
    _panel, _officer, (member, _other), (application, _x) = panel_with(office)
    conflict_declare(
        member=member, application=application, has_conflict=False, interest="", actor=None
    )
    kwargs = {"member": member, "application": application, "scores": {}, "actor": None}
    with pytest.raises(DomainError, match="does not award part"):
        score_sheet_save(recommendation="fund_in_part", amount=Decimal("1000"), **kwargs)
    set_assessment(office, funds={application.fund.code: {"partial_funding_min_fraction": 0.5}})
    with pytest.raises(DomainError, match="at least £1,000.00"):
        score_sheet_save(recommendation="fund_in_part", amount=Decimal("999"), **kwargs)
    sheet = score_sheet_save(recommendation="fund_in_part", amount=Decimal("1500"), **kwargs)
    assert sheet.amount == Decimal("1500")


def test_members_see_others_scores_only_after_submitting_their_own(office):
    """AS3: independent scoring."""
    _panel, _officer, (first, second), (application, _x) = panel_with(office)
    score(second, application, [2], comment="Weak evidence.")
    score(first, application, [4], submit=False)
    assert scores_seen_by(first, application) is None
    score_sheet_submit(sheet=first.score_sheets.get(), actor=None)
    seen = scores_seen_by(first, application)
    assert {r.member for r in seen.rows} == {first, second}


def test_a_meeting_that_is_not_quorate_is_refused_with_the_reason(office):
    """AS4: quorum with an independent member, as the pack requires."""
    set_assessment(office, panel_quorum=2, independent_member_required=True)
    panel, _officer, (independent, voluntary), _apps = panel_with(office)
    with pytest.raises(DomainError, match="2 panel members must attend and 1 did"):
        panel_meeting_record(panel=panel, held_on=TODAY(), attendees=[independent], actor=None)
    office_member = panel_member_add(
        panel=panel,
        user=staff_user(office, Role.COMMISSIONING_OFFICER),
        standing=Standing.OFFICE,
        actor=None,
    )
    with pytest.raises(DomainError, match="an independent member must attend"):
        panel_meeting_record(
            panel=panel, held_on=TODAY(), attendees=[voluntary, office_member], actor=None
        )
    meeting = panel_meeting_record(
        panel=panel, held_on=TODAY(), attendees=[independent, voluntary], actor=None
    )
    assert meeting.quorate and meeting.attendees.count() == 2
    with pytest.raises(DomainError, match="today or in the past"):
        panel_meeting_record(
            panel=panel,
            held_on=TODAY() + dt.timedelta(days=1),
            attendees=[independent, voluntary],
            actor=None,
        )


def agreed_setup(office):
    set_assessment(office, panel_quorum=2)
    panel, officer, members, (funded, declined) = panel_with(office)
    for member in members:
        score(member, funded, [4])
        score(member, declined, [1], recommendation="do_not_fund")
    meeting = panel_meeting_record(panel=panel, held_on=TODAY(), attendees=members, actor=officer)
    return panel, officer, members, funded, declined, meeting


def test_agreeing_moves_the_application_to_recommended_or_not(office):
    """AS4 and the workflow: in_assessment -> recommended / not_recommended."""
    panel, officer, _members, funded, declined, meeting = agreed_setup(office)
    recommendation_agree(
        panel=panel,
        application=funded,
        meeting=meeting,
        outcome=AgreedOutcome.FUND,
        rationale="Strong evidence of need.",
        actor=officer,
    )
    recommendation_agree(
        panel=panel,
        application=declined,
        meeting=meeting,
        outcome=AgreedOutcome.DECLINE,
        amount=Decimal("500"),
        rationale="Outcomes were not measurable.",
        actor=officer,
    )
    funded.refresh_from_db()
    declined.refresh_from_db()
    assert funded.status == Status.RECOMMENDED
    assert funded.agreed_recommendation.amount == funded.amount_requested
    assert declined.status == Status.NOT_RECOMMENDED
    assert declined.agreed_recommendation.amount is None
    assert panel_feedback_for(declined) == "Outcomes were not measurable."
    with pytest.raises(DomainError, match="already agreed"):
        recommendation_agree(
            panel=panel,
            application=funded,
            meeting=meeting,
            outcome=AgreedOutcome.DECLINE,
            rationale="Changed our minds.",
            actor=officer,
        )


def test_feedback_names_no_panel_member(office):
    panel, officer, members, funded, _declined, meeting = agreed_setup(office)
    recommendation_agree(
        panel=panel,
        application=funded,
        meeting=meeting,
        outcome=AgreedOutcome.FUND_WITH_CONDITIONS,
        conditions="Quarterly figures.",
        rationale="Good bid.",
        actor=officer,
    )
    feedback = panel_feedback_for(funded)
    assert feedback == "Good bid.\n\nQuarterly figures."
    for member in members:
        assert member.user.full_name not in feedback
    assert panel_feedback_for(ApplicationSubmittedFactory(round=panel.round)) == ""


def test_no_recommendation_before_enough_members_have_scored(office):
    set_assessment(office, panel_quorum=2)
    panel, officer, (first, second), (application, _x) = panel_with(office)
    score(first, application, [3])
    meeting = panel_meeting_record(
        panel=panel, held_on=TODAY(), attendees=[first, second], actor=officer
    )
    with pytest.raises(DomainError, match="2 members must submit scores .* 1 have"):
        recommendation_agree(
            panel=panel,
            application=application,
            meeting=meeting,
            outcome=AgreedOutcome.FUND,
            rationale="Good.",
            actor=officer,
        )
    application.refresh_from_db()
    assert application.status == Status.IN_ASSESSMENT


def test_conflicted_attendees_do_not_count_towards_the_quorum(office):
    set_assessment(office, panel_quorum=2, independent_member_required=True)
    panel, officer, (independent, voluntary, partner), (application, _x) = panel_with(
        office, members=(Standing.INDEPENDENT, Standing.VOLUNTARY_SECTOR, Standing.PARTNER)
    )
    score(voluntary, application, [3])
    score(partner, application, [3])
    conflict_declare(
        member=independent,
        application=application,
        has_conflict=True,
        interest="Trustee.",
        actor=None,
    )
    meeting = panel_meeting_record(
        panel=panel, held_on=TODAY(), attendees=[independent, voluntary, partner], actor=officer
    )
    with pytest.raises(DomainError, match="independent member must attend"):
        recommendation_agree(
            panel=panel,
            application=application,
            meeting=meeting,
            outcome=AgreedOutcome.FUND,
            rationale="Good.",
            actor=officer,
        )


def test_a_recommended_application_cannot_be_scored_any_more(office):
    panel, officer, (first, second), funded, _declined, meeting = agreed_setup(office)
    recommendation_agree(
        panel=panel,
        application=funded,
        meeting=meeting,
        outcome=AgreedOutcome.FUND,
        rationale="Good.",
        actor=officer,
    )
    third = panel_member_add(
        panel=panel,
        user=staff_user(office, Role.PANEL_MEMBER),
        standing=Standing.PARTNER,
        actor=officer,
    )
    with pytest.raises(DomainError, match="no longer be scored"):
        score(third, funded, [5])
    assert ConflictDeclaration.objects.filter(member=third).count() == 1


def test_another_rounds_application_cannot_go_before_the_panel(office):
    from tests.applications.factories import RoundFactory

    panel, officer, _members, _apps = panel_with(office, apps=0)
    other_round = RoundFactory(fund=panel.round.fund)
    with pytest.raises(DomainError, match="another round"):
        panel_application_add(
            panel=panel, application=eligible_application(other_round), actor=officer
        )
