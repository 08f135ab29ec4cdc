"""Every write to panels, their members, the applications before them, the conflicts of
interest members declare and the panel's meetings. Each function runs in one transaction, checks
the state it starts from and writes an audit event."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.accounts.permissions import roles_in
from commissioning.applications.models import Application, Round, Status
from commissioning.applications.services import application_transition
from commissioning.assessment import rules
from commissioning.assessment.models import (
    ConflictDeclaration,
    Panel,
    PanelApplication,
    PanelMeeting,
    PanelMember,
    Standing,
)
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError

# Panels and members -----------------------------------------------------------------------


def panel_create(*, round: Round, name: str, actor, meeting_date: dt.date | None = None) -> Panel:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the panel's name"), field="name")
    with transaction.atomic():
        if Panel.objects.filter(round=round, name=name).exists():
            raise DomainError(
                _("%(round)s already has a panel called %(name)s.")
                % {"round": round.title, "name": name},
                field="name",
            )
        panel = Panel.objects.create(
            office=round.office,
            round=round,
            name=name,
            meeting_date=meeting_date,
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(actor=actor, verb="panel.created", target=panel, office=round.office)
    return panel


def panel_member_add(*, panel: Panel, user, standing: str, actor) -> PanelMember:
    """Seat a person on the panel. They must hold a role in the office, and so sign in with a
    second factor. A member removed earlier is seated again."""
    if standing not in Standing.values:
        raise DomainError(_("Choose the member's standing"), field="standing")
    if not roles_in(user, panel.office):
        raise DomainError(
            _(
                "%(person)s has no role in %(office)s. Give them the panel member role first, "
                "so that they sign in with two-factor authentication."
            )
            % {"person": user, "office": panel.office.short_name},
            field="user",
        )
    with transaction.atomic():
        member = PanelMember.objects.select_for_update().filter(panel=panel, user=user).first()
        if member is not None and member.is_active:
            raise DomainError(
                _("%(person)s is already on this panel.") % {"person": user}, field="user"
            )
        if member is None:
            member = PanelMember.objects.create(
                panel=panel, user=user, standing=standing, created_by=actor, updated_by=actor
            )
        else:
            member.removed_at = None
            member.standing = standing
            member.updated_by = actor
            member.save(update_fields=["removed_at", "standing", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="panel.member_added",
            target=panel,
            office=panel.office,
            data={"user": user.pk, "standing": standing},
        )
    return member


def panel_member_remove(*, member: PanelMember, actor) -> PanelMember:
    """Take a member off the panel. Their declarations and submitted scores stay on record."""
    with transaction.atomic():
        locked = PanelMember.objects.select_for_update().get(pk=member.pk)
        if not locked.is_active:
            raise DomainError(_("%(person)s is no longer on this panel.") % {"person": member.user})
        locked.removed_at = timezone.now()
        locked.updated_by = actor
        locked.save(update_fields=["removed_at", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="panel.member_removed",
            target=locked.panel,
            office=locked.panel.office,
            data={"user": locked.user_id},
        )
    member.removed_at = locked.removed_at
    return locked


def panel_application_add(*, panel: Panel, application: Application, actor) -> PanelApplication:
    """Put an eligible application before the panel: it moves to 'being assessed'."""
    if application.round_id != panel.round_id:
        raise DomainError(
            _("%(ref)s was made to another round, not to %(round)s.")
            % {"ref": application.reference, "round": panel.round.title},
            field="application",
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if PanelApplication.objects.filter(application=locked).exists():
            raise DomainError(
                _("%(ref)s is already before a panel.") % {"ref": locked.reference},
                field="application",
            )
        if locked.status != Status.ELIGIBLE:
            raise DomainError(
                _("%(ref)s is %(status)s: only an eligible application can go before a panel.")
                % {"ref": locked.reference, "status": Status(locked.status).label.lower()},
                field="application",
            )
        entry = PanelApplication.objects.create(panel=panel, application=locked, added_by=actor)
        application_transition(
            application=locked,
            to=Status.IN_ASSESSMENT,
            actor=actor,
            note=_("Put before %(panel)s.") % {"panel": panel.name},
        )
    application.status = locked.status
    return entry


# Conflicts of interest --------------------------------------------------------------------


def entry_check(member: PanelMember, application: Application) -> None:
    """Refuse a member who has left the panel, or an application not before it."""
    if not member.is_active:
        raise DomainError(_("You are no longer on this panel."))
    if not PanelApplication.objects.filter(
        panel_id=member.panel_id, application=application
    ).exists():
        raise DomainError(_("This application is not before your panel."))


def conflict_declare(
    *, member: PanelMember, application: Application, has_conflict: bool, interest: str, actor
) -> ConflictDeclaration:
    """A member says, before opening an application, whether they have an interest in it (AS2).
    A declared conflict stands: it cannot be taken back. A member who declared none can later
    declare one, and their scores then leave moderation."""
    interest = (interest or "").strip()
    if has_conflict and not interest:
        raise DomainError(_("Describe the interest you have"), field="interest")
    entry_check(member, application)
    with transaction.atomic():
        declaration = (
            ConflictDeclaration.objects.select_for_update()
            .filter(member=member, application=application)
            .first()
        )
        if declaration is not None:
            if declaration.has_conflict:
                raise DomainError(
                    _("You declared a conflict of interest on this application; it stands.")
                )
            if not has_conflict:
                return declaration
            declaration.has_conflict, declaration.interest = True, interest
            declaration.declared_at = timezone.now()
            declaration.save(update_fields=["has_conflict", "interest", "declared_at"])
        else:
            declaration = ConflictDeclaration.objects.create(
                member=member,
                application=application,
                has_conflict=has_conflict,
                interest=interest if has_conflict else "",
            )
        audit_event_record(
            actor=actor,
            verb="assessment.conflict_declared",
            target=application,
            office=application.office,
            data={"member": member.pk, "has_conflict": has_conflict},
        )
    return declaration


# Meetings ---------------------------------------------------------------------------------


def panel_meeting_record(
    *,
    panel: Panel,
    held_on: dt.date,
    attendees: list[PanelMember],
    actor,
    notes: str = "",
) -> PanelMeeting:
    """Record a meeting of the panel. Refused, with the reason, when it was not quorate as the
    office's pack requires (enough members, an independent member where required)."""
    if held_on is None:
        raise DomainError(_("Enter the date of the meeting"), field="held_on")
    if held_on > timezone.localdate():
        raise DomainError(
            _("The date of the meeting must be today or in the past"), field="held_on"
        )
    attendees = list(attendees)
    if any(a.panel_id != panel.pk or not a.is_active for a in attendees):
        raise DomainError(_("Choose attendees from the panel's members"), field="attendees")
    problems = rules.quorum_problems(
        [a.standing for a in attendees], panel.office.policy.assessment
    )
    if problems:
        raise DomainError(" ".join(problems), field="attendees")
    with transaction.atomic():
        meeting = PanelMeeting.objects.create(
            panel=panel,
            held_on=held_on,
            notes=(notes or "").strip(),
            quorate=True,
            created_by=actor,
            updated_by=actor,
        )
        meeting.attendees.set(attendees)
        audit_event_record(
            actor=actor,
            verb="panel.meeting_recorded",
            target=panel,
            office=panel.office,
            data={"held_on": held_on.isoformat(), "attendees": [a.pk for a in attendees]},
        )
    return meeting
