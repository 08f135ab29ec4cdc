"""Clarification questions between an officer and the applicant (AP8). Asking does not change
the application's status: it marks the application as waiting for the applicant until every
question has an answer. Questions and answers are on the record and never edited once sent."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commissioning.applications.models import Application, Clarification, Status
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError, RateLimited
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.organisations.models import OrganisationMember

# Questions can be asked once an application is in and until it is decided or withdrawn.
CLOSED_STATUSES = frozenset({Status.DRAFT, Status.APPROVED, Status.DECLINED, Status.WITHDRAWN})
MAX_LENGTH = 5000
# Each question is e-mailed, so they are limited; the COMMISSIONING_CLARIFICATION_LIMITS
# setting overrides any of these.
DEFAULT_LIMITS = {"per_officer": 30, "per_application": 10, "period_seconds": 3600}


def _text(value: str, *, field: str, empty: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(empty, field=field)
    if len(value) > MAX_LENGTH:
        raise DomainError(
            _("Use %(max)s characters or fewer") % {"max": f"{MAX_LENGTH:,}"}, field=field
        )
    return value


def clarification_limits() -> dict:
    return {**DEFAULT_LIMITS, **getattr(settings, "COMMISSIONING_CLARIFICATION_LIMITS", {})}


def _period_label(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("hour", "%(n)s hours", hours) % {"n": hours}
    minutes = max(1, seconds // 60)
    return ngettext("minute", "%(n)s minutes", minutes) % {"n": minutes}


def _check_rate(*, application: Application, actor, now) -> None:
    """Refuse a question beyond the limits: per officer across applications, and per
    application across officers, within the last period. Counted from the questions on record,
    so it holds across every web server."""
    limits = clarification_limits()
    period = int(limits["period_seconds"])
    since = now - dt.timedelta(seconds=period)
    recent = Clarification.objects.filter(asked_at__gt=since, asked_at__lte=now)
    checks = [
        (
            recent.filter(asked_by=actor),
            int(limits["per_officer"]),
            _(
                "You have asked %(count)s questions in the last %(period)s, the most allowed. "
                "You can ask another from %(time)s."
            ),
        ),
        (
            recent.filter(application=application),
            int(limits["per_application"]),
            _(
                "%(count)s questions have been asked about this application in the last "
                "%(period)s, the most allowed. You can ask another from %(time)s."
            ),
        ),
    ]
    for questions, limit, message in checks:
        count = questions.count()
        if count >= limit:
            oldest = questions.aggregate(oldest=Min("asked_at"))["oldest"] or now
            free_at = oldest + dt.timedelta(seconds=period)
            raise RateLimited(
                message
                % {
                    "count": count,
                    "period": _period_label(period),
                    "time": formats.time_format(timezone.localtime(free_at), "TIME_FORMAT"),
                },
                retry_after=(free_at - now).total_seconds(),
                field="question",
            )


def clarification_number(clarification: Clarification) -> int:
    """The question's place in its application's thread, counting from 1."""
    return Clarification.objects.filter(
        Q(asked_at__lt=clarification.asked_at)
        | Q(asked_at=clarification.asked_at, id__lte=clarification.id),
        application_id=clarification.application_id,
    ).count()


def clarification_ask(*, application: Application, actor, question: str, now=None) -> Clarification:
    """An officer asks the applicant a question; the organisation's members are e-mailed. An
    officer, and an application, may only be asked so many in a period (RateLimited)."""
    question = _text(question, field="question", empty=_("Enter your question"))
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("office", "organisation")
            .get(pk=application.pk)
        )
        if locked.status in CLOSED_STATUSES:
            raise DomainError(
                _("Questions cannot be asked about an application that is %(status)s.")
                % {"status": locked.get_status_display().lower()}
            )
        _check_rate(application=locked, actor=actor, now=now)
        clarification = Clarification.objects.create(
            application=locked, question=question, asked_by=actor, asked_at=now
        )
        if not locked.awaiting_applicant:
            locked.awaiting_applicant = True
            locked.save(update_fields=["awaiting_applicant", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="clarification.asked",
            target=locked,
            office=locked.office,
            data={"clarification": clarification.pk},
        )
        job_enqueue(send_question, office=locked.office, clarification_id=clarification.pk)
    application.awaiting_applicant = True
    return clarification


def clarification_answer(
    *, clarification: Clarification, actor, answer: str, now=None
) -> Clarification:
    """A member of the organisation answers. An answer cannot be changed once sent."""
    answer = _text(answer, field="answer", empty=_("Enter your answer"))
    now = now or timezone.now()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("office", "organisation")
            .get(pk=clarification.application_id)
        )
        locked = Clarification.objects.select_for_update().get(pk=clarification.pk)
        if locked.answered_at is not None:
            raise DomainError(_("This question has already been answered."))
        if application.status == Status.WITHDRAWN:
            raise DomainError(_("This application has been withdrawn."))
        locked.answer = answer
        locked.answered_by = actor
        locked.answered_at = now
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        still_open = application.clarifications.filter(answered_at__isnull=True).exists()
        if application.awaiting_applicant != still_open:
            application.awaiting_applicant = still_open
            application.save(update_fields=["awaiting_applicant", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="clarification.answered",
            target=application,
            office=application.office,
            data={"clarification": locked.pk},
        )
        job_enqueue(send_answer, office=application.office, clarification_id=locked.pk)
    clarification.answer, clarification.answered_by, clarification.answered_at = answer, actor, now
    return locked


def _member_emails(organisation) -> list[str]:
    return list(
        OrganisationMember.objects.filter(organisation=organisation, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def _clarification(clarification_id: int) -> Clarification:
    return Clarification.objects.select_related(
        "application", "application__office", "application__organisation", "asked_by"
    ).get(pk=clarification_id)


@background_job(label=gettext_lazy("Clarification question e-mail"))
def send_question(*, clarification_id: int) -> None:
    """E-mail the organisation's members an officer's question and where to answer it."""
    clarification = _clarification(clarification_id)
    application = clarification.application
    recipients = _member_emails(application.organisation)
    if not recipients:
        return
    url = settings.SITE_URL + reverse(
        "clarifications:answer",
        args=[application.public_id, clarification_number(clarification)],
    )
    send_mail(
        subject=_("A question about your application %(ref)s") % {"ref": application.reference},
        message=_(
            "%(office)s has a question about your application '%(title)s' (%(ref)s):\n\n"
            "%(question)s\n\nAnswer it at %(url)s\n\n"
            "We will carry on checking your application when you have answered.\n"
        )
        % {
            "office": application.office.name,
            "title": application.title,
            "ref": application.reference,
            "question": clarification.question,
            "url": url,
        },
        from_email=None,
        recipient_list=recipients,
    )


@background_job(label=gettext_lazy("Clarification answer e-mail"))
def send_answer(*, clarification_id: int) -> None:
    """Tell the officer who asked that their question has been answered."""
    clarification = _clarification(clarification_id)
    application = clarification.application
    officer = clarification.asked_by
    if not officer.is_active or not officer.email:
        return
    url = settings.SITE_URL + reverse(
        "clarifications:staff_thread", args=[application.office.slug, application.reference]
    )
    send_mail(
        subject=_("%(ref)s: your question has been answered") % {"ref": application.reference},
        message=_(
            "%(organisation)s has answered your question about '%(title)s' (%(ref)s).\n\n"
            "Read the answer at %(url)s\n"
        )
        % {
            "organisation": application.organisation.name,
            "title": application.title,
            "ref": application.reference,
            "url": url,
        },
        from_email=None,
        recipient_list=[officer.email],
    )
