"""Every write to score sheets and to the panel's agreed recommendations. Each function runs
in one transaction, checks the state it starts from and writes an audit event."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.applications.models import Application, Status
from commissioning.applications.services import application_transition
from commissioning.assessment import rules
from commissioning.assessment.models import (
    AgreedOutcome,
    AgreedRecommendation,
    ConflictDeclaration,
    Panel,
    PanelApplication,
    PanelMeeting,
    PanelMember,
    Recommendation,
    Score,
    ScoreSheet,
)
from commissioning.assessment.panels.services import entry_check
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError

# Scoring ----------------------------------------------------------------------------------


def _scoring_check(member: PanelMember, application: Application) -> None:
    entry_check(member, application)
    declaration = ConflictDeclaration.objects.filter(member=member, application=application).first()
    if declaration is None:
        raise DomainError(_("Declare any conflict of interest before scoring this application."))
    if declaration.has_conflict:
        raise DomainError(
            _("You declared a conflict of interest, so you cannot score this application.")
        )
    if application.status != Status.IN_ASSESSMENT:
        raise DomainError(
            _("This application is %(status)s, so it can no longer be scored.")
            % {"status": Status(application.status).label.lower()}
        )


def _check_recommendation(
    application: Application, recommendation: str, amount: Decimal | None
) -> Decimal | None:
    if not recommendation:
        return None
    if recommendation not in Recommendation.values:
        raise DomainError(_("Choose your recommendation"), field="recommendation")
    if recommendation != Recommendation.FUND_IN_PART:
        return None
    if amount is None:
        raise DomainError(_("Enter the amount to fund"), field="amount")
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Enter an amount in pounds and pence"), field="amount")
    assessment = application.office.policy.assessment
    fraction = rules.partial_funding_min_fraction(application.fund.code, assessment)
    problem = rules.part_funding_problem(amount, application.amount_requested, fraction)
    if problem is None and amount == application.amount_requested:
        problem = _("Enter an amount less than the amount requested, or choose to fund in full")
    if problem:
        raise DomainError(problem, field="amount")
    return amount


def score_sheet_save(
    *,
    member: PanelMember,
    application: Application,
    scores: dict[str, tuple[int | None, str]],
    recommendation: str = "",
    amount: Decimal | None = None,
    comment: str = "",
    actor,
    submit: bool = False,
) -> ScoreSheet:
    """Keep a member's scores as they stand; a sheet may be saved part-done. `scores` maps a
    criterion code to (score or None, comment). Refused once the sheet is submitted. With
    `submit`, the sheet is saved and submitted in one transaction: if it cannot be submitted,
    nothing of this save is kept."""
    _scoring_check(member, application)
    rubric = {
        c.code: c
        for c in rules.rubric_for(application.fund.code, application.office.policy.assessment)
    }
    for code, (score, _comment) in scores.items():
        if code not in rubric:
            raise DomainError(_("%(code)s is not a criterion of this rubric.") % {"code": code})
        if score is not None and score not in rules.SCORES:
            raise DomainError(
                _("Give %(criterion)s a score from 0 to 5") % {"criterion": rubric[code].title},
                field=f"score_{code}",
            )
    amount = _check_recommendation(application, recommendation, amount)
    with transaction.atomic():
        sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
            member=member, application=application, defaults={"created_by": actor}
        )
        if sheet.is_submitted:
            raise DomainError(_("You have submitted your scores; they can no longer change."))
        sheet.recommendation = recommendation
        sheet.amount = amount
        sheet.comment = (comment or "").strip()
        sheet.updated_by = actor
        sheet.save()
        existing = {s.criterion: s for s in sheet.scores.all()}
        for code, (score, text) in scores.items():
            row = existing.get(code)
            if score is None:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                Score.objects.create(
                    sheet=sheet, criterion=code, score=score, comment=(text or "").strip()
                )
            elif (row.score, row.comment) != (score, (text or "").strip()):
                row.score, row.comment = score, (text or "").strip()
                row.save(update_fields=["score", "comment"])
        audit_event_record(
            actor=actor,
            verb="assessment.scores_saved",
            target=application,
            office=application.office,
            data={"member": member.pk},
        )
        if submit:
            sheet = score_sheet_submit(sheet=sheet, actor=actor)
    return sheet


def score_sheet_submit(*, sheet: ScoreSheet, actor) -> ScoreSheet:
    """Submit a finished sheet. Every criterion needs a score and the sheet a recommendation.
    Submitting twice changes nothing."""
    application = sheet.application
    _scoring_check(sheet.member, application)
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.is_submitted:
            return locked
        rubric = rules.rubric_for(application.fund.code, application.office.policy.assessment)
        scored = set(locked.scores.values_list("criterion", flat=True))
        missing = [c for c in rubric if c.code not in scored]
        if missing:
            raise DomainError(
                _("Give every criterion a score before submitting. Not yet scored: %(list)s.")
                % {"list": ", ".join(c.title for c in missing)},
                field=f"score_{missing[0].code}",
            )
        if not locked.recommendation:
            raise DomainError(
                _("Choose your recommendation before submitting"), field="recommendation"
            )
        locked.submitted_at = timezone.now()
        locked.updated_by = actor
        locked.save(update_fields=["submitted_at", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="assessment.scores_submitted",
            target=application,
            office=application.office,
            data={"member": locked.member_id},
        )
    sheet.submitted_at = locked.submitted_at
    return locked


# Agreed recommendations -------------------------------------------------------------------


def recommendation_agree(
    *,
    panel: Panel,
    application: Application,
    meeting: PanelMeeting,
    outcome: str,
    rationale: str,
    actor,
    amount: Decimal | None = None,
    conditions: str = "",
) -> AgreedRecommendation:
    """The panel's agreed recommendation, made at a quorate meeting once enough members have
    scored. The application becomes recommended, or not recommended."""
    rationale = (rationale or "").strip()
    conditions = (conditions or "").strip()
    _check_agreement_form(panel, meeting, outcome, rationale, conditions)
    assessment = panel.office.policy.assessment
    amount = _agreed_amount(application, outcome, amount, assessment)
    with transaction.atomic():
        locked = _application_awaiting_recommendation(panel, application)
        conflicted = _conflicted_member_ids(locked)
        _check_enough_scores(panel, locked, conflicted, rules.panel_quorum(assessment))
        _check_quorate_without_conflicts(meeting, conflicted, assessment)
        agreed = _agreed_recommendation_create(
            panel=panel,
            application=locked,
            meeting=meeting,
            outcome=outcome,
            amount=amount,
            conditions=conditions if outcome == AgreedOutcome.FUND_WITH_CONDITIONS else "",
            rationale=rationale,
            actor=actor,
        )
        application_transition(
            application=locked,
            to=Status.NOT_RECOMMENDED if outcome == AgreedOutcome.DECLINE else Status.RECOMMENDED,
            actor=actor,
            note=rationale,
        )
        audit_event_record(
            actor=actor,
            verb="assessment.recommendation_agreed",
            target=locked,
            office=locked.office,
            data={"outcome": outcome, "amount": str(amount) if amount is not None else None},
        )
    application.status = locked.status
    return agreed


def _check_agreement_form(
    panel: Panel, meeting: PanelMeeting, outcome: str, rationale: str, conditions: str
) -> None:
    """What the officer gave: an outcome, its reasons, any conditions, a quorate meeting."""
    if outcome not in AgreedOutcome.values:
        raise DomainError(_("Choose the panel's recommendation"), field="outcome")
    if not rationale:
        raise DomainError(_("Enter the reasons for the recommendation"), field="rationale")
    if outcome == AgreedOutcome.FUND_WITH_CONDITIONS and not conditions:
        raise DomainError(_("Enter the conditions"), field="conditions")
    if meeting.panel_id != panel.pk or not meeting.quorate:
        raise DomainError(_("Choose a quorate meeting of this panel"), field="meeting")


def _agreed_amount(
    application: Application, outcome: str, amount: Decimal | None, assessment: dict
) -> Decimal | None:
    """None for a decline; otherwise the amount given (the amount requested if none), within
    the fund's part-funding floor."""
    if outcome == AgreedOutcome.DECLINE:
        return None
    if amount is None:
        amount = application.amount_requested
    problem = rules.part_funding_problem(
        amount,
        application.amount_requested,
        rules.partial_funding_min_fraction(application.fund.code, assessment),
    )
    if problem:
        raise DomainError(problem, field="amount")
    return amount


