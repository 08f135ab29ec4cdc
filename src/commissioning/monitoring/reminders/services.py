"""Reminders about monitoring returns (MO3): before the due date, on it, and an escalation to
the officer once a return is overdue. `python manage.py send_reminders` calls
`reminders_send`, safe to run every hour: a table of reminders sent, unique per return and
kind, means the same reminder is never sent twice. Days are counted in Europe/London, so the
change between GMT and BST moves nothing. E-mails go through the background jobs."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.accounts.models import OfficeMembership, Role
from commissioning.audit.services import audit_event_record
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.monitoring.models import EDITABLE, MonitoringReturn, ReminderKind, ReminderSent
from commissioning.monitoring.rules import (
    DEFAULT_OVERDUE_ESCALATION_DAYS,
    DEFAULT_REMINDER_DAYS_BEFORE,
    reminder_kind,
)
from commissioning.offices.models import OfficePolicy
from commissioning.organisations.models import OrganisationMember

# Reminders of one run are e-mailed in jobs of this many.
BATCH = 200
ORDER = [ReminderKind.BEFORE, ReminderKind.DUE, ReminderKind.OVERDUE]


def _windows() -> dict[int, tuple[int, int]]:
    """(days before, days late before escalation) for each office, from its pack."""
    windows = {}
    for office_id, monitoring in OfficePolicy.objects.values_list("office_id", "monitoring"):
        monitoring = monitoring or {}
        windows[office_id] = (
            int(monitoring.get("reminder_days_before", DEFAULT_REMINDER_DAYS_BEFORE)),
            int(monitoring.get("overdue_escalation_days", DEFAULT_OVERDUE_ESCALATION_DAYS)),
        )
    return windows


def reminders_due(*, now: dt.datetime | None = None) -> list[ReminderSent]:
    """The reminders owed now and not yet sent, unsaved: one query for the returns, whatever
    their number."""
    today = timezone.localdate(now or timezone.now())
    windows = _windows()
    if not windows:
        return []
    latest = today + dt.timedelta(days=max(before for before, _late in windows.values()))
    sent = {
        kind: Exists(ReminderSent.objects.filter(monitoring_return=OuterRef("pk"), kind=kind))
        for kind in ORDER
    }
    rows = (
        MonitoringReturn.objects.filter(status__in=sorted(EDITABLE), due_on__lte=latest)
        .annotate(**{f"sent_{kind}": query for kind, query in sent.items()})
        .filter(**{f"sent_{ReminderKind.OVERDUE}": False})
        .values_list("pk", "office_id", "due_on", *(f"sent_{k}" for k in ORDER))
    )
    owed = []
    for pk, office_id, due_on, *already in rows.iterator(chunk_size=2000):
        before, late = windows.get(
            office_id, (DEFAULT_REMINDER_DAYS_BEFORE, DEFAULT_OVERDUE_ESCALATION_DAYS)
        )
        kind = reminder_kind(today=today, due_on=due_on, before_days=before, escalate_days=late)
        if kind is None:
            continue
        index = ORDER.index(kind)
        if any(already[index:]):
            continue  # this one, or a later one, has gone already
        owed.append(ReminderSent(monitoring_return_id=pk, kind=kind, due_on=due_on))
    return owed


def reminders_send(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Record every reminder owed now and queue its e-mail; return how many of each kind. Two
    runs at once cannot both record one: the second's insert is refused by the table's unique
    constraint and it keeps nothing."""
    now = now or timezone.now()
    owed = reminders_due(now=now)
    counts = {kind: 0 for kind in ORDER}
    for reminder in owed:
        counts[reminder.kind] += 1
    if dry_run or not owed:
        return counts
    with transaction.atomic():
        for reminder in owed:
            reminder.sent_at = now
        created = ReminderSent.objects.bulk_create(owed, batch_size=2000)
        ids = [r.pk for r in created]
        if ids[0] is None:  # a database that does not return ids from a bulk insert
            ids = list(
                ReminderSent.objects.filter(
                    sent_at=now, monitoring_return_id__in=[r.monitoring_return_id for r in owed]
                ).values_list("pk", flat=True)
            )
        for start in range(0, len(ids), BATCH):
            job_enqueue(send_reminder_emails, reminder_ids=ids[start : start + BATCH])
        audit_event_record(
            actor=None,
            verb="monitoring.reminders_sent",
            target=created[0].monitoring_return,
            data={**counts, "at": now.isoformat()},
        )
    return counts


