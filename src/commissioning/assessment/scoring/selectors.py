"""Reads for scoring and moderation: each member's scores, the means and spreads, and what
the panel agreed, each in a constant number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from commissioning.assessment import rules
from commissioning.assessment.models import (
    AgreedRecommendation,
    ConflictDeclaration,
    Panel,
    PanelApplication,
    PanelMember,
    Score,
    ScoreSheet,
)
from commissioning.assessment.permissions import is_panel_manager


@dataclass
class MemberScores:
    member: PanelMember
    sheet: ScoreSheet
    scores: dict[str, Score]
    total: Decimal


@dataclass
class Moderated:
    """One application at moderation. `hidden` when the viewer declared a conflict on it."""

    application: object
    rubric: list[rules.Criterion]
    rows: list[MemberScores]
    summary: rules.Summary | None
    conflicts: int
    quorum: int
    agreed: AgreedRecommendation | None
    hidden: bool = False

    @property
    def quorate(self) -> bool:
        return len(self.rows) >= self.quorum

    @property
    def rank_total(self) -> Decimal:
        return (self.summary.mean_total if self.summary else None) or Decimal(0)


def _submitted_sheets(application_ids):
    return (
        ScoreSheet.objects.filter(
            application_id__in=application_ids,
            submitted_at__isnull=False,
            member__removed_at__isnull=True,
        )
        .select_related("member", "member__user")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("id")))
        .order_by("member__user__full_name", "pk")
    )


def moderation(panel: Panel, viewer, applications=None) -> list[Moderated]:
    """Per application: each member's scores and weighted total, the means and spreads, wide
    spreads flagged per the pack. Members with a conflict on an application are left out of
    its figures; a viewer with a conflict on it sees none of them."""
    assessment = panel.office.policy.assessment
    if applications is None:
        applications = [
            e.application
            for e in panel.entries.select_related(
                "application", "application__organisation", "application__fund"
            ).order_by("application__reference")
        ]
    ids = [a.pk for a in applications]
    declarations = list(
        ConflictDeclaration.objects.filter(application_id__in=ids, has_conflict=True).values_list(
            "application_id", "member_id", "member__user_id"
        )
    )
    conflicted = {(a, m) for a, m, _u in declarations}
    viewer_conflicted = {a for a, _m, u in declarations if u == viewer.pk}
    sheets = [
        s for s in _submitted_sheets(ids) if (s.application_id, s.member_id) not in conflicted
    ]
    agreed = {
        r.application_id: r
        for r in AgreedRecommendation.objects.filter(application_id__in=ids).select_related(
            "meeting"
        )
    }
    quorum = rules.panel_quorum(assessment)
    out = []
    for application in applications:
        rubric = rules.rubric_for(application.fund.code, assessment)
        conflicts = sum(1 for a, _m, _u in declarations if a == application.pk)
        if application.pk in viewer_conflicted:
            out.append(
                Moderated(application, rubric, [], None, conflicts, quorum, None, hidden=True)
            )
            continue
        rows = []
        for sheet in (s for s in sheets if s.application_id == application.pk):
            scores = {s.criterion: s for s in sheet.scores.all()}
            values = {code: s.score for code, s in scores.items()}
            rows.append(
                MemberScores(sheet.member, sheet, scores, rules.weighted_total(values, rubric))
            )
        summary = (
            rules.summarise(
                [{c: s.score for c, s in r.scores.items()} for r in rows], rubric, assessment
            )
            if rows
            else None
        )
        out.append(
            Moderated(
                application, rubric, rows, summary, conflicts, quorum, agreed.get(application.pk)
            )
        )
    return out


def scores_seen_by(member: PanelMember, application) -> Moderated | None:
    """Others' scores on an application, for a member who has submitted their own; None
    before that (members score independently) or if they declared a conflict."""
    own = ScoreSheet.objects.filter(
        member=member, application=application, submitted_at__isnull=False
    ).exists()
    if not own:
        return None
    moderated = moderation(member.panel, member.user, [application])[0]
    return None if moderated.hidden else moderated


def application_assessment(application, user) -> dict:
    """What the staff application page shows about the application's panel."""
    entry = (
        PanelApplication.objects.filter(application=application)
        .select_related("panel", "panel__office", "panel__office__policy")
        .first()
    )
    if entry is None:
        return {"entry": None}
    panel = entry.panel
    moderated = moderation(panel, user, [application])[0]
    return {
        "entry": entry,
        "panel": panel,
        "moderated": moderated,
        "can_manage": is_panel_manager(user, panel.office),
    }


def panel_feedback_for(application) -> str:
    """The panel's agreed reasons, for a decision letter; empty if none agreed. It says
    nothing about who sat on the panel or how each member scored."""
    agreed = AgreedRecommendation.objects.filter(application=application).first()
    if agreed is None:
        return ""
    if agreed.conditions:
        return f"{agreed.rationale}\n\n{agreed.conditions}"
    return agreed.rationale
