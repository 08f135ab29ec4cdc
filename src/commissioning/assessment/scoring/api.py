"""A member's own scores, and moderation results for officers. An application the member
declared a conflict on is a 403."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Router, Schema
from ninja.errors import HttpError

from commissioning.assessment import rules
from commissioning.assessment.models import Recommendation, ScoreSheet
from commissioning.assessment.panels.api import BASE, member_entry
from commissioning.assessment.permissions import (
    Conflicted,
    office_for_assessment,
    panel_for_manager,
    require_no_conflict,
)
from commissioning.assessment.scoring import selectors
from commissioning.assessment.scoring.services import score_sheet_save, score_sheet_submit
from commissioning.core.validation import Money, PlainText, Text

router = Router(tags=["assessment"])


class ScoreIn(Schema):
    criterion: Text(max_length=30)
    score: int | None = None
    comment: PlainText = ""


class SheetIn(Schema):
    scores: list[ScoreIn] = []
    recommendation: Literal[("", *Recommendation.values)] = ""
    amount: Money | None = None
    comment: PlainText = ""


class ScoreOut(Schema):
    criterion: str
    title: str
    weight: int
    score: int | None
    comment: str


class SheetOut(Schema):
    reference: str
    scores: list[ScoreOut]
    weighted_total: Decimal
    recommendation: str
    amount: Decimal | None
    comment: str
    submitted_at: dt.datetime | None


class CriterionOut(Schema):
    criterion: str
    title: str
    weight: int
    mean: Decimal | None
    spread: int
    wide: bool


class MemberTotalOut(Schema):
    member: str
    standing: str
    weighted_total: Decimal
    recommendation: str
    amount: Decimal | None


class ModeratedOut(Schema):
    reference: str
    title: str
    hidden: bool
    scores_submitted: int
    quorum: int
    mean_total: Decimal | None
    total_spread: Decimal | None
    flagged: bool
    criteria: list[CriterionOut]
    members: list[MemberTotalOut]
    agreed_outcome: str | None
    agreed_amount: Decimal | None
    agreed_rationale: str | None


def _no_conflict(declaration) -> None:
    if declaration is None:
        raise HttpError(
            400, "Declare any conflict of interest before opening or scoring this application."
        )
    try:
        require_no_conflict(declaration)
    except Conflicted:
        raise HttpError(403, "You declared a conflict of interest in this application.") from None


def _sheet_out(application, sheet: ScoreSheet | None, rubric) -> SheetOut:
    scores = {s.criterion: s for s in sheet.scores.all()} if sheet else {}
    return SheetOut(
        reference=application.reference,
        scores=[
            ScoreOut(
                criterion=c.code,
                title=c.title,
                weight=c.weight,
                score=scores[c.code].score if c.code in scores else None,
                comment=scores[c.code].comment if c.code in scores else "",
            )
            for c in rubric
        ],
        weighted_total=rules.weighted_total({k: v.score for k, v in scores.items()}, rubric),
        recommendation=sheet.recommendation if sheet else "",
        amount=sheet.amount if sheet else None,
        comment=sheet.comment if sheet else "",
        submitted_at=sheet.submitted_at if sheet else None,
    )


@router.get(
    BASE + "/{panel_id}/applications/{reference}/scores",
    response=SheetOut,
    summary="Your own scores for an application",
    description="400 until you have declared any conflict; 403 if you declared one.",
    openapi_extra={"x-errors": [400, 403]},
)
def my_scores(request, slug: str, panel_id: int, reference: str):
    office, _panel, application, member, declaration = member_entry(
        request, slug, panel_id, reference
    )
    _no_conflict(declaration)
    sheet = (
        ScoreSheet.objects.filter(member=member, application=application)
        .prefetch_related("scores")
        .first()
    )
    return _sheet_out(
        application, sheet, rules.rubric_for(application.fund.code, office.policy.assessment)
    )


@router.put(
    BASE + "/{panel_id}/applications/{reference}/scores",
    response=SheetOut,
    summary="Save your scores (part-done is fine until you submit)",
)
def my_scores_save(request, slug: str, panel_id: int, reference: str, payload: SheetIn):
    office, _panel, application, member, declaration = member_entry(
        request, slug, panel_id, reference
    )
    _no_conflict(declaration)
    sheet = score_sheet_save(
        member=member,
        application=application,
        scores={s.criterion: (s.score, s.comment) for s in payload.scores},
        recommendation=payload.recommendation,
        amount=payload.amount,
        comment=payload.comment,
        actor=request.auth,
    )
    sheet = ScoreSheet.objects.prefetch_related("scores").get(pk=sheet.pk)
    return _sheet_out(
        application, sheet, rules.rubric_for(application.fund.code, office.policy.assessment)
    )


@router.post(
    BASE + "/{panel_id}/applications/{reference}/scores/submit",
    response=SheetOut,
    summary="Submit your scores; they can no longer change",
    openapi_extra={"x-errors": [400]},
)
def my_scores_submit(request, slug: str, panel_id: int, reference: str):
    office, _panel, application, member, declaration = member_entry(
        request, slug, panel_id, reference
    )
    _no_conflict(declaration)
    sheet = ScoreSheet.objects.filter(member=member, application=application).first()
    if sheet is None:
        raise HttpError(400, "Save your scores before submitting them.")
    score_sheet_submit(sheet=sheet, actor=request.auth)
    sheet = ScoreSheet.objects.prefetch_related("scores").get(pk=sheet.pk)
    return _sheet_out(
        application, sheet, rules.rubric_for(application.fund.code, office.policy.assessment)
    )


def _moderated_out(m: selectors.Moderated) -> ModeratedOut:
    summary = m.summary
    return ModeratedOut(
        reference=m.application.reference,
        title="" if m.hidden else m.application.title,
        hidden=m.hidden,
        scores_submitted=len(m.rows),
        quorum=m.quorum,
        mean_total=summary.mean_total if summary else None,
        total_spread=summary.total_spread if summary else None,
        flagged=summary.flagged if summary else False,
        criteria=[
            CriterionOut(
                criterion=c.criterion.code,
                title=c.criterion.title,
                weight=c.criterion.weight,
                mean=c.mean,
                spread=c.spread,
                wide=c.wide,
            )
            for c in (summary.criteria if summary else [])
        ],
        members=[
            MemberTotalOut(
                member=str(r.member.user),
                standing=r.member.standing,
                weighted_total=r.total,
                recommendation=r.sheet.recommendation,
                amount=r.sheet.amount,
            )
            for r in m.rows
        ],
        agreed_outcome=m.agreed.outcome if m.agreed else None,
        agreed_amount=m.agreed.amount if m.agreed else None,
        agreed_rationale=m.agreed.rationale if m.agreed else None,
    )


@router.get(
    BASE + "/{panel_id}/moderation",
    response=list[ModeratedOut],
    summary="Moderation results: totals, means, spreads and agreed recommendations (officers)",
)
def moderation(request, slug: str, panel_id: int):
    office = office_for_assessment(request.auth, slug)
    panel = panel_for_manager(request.auth, office, panel_id)
    return [_moderated_out(m) for m in selectors.moderation(panel, request.auth)]
