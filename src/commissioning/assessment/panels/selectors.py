"""Reads for panels, their members, each member's progress and the conflict register, each
in a constant number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from commissioning.assessment.models import (
    AgreedRecommendation,
    ConflictDeclaration,
    Panel,
    PanelApplication,
    PanelMember,
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
