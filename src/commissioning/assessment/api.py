"""Panels, a member's own scores, moderation results and allocation runs. Officers see the
office's panels; a member sees the panels they sit on. Anything else is a 404; an application
the member declared a conflict on is a 403."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError

from commissioning.assessment import rules, selectors
from commissioning.assessment.models import Recommendation, ScoreSheet
from commissioning.assessment.permissions import (
    Conflicted,
    conflicted_application_ids,
    entry_for_member,
    office_for_assessment,
    panel_for_manager,
    panel_for_user,
    require_no_conflict,
)
from commissioning.assessment.services import (
    conflict_declare,
    score_sheet_save,
    score_sheet_submit,
)
from commissioning.core.validation import Money, PlainText, Text

router = Router(tags=["assessment"])
BASE = "/offices/{slug}/panels"


class PanelOut(Schema):
    id: int
    name: str
    round: str
    fund: str
    meeting_date: dt.date | None
    members: int
    applications: int


class MemberOut(Schema):
    name: str
    standing: str


class EntryOut(Schema):
    """One application before the panel. When you declared a conflict on it (`hidden`), only
    its reference and `your_part` are given: the rest is empty or null."""

    reference: str
    hidden: bool
    title: str
    organisation: str
    amount_requested: Decimal | None
    status: str | None
    scores_submitted: int | None
    conflicts: int | None
    agreed_outcome: str | None
    agreed_amount: Decimal | None
    your_part: str | None


class PanelDetailOut(PanelOut):
    members_list: list[MemberOut]
    entries: list[EntryOut]


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


class DeclarationIn(Schema):
    has_conflict: bool
    interest: PlainText = ""


class DeclarationOut(Schema):
    reference: str
    has_conflict: bool
    declared_at: dt.datetime


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


def _panel_out(panel, members: int, applications: int) -> dict:
    return {
        "id": panel.pk,
        "name": panel.name,
        "round": panel.round.slug,
        "fund": panel.round.fund.code,
        "meeting_date": panel.meeting_date,
        "members": members,
        "applications": applications,
    }


@router.get(BASE, response=list[PanelOut], summary="Panels you manage or sit on")
def panel_list(request, slug: str):
    office = office_for_assessment(request.auth, slug)
    return [
        PanelOut(**_panel_out(p, p.member_count, p.application_count))
        for p in selectors.panels_for(request.auth, office)
    ]


def _entry_out(row: selectors.EntryRow, *, your_part: str | None) -> EntryOut:
    application = row.application
    if row.hidden:
        return EntryOut(
            reference=application.reference,
            hidden=True,
            title="",
            organisation="",
            amount_requested=None,
            status=None,
            scores_submitted=None,
            conflicts=None,
            agreed_outcome=None,
            agreed_amount=None,
            your_part=your_part,
        )
    return EntryOut(
        reference=application.reference,
        hidden=False,
        title=application.title,
        organisation=application.organisation.name,
        amount_requested=application.amount_requested,
        status=application.status,
        scores_submitted=row.submitted,
        conflicts=row.conflicts,
        agreed_outcome=row.agreed.outcome if row.agreed else None,
        agreed_amount=row.agreed.amount if row.agreed else None,
        your_part=your_part,
    )


@router.get(BASE + "/{panel_id}", response=PanelDetailOut, summary="A panel and its progress")
def panel_detail(request, slug: str, panel_id: int):
    office = office_for_assessment(request.auth, slug)
    panel, member = panel_for_user(request.auth, office, panel_id)
    members = selectors.panel_members(panel)
    rows = selectors.panel_entries(panel, request.auth)
    return PanelDetailOut(
        **_panel_out(panel, len(members), len(rows)),
        members_list=[MemberOut(name=str(m.user), standing=m.standing) for m in members],
        entries=[_entry_out(r, your_part=r.my_state if member else None) for r in rows],
    )


def _member_entry(request, slug: str, panel_id: int, reference: str):
    office = office_for_assessment(request.auth, slug)
    panel, _member = panel_for_user(request.auth, office, panel_id)
    application, member, declaration = entry_for_member(request.auth, panel, reference)
    return office, panel, application, member, declaration


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


@router.post(
    BASE + "/{panel_id}/applications/{reference}/declaration",
    response=DeclarationOut,
    summary="Declare whether you have a conflict of interest (before opening it)",
)
def declaration_make(request, slug: str, panel_id: int, reference: str, payload: DeclarationIn):
    _office, _panel, application, member, _declaration = _member_entry(
        request, slug, panel_id, reference
    )
    declaration = conflict_declare(
        member=member,
        application=application,
        has_conflict=payload.has_conflict,
        interest=payload.interest,
        actor=request.auth,
    )
    return DeclarationOut(
        reference=application.reference,
        has_conflict=declaration.has_conflict,
        declared_at=declaration.declared_at,
    )


@router.get(
    BASE + "/{panel_id}/applications/{reference}/scores",
    response=SheetOut,
    summary="Your own scores for an application",
    description="400 until you have declared any conflict; 403 if you declared one.",
    openapi_extra={"x-errors": [400, 403]},
)
def my_scores(request, slug: str, panel_id: int, reference: str):
    office, _panel, application, member, declaration = _member_entry(
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
    office, _panel, application, member, declaration = _member_entry(
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
    office, _panel, application, member, declaration = _member_entry(
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


def _allocation_panel(request, slug: str, panel_id: int):
    office = office_for_assessment(request.auth, slug)
    panel = panel_for_manager(request.auth, office, panel_id)
    if conflicted_application_ids(request.auth, panel):
        raise HttpError(
            403,
            "You declared a conflict of interest in an application before this panel, so "
            "another officer must run and adopt its portfolio allocation.",
        )
    return panel


class AllocationRunOut(Schema):
    id: int
    created_at: dt.datetime
    budget: Decimal
    feasible: bool
    adopted_at: dt.datetime | None
    chosen: dict[str, Decimal]


class AllocationRunDetailOut(AllocationRunOut):
    inputs: dict
    result: dict


def _run_out(run) -> dict:
    return {
        "id": run.pk,
        "created_at": run.created_at,
        "budget": run.budget,
        "feasible": run.feasible,
        "adopted_at": run.adopted_at,
        "chosen": {k: Decimal(v) for k, v in run.chosen.items()},
    }


@router.get(
    BASE + "/{panel_id}/allocation-runs",
    response=list[AllocationRunOut],
    summary="Portfolio allocation runs of a panel (officers)",
)
def allocation_run_list(request, slug: str, panel_id: int):
    panel = _allocation_panel(request, slug, panel_id)
    return [AllocationRunOut(**_run_out(r)) for r in selectors.allocation_runs_of(panel)]


@router.get(
    BASE + "/{panel_id}/allocation-runs/{run_id}",
    response=AllocationRunDetailOut,
    summary="One allocation run: its inputs, the proposal, the unconstrained optimum, the plain "
    "ranking and any limits that cannot be met (officers)",
)
def allocation_run_detail(request, slug: str, panel_id: int, run_id: int):
    panel = _allocation_panel(request, slug, panel_id)
    run = selectors.allocation_runs_of(panel).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return AllocationRunDetailOut(**_run_out(run), inputs=run.inputs, result=run.result)
