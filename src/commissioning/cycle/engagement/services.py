"""Writes for market engagement, provider forums and feedback surveys on the commissioning
process. A survey's response comes from someone without an account, by the survey's link."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.cycle import hooks
from commissioning.cycle.engagement.models import (
    RATINGS,
    EngagementEvent,
    EventKind,
    FeedbackResponse,
    FeedbackSurvey,
    Respondent,
    SurveyInvitation,
)
from commissioning.organisations.models import OrganisationMember

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


# Surveys that open by themselves ---------------------------------------------------------------

# A survey opened by itself stays open this long, as one an officer opens does by default.
SURVEY_OPEN_DAYS = 28
# Occasions further back than this are not surveyed (a first run does not survey the past).
OCCASION_LOOKBACK_DAYS = 14


def _survey_link(survey) -> str:
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("cycle:survey_respond", args=[survey.token])


def surveys_open_due(*, now=None) -> list[FeedbackSurvey]:
    """Open a feedback survey for every occasion the apps report (a round's deadline passed, a
    tender's award signed) that has none yet, with an invitation for each active member of the
    organisations involved, e-mailed after commit. Safe to run as often as you like: an
    occasion has at most one survey, and a second run at once keeps nothing of its own."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=OCCASION_LOOKBACK_DAYS)
    occasions = hooks.survey_occasions(since, now)
    if not occasions:
        return []
    opened = set(
        FeedbackSurvey.objects.exclude(occasion="")
        .filter(occasion__in=[o.key for o in occasions])
        .values_list("office_id", "occasion")
    )
    due = [o for o in occasions if (o.office_id, o.key) not in opened]
    members: dict[int, list[str]] = {}
    for org_id, email in OrganisationMember.objects.filter(
        organisation_id__in={org for o in due for org in o.organisation_ids},
        user__is_active=True,
    ).values_list("organisation_id", "user__email"):
        members.setdefault(org_id, []).append(email)
    closes_on = timezone.localdate(now) + dt.timedelta(days=SURVEY_OPEN_DAYS)
    surveys = []
    for occasion in due:
        try:
            with transaction.atomic():
                survey = FeedbackSurvey.objects.create(
                    office_id=occasion.office_id,
                    project_id=occasion.project_id,
                    title=occasion.title[:200],
                    closes_on=closes_on,
                    token=secrets.token_urlsafe(24),
                    occasion=occasion.key,
                )
                addresses = {
                    email.lower(): org
                    for org in occasion.organisation_ids
                    for email in members.get(org, ())
                }
                SurveyInvitation.objects.bulk_create(
                    SurveyInvitation(survey=survey, organisation_id=org, email=email)
                    for email, org in sorted(addresses.items())
                )
                audit_event_record(
                    actor=None,
                    verb="feedback_survey.opened",
                    target=survey,
                    office=survey.office,
                    data={
                        "title": survey.title,
                        "closes_on": closes_on.isoformat(),
                        "occasion": occasion.key,
                        "invited": len(addresses),
                    },
                )
                if addresses:
                    job_enqueue(send_survey_invitations, office=survey.office, survey_id=survey.pk)
        except IntegrityError:
            continue  # another run opened it first
        surveys.append(survey)
    return surveys


@background_job(label=gettext_lazy("Feedback survey invitations"))
def send_survey_invitations(*, survey_id: int) -> None:
    """E-mail each invitation not yet sent: the survey's link, answered without an account."""
    survey = FeedbackSurvey.objects.select_related("office").get(pk=survey_id)
    link = _survey_link(survey)
    for invitation in survey.invitations.filter(sent_at__isnull=True).order_by("pk"):
        figures = {
            "office": survey.office.name,
            "title": survey.title,
            "closes": survey.closes_on.strftime("%-d %B %Y"),
            "url": link,
        }
        send_mail(
            subject=_("How did it go? %(title)s") % figures,
            message=_(
                "%(office)s would like to hear how the process went for you: %(title)s.\n\n"
                "Three short questions, no account needed, open until %(closes)s:\n%(url)s\n"
            )
            % figures,
            from_email=None,
            recipient_list=[invitation.email],
        )
        SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