def _return_url(ret) -> str:
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse(
        "monitoring:organisation_return",
        args=[ret.organisation.ref, ret.reference, ret.number],
    )


def _staff_url(ret) -> str:
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse(
        "monitoring:staff_return", args=[ret.office.slug, ret.reference, ret.number]
    )


@background_job(label=gettext_lazy("Monitoring return reminders"))
def send_reminder_emails(*, reminder_ids: list[int]) -> None:
    """E-mail each reminder: to the organisation's members, and for an overdue return also to
    the responsible officer (or the office's commissioning officers when none is named). A
    return submitted since the reminder was recorded is not chased."""
    reminders = list(
        ReminderSent.objects.filter(pk__in=reminder_ids)
        .select_related(
            "monitoring_return__award",
            "monitoring_return__office",
            "monitoring_return__schedule__officer",
            "monitoring_return__schedule__organisation",
        )
        .order_by("pk")
    )
    organisations = {r.monitoring_return.schedule.organisation_id for r in reminders}
    offices = {r.monitoring_return.office_id for r in reminders}
    members = defaultdict(list)
    for org_id, email in OrganisationMember.objects.filter(
        organisation__in=organisations, user__is_active=True
    ).values_list("organisation_id", "user__email"):
        members[org_id].append(email)
    officers = defaultdict(list)
    for office_id, email in (
        OfficeMembership.objects.active()
        .filter(office__in=offices, role=Role.COMMISSIONING_OFFICER, user__is_active=True)
        .values_list("office_id", "user__email")
    ):
        officers[office_id].append(email)
    for reminder in reminders:
        ret = reminder.monitoring_return
        if ret.status not in EDITABLE:
            continue
        award = ret.award
        organisation = ret.organisation
        figures = {
            "kind": ret.get_kind_display(),
            "ref": ret.reference,
            "title": ret.title,
            "office": ret.office.name,
            "due": ret.due_on.strftime("%-d %B %Y"),
            "url": _return_url(ret),
        }
        to = sorted(
            set(
                members[organisation.pk]
                + ([award.contact_email] if award is not None and award.contact_email else [])
            )
        )
        if reminder.kind == ReminderKind.BEFORE:
            subject = _("Your %(kind)s for %(ref)s is due on %(due)s") % figures
            body = (
                _(
                    "Your %(kind)s for %(ref)s, '%(title)s', is due to %(office)s on %(due)s.\n\n"
                    "Fill it in here; you can save it and come back before you submit "
                    "it:\n%(url)s\n"
                )
                % figures
            )
        elif reminder.kind == ReminderKind.DUE:
            subject = _("Your %(kind)s for %(ref)s is due today") % figures
            body = (
                _(
                    "Your %(kind)s for %(ref)s, '%(title)s', is due to %(office)s today, "
                    "%(due)s.\n\n"
                    "Submit it here:\n%(url)s\n"
                )
                % figures
            )
        else:
            subject = _("Overdue: %(kind)s for %(ref)s, due %(due)s") % figures
            body = (
                _(
                    "The %(kind)s for %(ref)s, '%(title)s', was due to %(office)s on %(due)s and "
                    "has not been submitted. The office's officer has been told.\n\n"
                    "Submit it here:\n%(url)s\n"
                )
                % figures
            )
            officer = ret.schedule.officer
            staff = [officer.email] if officer and officer.is_active else officers[ret.office_id]
            if staff:
                send_mail(
                    subject=_("Overdue return: %(ref)s (%(kind)s, due %(due)s)") % figures,
                    message=_(
                        "%(organisation)s has not submitted the %(kind)s for %(ref)s, due on "
                        "%(due)s.\n\n%(url)s\n"
                    )
                    % {**figures, "organisation": organisation.name, "url": _staff_url(ret)},
                    from_email=None,
                    recipient_list=sorted(set(staff)),
                )
        if to:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=to)
