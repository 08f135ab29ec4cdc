"""Reads shared by the assessment pages and the API, each in a constant number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from commissioning.applications.models import Application, Status
from commissioning.assessment import rules
from commissioning.assessment.models import (
    AgreedRecommendation,
    AllocationRun,
    ConflictDeclaration,
    Panel,
    PanelApplication,
    PanelMember,
    Score,
    ScoreSheet,
)
from commissioning.assessment.permissions import is_panel_manager


def panels_for(user, office):
    """The office's panels for its officers; the panels a member sits on for anyone else."""
    panels = (
        Panel.objects.filter(office=office)
        .select_related("round", "round__fund")
        .annotate(
            application_count=Count("entries", distinct=True),
            member_count=Count(
                "members", filter=Q(members__removed_at__isnull=True), distinct=True
            ),
        )
        .order_by("-meeting_date", "name", "pk")
    )
    if not is_panel_manager(user, office):
        panels = panels.filter(
            pk__in=PanelMember.objects.active().filter(user=user).values("panel_id")
        )
    return panels


# One member's progress ---------------------------------------------------------------------

DECLARE, CONFLICT, TO_SCORE, IN_PROGRESS, SUBMITTED = (
    "declare",
    "conflict",
    "to_score",
    "in_progress",
    "submitted",
)


@dataclass
class EntryRow:
    entry: PanelApplication
    declared: int = 0
    conflicts: int = 0
    submitted: int = 0
    agreed: AgreedRecommendation | None = None
    my_state: str = ""

    @property
    def application(self):
        return self.entry.application

    @property
    def hidden(self) -> bool:
        """The viewer declared a conflict on it: they see nothing of it but that (AS2)."""
        return self.my_state == CONFLICT


def _states(panel_ids, user=None):
    """Declarations and sheets of the given panels, in two queries."""
    declarations = list(
        ConflictDeclaration.objects.filter(
            member__panel_id__in=panel_ids, member__removed_at__isnull=True
        ).values("application_id", "member_id", "member__user_id", "has_conflict")
    )
    sheets = list(
        ScoreSheet.objects.filter(
            member__panel_id__in=panel_ids, member__removed_at__isnull=True
        ).values("application_id", "member_id", "member__user_id", "submitted_at")
    )
    return declarations, sheets


def _my_state(application_id, user_id, declarations, sheets) -> str:
    mine = [d for d in declarations if d["application_id"] == application_id]
    mine = [d for d in mine if d["member__user_id"] == user_id]
    if not mine:
        return DECLARE
    if mine[0]["has_conflict"]:
        return CONFLICT
    sheet = next(
        (
            s
            for s in sheets
            if s["application_id"] == application_id and s["member__user_id"] == user_id
        ),
        None,
    )
    if sheet is None:
        return TO_SCORE
    return SUBMITTED if sheet["submitted_at"] else IN_PROGRESS


def panel_entries(panel: Panel, user) -> list[EntryRow]:
    """The applications before a panel with the panel's progress and the user's own. On an
    application the user declared a conflict on, the progress is left out: no counts and no
    agreed outcome (AS2)."""
    entries = list(
        panel.entries.select_related(
            "application", "application__organisation", "application__fund"
        ).order_by("application__reference")
    )
    declarations, sheets = _states([panel.pk])
    agreed = {r.application_id: r for r in AgreedRecommendation.objects.filter(panel=panel)}
    conflicted = {(d["application_id"], d["member_id"]) for d in declarations if d["has_conflict"]}
    rows = []
    for entry in entries:
        app_id = entry.application_id
        my_state = _my_state(app_id, user.pk, declarations, sheets)
        if my_state == CONFLICT:
            rows.append(EntryRow(entry=entry, my_state=my_state))
            continue
        rows.append(
            EntryRow(
                entry=entry,
                declared=sum(1 for d in declarations if d["application_id"] == app_id),
                conflicts=sum(
                    1 for d in declarations if d["application_id"] == app_id and d["has_conflict"]
                ),
                submitted=sum(
                    1
                    for s in sheets
                    if s["application_id"] == app_id
                    and s["submitted_at"]
                    and (app_id, s["member_id"]) not in conflicted
                ),
                agreed=agreed.get(app_id),
                my_state=my_state,
            )
        )
    return rows


