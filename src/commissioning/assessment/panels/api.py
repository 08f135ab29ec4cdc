"""Panels and declarations: officers see the office's panels, a member the panels they sit
on; a member declares any conflict of interest before opening an application. Anything else is
a 404."""

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from commissioning.assessment.panels import selectors
from commissioning.assessment.panels.services import conflict_declare
from commissioning.assessment.permissions import (
    entry_for_member,
    office_for_assessment,
    panel_for_user,
)
from commissioning.core.validation import PlainText

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


class DeclarationIn(Schema):
    has_conflict: bool
    interest: PlainText = ""


class DeclarationOut(Schema):
    reference: str
    has_conflict: bool
    declared_at: dt.datetime


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


def member_entry(request, slug: str, panel_id: int, reference: str):
    office = office_for_assessment(request.auth, slug)
    panel, _member = panel_for_user(request.auth, office, panel_id)
    application, member, declaration = entry_for_member(request.auth, panel, reference)
    return office, panel, application, member, declaration


@router.post(
    BASE + "/{panel_id}/applications/{reference}/declaration",
    response=DeclarationOut,
    summary="Declare whether you have a conflict of interest (before opening it)",
)
def declaration_make(request, slug: str, panel_id: int, reference: str, payload: DeclarationIn):
    _office, _panel, application, member, _declaration = member_entry(
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
