"""Writes for market engagement, provider forums and feedback surveys on the commissioning
process. A survey's response comes from someone without an account, by the survey's link."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.cycle.engagement.models import (
    RATINGS,
    EngagementEvent,
    EventKind,
    FeedbackResponse,
    FeedbackSurvey,
    Respondent,
)

EVENT_FIELDS = ("kind", "title", "held_on", "attendees", "attendee_count", "learnt")


def engagement_event_save(
    *, office, actor, values: dict, projects=(), event=None
) -> EngagementEvent:
    """Record an engagement event or forum (date, who attended, what was learnt), linked to
    the office's projects; or change one (pass `event`)."""
    projects = list(projects)
    if values.get("kind") not in EventKind.values:
        raise DomainError(_("Choose the kind of event"), field="kind")
    for name, message in (
        ("title", _("Enter a title for the event")),
        ("attendees", _("Say who attended")),
        ("learnt", _("Say what was learnt")),
    ):
        if not str(values.get(name) or "").strip():
            raise DomainError(message, field=name)
    if values.get("held_on") is None:
        raise DomainError(_("Enter the date of the event"), field="held_on")
    if values["held_on"] > timezone.localdate():
        raise DomainError(_("Record an event once it has happened"), field="held_on")
    if any(p.office_id != office.pk for p in projects):
        raise DomainError(_("Choose the office's own projects"), field="projects")
    with transaction.atomic():
        created = event is None
        record = (
            EngagementEvent(office=office, created_by=actor)
            if created
            else EngagementEvent.objects.select_for_update().get(pk=event.pk, office=office)
        )
        for name in EVENT_FIELDS:
            value = values.get(name)
            setattr(record, name, value.strip() if isinstance(value, str) else value)
        record.updated_by = actor
        record.save()
        record.projects.set(projects)
        audit_event_record(
            actor=actor,
            verb=f"engagement_event.{'created' if created else 'updated'}",
            target=record,
            office=office,
            data={"kind": record.kind, "projects": [p.reference for p in projects]},
        )
    return record


def survey_open(*, office, actor, title: str, closes_on, project=None, now=None) -> FeedbackSurvey:
    """Open a short survey on how the commissioning went, for a round or tender that closed."""
    today = timezone.localdate(now or timezone.now())
    if not (title or "").strip():
        raise DomainError(_("Say which round or tender the survey is about"), field="title")
    if closes_on is None or closes_on < today:
        raise DomainError(_("The survey must close today or later"), field="closes_on")
    if project is not None and project.office_id != office.pk:
        raise DomainError(_("Choose one of the office's projects"), field="project")
    with transaction.atomic():
        survey = FeedbackSurvey.objects.create(
            office=office,
            project=project,
            title=title.strip(),
            closes_on=closes_on,
            token=secrets.token_urlsafe(24),
            created_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="feedback_survey.opened",
            target=survey,
            office=office,
            data={"title": survey.title, "closes_on": closes_on.isoformat()},
        )
    return survey


def survey_respond(*, survey, values: dict, now=None) -> FeedbackResponse:
    """One person's answers. Refused once the survey has closed, or with a rating off the
    one-to-five scale."""
    now = now or timezone.now()
    if not survey.is_open(timezone.localdate(now)):
        raise DomainError(_("This survey has closed. Thank you for your interest."))
    if values.get("respondent") not in Respondent.values:
        raise DomainError(_("Say who you are answering as"), field="respondent")
    for name in RATINGS:
        if values.get(name) not in (1, 2, 3, 4, 5):
            raise DomainError(_("Choose an answer from 1 to 5"), field=name)
    with transaction.atomic():
        response = FeedbackResponse.objects.create(
            survey=survey,
            respondent=values["respondent"],
            clarity=values["clarity"],
            fairness=values["fairness"],
            ease=values["ease"],
            went_well=(values.get("went_well") or "").strip()[:4000],
            could_improve=(values.get("could_improve") or "").strip()[:4000],
            submitted_at=now,
        )
        audit_event_record(
            actor=None,
            verb="feedback_survey.answered",
            target=survey,
            office=survey.office,
            data={"respondent": response.respondent},
        )
    return response
