"""Clarification questions between an officer and the applicant (AP8). Asking does not change
the application's status: it marks the application as waiting for the applicant until every
question has an answer. Questions and answers are on the record and never edited once sent."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.applications.models import Application, Clarification, Status
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.organisations.models import OrganisationMember

# Questions can be asked once an application is in and until it is decided or withdrawn.
CLOSED_STATUSES = frozenset({Status.DRAFT, Status.APPROVED, Status.DECLINED, Status.WITHDRAWN})
MAX_LENGTH = 5000


def _text(value: str, *, field: str, empty: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(empty, field=field)
    if len(value) > MAX_LENGTH:
        raise DomainError(
            _("Use %(max)s characters or fewer") % {"max": f"{MAX_LENGTH:,}"}, field=field
        )
    return value


def clarification_number(clarification: Clarification) -> int:
    """The question's place in its application's thread, counting from 1."""
    return Clarification.objects.filter(
        Q(asked_at__lt=clarification.asked_at)
        | Q(asked_at=clarification.asked_at, id__lte=clarification.id),
        application_id=clarification.application_id,
    ).count()


def clarification_ask(*, application: Application, actor, question: str, now=None) -> Clarification:
    """An officer asks the applicant a question; the organisation's members are e-mailed."""
    question = _text(question, field="question", empty=_("Enter your question"))
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("office", "organisation")
            .get(pk=application.pk)
        )
        if locked.status in CLOSED_STATUSES:
            raise DomainError(
                _("Questions cannot be asked about an application that is %(status)s.")
                % {"status": locked.get_status_display().lower()}
            )
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
        transaction.on_commit(lambda: _send_question(clarification, locked))
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
            Application.objects.select_for_update()
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
        transaction.on_commit(lambda: _send_answer(locked, application))
    clarification.answer, clarification.answered_by, clarification.answered_at = answer, actor, now
    return locked


def _member_emails(organisation) -> list[str]:
    return list(
        OrganisationMember.objects.filter(organisation=organisation, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def _send_question(clarification: Clarification, application: Application) -> None:
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


def _send_answer(clarification: Clarification, application: Application) -> None:
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