def _application_awaiting_recommendation(panel: Panel, application: Application) -> Application:
    """The application, locked: before this panel, still being assessed, nothing agreed yet."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=application.pk)
    )
    if not PanelApplication.objects.filter(panel=panel, application=locked).exists():
        raise DomainError(_("This application is not before this panel."))
    if AgreedRecommendation.objects.filter(application=locked).exists():
        raise DomainError(_("The panel has already agreed a recommendation on this."))
    if locked.status != Status.IN_ASSESSMENT:
        raise DomainError(
            _("This application is %(status)s, so the panel cannot recommend on it.")
            % {"status": Status(locked.status).label.lower()}
        )
    return locked


def _conflicted_member_ids(application: Application) -> set[int]:
    return set(
        ConflictDeclaration.objects.filter(application=application, has_conflict=True).values_list(
            "member_id", flat=True
        )
    )


def _check_enough_scores(
    panel: Panel, application: Application, conflicted: set[int], quorum: int
) -> None:
    """At least a quorum of the panel's current members without a conflict have submitted."""
    scored = (
        ScoreSheet.objects.filter(
            application=application,
            member__panel=panel,
            member__removed_at__isnull=True,
            submitted_at__isnull=False,
        )
        .exclude(member_id__in=conflicted)
        .count()
    )
    if scored < quorum:
        raise DomainError(
            _("%(quorum)s members must submit scores before the panel recommends; %(count)s have.")
            % {"quorum": quorum, "count": scored}
        )


def _check_quorate_without_conflicts(
    meeting: PanelMeeting, conflicted: set[int], assessment: dict
) -> None:
    """The meeting is still quorate once members with a conflict on the application leave."""
    present = [a.standing for a in meeting.attendees.all() if a.pk not in conflicted]
    problems = rules.quorum_problems(present, assessment)
    if problems:
        raise DomainError(
            _("Leaving out members with a conflict of interest on it: %(problems)s")
            % {"problems": " ".join(problems)},
            field="meeting",
        )


def _agreed_recommendation_create(
    *,
    panel: Panel,
    application: Application,
    meeting: PanelMeeting,
    outcome: str,
    amount: Decimal | None,
    conditions: str,
    rationale: str,
    actor,
) -> AgreedRecommendation:
    """Write the recommendation; one agreed at the same moment by someone else is refused."""
    try:
        with transaction.atomic():
            return AgreedRecommendation.objects.create(
                panel=panel,
                application=application,
                meeting=meeting,
                outcome=outcome,
                amount=amount,
                conditions=conditions,
                rationale=rationale,
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError as exc:
        raise DomainError(_("The panel has already agreed a recommendation on this.")) from exc