def panel_members(panel: Panel) -> list[PanelMember]:
    return list(panel.members.active().select_related("user").order_by("user__full_name"))


@dataclass
class Assignment:
    panel: Panel
    rows: list[EntryRow] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.my_state == state)

    @property
    def to_do(self) -> int:
        return self.count(DECLARE) + self.count(TO_SCORE) + self.count(IN_PROGRESS)


def assignments_for(user, office) -> list[Assignment]:
    """The panels a person sits on in an office, with what they have left to do."""
    panels = list(
        Panel.objects.filter(
            office=office,
            pk__in=PanelMember.objects.active().filter(user=user).values("panel_id"),
        )
        .select_related("round")
        .order_by("-meeting_date", "name")
    )
    if not panels:
        return []
    ids = [p.pk for p in panels]
    declarations, sheets = _states(ids)
    entries = PanelApplication.objects.filter(panel_id__in=ids).values_list(
        "panel_id", "application_id"
    )
    by_panel: dict[int, Assignment] = {p.pk: Assignment(panel=p) for p in panels}
    for panel_id, application_id in entries:
        by_panel[panel_id].rows.append(
            EntryRow(
                entry=None,  # type: ignore[arg-type]
                my_state=_my_state(application_id, user.pk, declarations, sheets),
            )
        )
    return list(by_panel.values())


# Moderation --------------------------------------------------------------------------------


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


def conflict_register(office):
    """Every declaration in the office's panels, for its officers (AS2)."""
    return (
        ConflictDeclaration.objects.filter(member__panel__office=office)
        .select_related("member", "member__user", "member__panel", "application")
        .order_by("-declared_at", "pk")
    )


def meetings_of(panel: Panel):
    return panel.meetings.prefetch_related("attendees", "attendees__user").order_by(
        "-held_on", "-pk"
    )


def allocation_runs_of(panel: Panel):
    return AllocationRun.objects.filter(panel=panel).select_related("created_by", "adopted_by")


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


# Portfolio allocation ----------------------------------------------------------------------


@dataclass
class BidRow:
    bid: object  # allocation.Bid
    application: object
    status: str


class _Nobody:
    pk = None


def allocation_bids(panel: Panel) -> list[BidRow]:
    """The panel's scored applications as bids: those still being assessed for what they ask,
    those already recommended for the amount agreed. Each counts towards its first area and
    its first plan priority."""
    from django.utils.translation import gettext as _

    from commissioning.assessment.allocation import Bid

    applications = list(
        Application.objects.filter(
            panel_entry__panel=panel, status__in=[Status.IN_ASSESSMENT, Status.RECOMMENDED]
        )
        .select_related("fund", "organisation")
        .prefetch_related("areas", "priorities")
        .order_by("reference")
    )
    assessment = panel.office.policy.assessment
    rows = []
    for moderated in moderation(panel, _Nobody(), applications):
        application = moderated.application
        if moderated.summary is None or moderated.summary.mean_total is None:
            continue
        agreed = moderated.agreed
        if application.status == Status.RECOMMENDED and agreed is not None:
            amount, floor = agreed.amount, None
        else:
            amount = application.amount_requested
            fraction = rules.partial_funding_min_fraction(application.fund.code, assessment)
            floor = (
                None
                if fraction is None
                else (amount * fraction).quantize(Decimal("0.01"), rounding="ROUND_CEILING")
            )
        if not amount:
            continue
        areas = sorted(a.name for a in application.areas.all())
        priorities = sorted((p.position, p.title) for p in application.priorities.all())
        rows.append(
            BidRow(
                bid=Bid(
                    key=application.reference,
                    amount=amount,
                    score=float(moderated.summary.mean_total),
                    area=areas[0] if areas else _("No area given"),
                    priority=priorities[0][1] if priorities else _("No priority given"),
                    min_amount=floor,
                ),
                application=application,
                status=application.status,
            )
        )
    return rows
