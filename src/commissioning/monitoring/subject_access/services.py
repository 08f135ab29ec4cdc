"""Subject access (SE3): everything the system holds about one person, found by their e-mail
address, as plain data for JSON and a readable PDF.

`python manage.py export_person EMAIL` (a system administrator's tool) gives everything. An
office administrator's page asks for one office's records only (`office=`): the person's
roles in that office, the applications, awards, returns, meetings and audit events of that
office, and their account's name and e-mail only where that office holds something about them;
e-mails sent by the system and another office's records are left out."""

import datetime as dt
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.accounts.models import OfficeInvitation, OfficeMembership, User
from commissioning.applications.models import Application, Endorsement
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import audit_event_record
from commissioning.awards.models import Award
from commissioning.core.models import OutboxMessage
from commissioning.monitoring.meetings.models import MeetingAttendee
from commissioning.monitoring.models import MonitoringReturn
from commissioning.monitoring.performance.models import DecommissioningComment
from commissioning.organisations.models import Invitation, OrganisationMember

AUDIT_LIMIT = 5000


def _scoped(queryset, office, path: str):
    return queryset if office is None else queryset.filter(**{path: office})


def person_data(*, email: str, office=None) -> dict:
    """{section: [rows]} of what is held about the person with this e-mail address (in one
    office if `office` is given). Sections with nothing in them are left out."""
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email).first()
    sections: dict[str, list[dict]] = {}

    def add(name: str, rows) -> None:
        rows = list(rows)
        if rows:
            sections[name] = rows

    if user is not None:
        add(
            "office_roles",
            (
                {"office": m.office.name, "role": m.get_role_display(), "active": m.is_active}
                for m in _scoped(
                    OfficeMembership.objects.filter(user=user).select_related("office"),
                    office,
                    "office",
                )
            ),
        )
        members = OrganisationMember.objects.filter(user=user).select_related("organisation")
        if office is not None:
            members = members.filter(organisation__applications__office=office).distinct()
        add(
            "organisations",
            (
                {"organisation": m.organisation.name, "reference": m.organisation.ref}
                for m in members
            ),
        )
        add(
            "returns_submitted",
            (
                {
                    "award": r.reference,
                    "return": r.get_kind_display(),
                    "number": r.number,
                    "submitted_at": r.submitted_at,
                }
                for r in _scoped(
                    MonitoringReturn.objects.filter(submitted_by=user).select_related("schedule"),
                    office,
                    "office",
                )
            ),
        )
        add(
            "comments_on_decommissioning",
            (
                {"reference": c.decommissioning.reference, "at": c.at, "text": c.text}
                for c in _scoped(
                    DecommissioningComment.objects.filter(author=user).select_related(
                        "decommissioning"
                    ),
                    office,
                    "decommissioning__office",
                )
            ),
        )
        add(
            "actions_recorded",
            (
                {
                    "at": e.occurred_at,
                    "office": e.office.name if e.office else "",
                    "what": e.verb,
                    "record": e.target_label,
                }
                for e in _scoped(
                    AuditEvent.objects.filter(actor=user).select_related("office"), office, "office"
                ).order_by("occurred_at")[:AUDIT_LIMIT]
            ),
        )
    add(
        "applications_as_senior_officer",
        (
            {
                "application": a.reference,
                "office": a.office.name,
                "name": a.senior_officer_name,
                "role": a.senior_officer_role,
                "email": a.senior_officer_email,
            }
            for a in _scoped(
                Application.objects.filter(senior_officer_email__iexact=email).select_related(
                    "office"
                ),
                office,
                "office",
            )
        ),
    )
    add(
        "awards_as_contact",
        (
            {
                "award": a.reference,
                "name": a.contact_name,
                "role": a.contact_role,
                "email": a.contact_email,
            }
            for a in _scoped(Award.objects.filter(contact_email__iexact=email), office, "office")
        ),
    )
    add(
        "endorsements",
        (
            {
                "application": e.application.reference,
                "name": e.endorser_name,
                "email": e.endorser_email,
                "comment": e.comment,
            }
            for e in _scoped(
                Endorsement.objects.filter(endorser_email__iexact=email).select_related(
                    "application"
                ),
                office,
                "application__office",
            )
        ),
    )
    add(
        "meetings_attended",
        (
            {
                "award": p.meeting.award.reference,
                "meeting": p.meeting.number,
                "held_on": p.meeting.held_on,
                "name": p.name,
                "role": p.role,
            }
            for p in _scoped(
                MeetingAttendee.objects.filter(email__iexact=email).select_related(
                    "meeting__award"
                ),
                office,
                "meeting__office",
            )
        ),
    )
    add(
        "office_invitations",
        (
            {"office": i.office.name, "role": i.get_role_display(), "expires_at": i.expires_at}
            for i in _scoped(
                OfficeInvitation.objects.filter(email__iexact=email).select_related("office"),
                office,
                "office",
            )
        ),
    )
    if office is None:
        add(
            "organisation_invitations",
            (
                {"organisation": i.organisation.name, "expires_at": i.expires_at}
                for i in Invitation.objects.filter(email__iexact=email).select_related(
                    "organisation"
                )
            ),
        )
        add(
            "emails_sent",
            (
                {"sent_at": m.sent_at, "subject": m.subject}
                for m in OutboxMessage.objects.filter(to__icontains=email).order_by("sent_at")
            ),
        )
    result: dict = {"email": email, "office": office.name if office else None}
    if user is not None and (office is None or sections):
        result["account"] = {
            "email": user.email,
            "full_name": user.full_name,
            "job_title": user.job_title,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "active": user.is_active,
        }
    result["sections"] = sections
    return result


def person_export(*, email: str, actor, office=None, now=None) -> dict:
    """`person_data`, with an audit event saying who asked for whose data."""
    data = person_data(email=email, office=office)
    data["produced_at"] = now or timezone.now()
    # The record the event is about: the office asked for, else the person's account, else
    # the administrator who asked (for an address that matches nobody).
    target = office or User.objects.filter(email__iexact=email).first() or actor
    if getattr(target, "pk", None):
        with transaction.atomic():
            audit_event_record(
                actor=actor,
                verb="subject_access.exported",
                target=target,
                office=office,
                data={"email": data["email"], "sections": sorted(data["sections"])},
            )
    return data


def person_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _shown(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%-d %B %Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%-d %B %Y")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def person_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    sections = [
        (
            name.replace("_", " ").capitalize(),
            list(rows[0]) if rows else [],
            [[_shown(v) for v in row.values()] for row in rows],
        )
        for name, rows in data["sections"].items()
    ]
    account = {
        k.replace("_", " ").capitalize(): _shown(v) for k, v in (data.get("account") or {}).items()
    }
    html = render_to_string(
        "monitoring/subject_access/pdf.html",
        {
            "data": data,
            "account": account,
            "sections": sections,
            "produced": _shown(data.get("produced_at")),
        },
    )
    return HTML(string=html).write_pdf()
