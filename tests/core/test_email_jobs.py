"""Background work (engineering issue, item 3): every e-mail the product sends after an action is
a background job. When the mail server is down the job is tried again, a bounded number of
times, and is then kept as a failed job that staff can see and retry, not lost."""

import datetime as dt
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from commissioning.accounts.models import Role
from commissioning.accounts.services import office_invitation_send
from commissioning.applications.clarifications.services import (
    clarification_answer,
    clarification_ask,
)
from commissioning.applications.endorsements.services import (
    endorsement_link_token,
    endorsement_request,
    endorsement_respond,
)
from commissioning.applications.rounds.services import round_close, round_extend
from commissioning.core import jobs
from commissioning.core.models import Job
from commissioning.organisations.services import invitation_send
from tests.accounts.factories import staff_user
from tests.applications.factories import (
    ApplicationFactory,
    ApplicationSubmittedFactory,
    CompleteDraftFactory,
    RoundFactory,
    member_of,
)
from tests.organisations.factories import AdminMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.applications.urls")]


class MailServerDown(BaseEmailBackend):
    """A mail backend whose server refuses every message, counting the attempts."""

    attempts = 0

    def send_messages(self, email_messages):
        MailServerDown.attempts += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _round(office):
    return RoundFactory(fund=office.funds.get(code="CF"))


def endorsement_request_mail(office):
    draft = CompleteDraftFactory(round=_round(office))
    member = member_of(draft.organisation)
    endorsement_request(endorsement=draft.endorsements.get(), actor=member)


def endorsement_answer_mail(office):
    draft = CompleteDraftFactory(round=_round(office))
    member = member_of(draft.organisation)
    endorsement = draft.endorsements.get()
    endorsement_request(endorsement=endorsement, actor=member)
    endorsement.refresh_from_db()
    endorsement_respond(token=endorsement_link_token(endorsement), confirms=True)


def clarification_question_mail(office):
    submitted = ApplicationSubmittedFactory(round=_round(office))
    member_of(submitted.organisation)
    clarification_ask(application=submitted, actor=staff_user(office), question="Which parks?")


def clarification_answer_mail(office):
    submitted = ApplicationSubmittedFactory(round=_round(office))
    member = member_of(submitted.organisation)
    question = clarification_ask(
        application=submitted, actor=staff_user(office), question="Which parks?"
    )
    clarification_answer(clarification=question, actor=member, answer="Three in the town.")


def organisation_invitation_mail(office):
    admin = AdminMemberFactory()
    invitation_send(organisation=admin.organisation, email="new@group.example", actor=admin.user)


def staff_invitation_mail(office):
    office_invitation_send(
        office=office,
        email="new.officer@testshire.example",
        role=Role.COMMISSIONING_OFFICER,
        actor=staff_user(office, Role.OFFICE_ADMIN),
    )


def _round_with_a_draft(office):
    round_ = _round(office)
    member_of(ApplicationFactory(round=round_).organisation)
    return round_


def round_extension_mail(office):
    round_ = _round_with_a_draft(office)
    round_extend(
        round=round_,
        actor=staff_user(office),
        closes_at=round_.closes_at + dt.timedelta(days=7),
        reason="The launch was late.",
    )


def round_closure_mail(office):
    round_close(
        round=_round_with_a_draft(office), actor=staff_user(office), reason="The budget is spent."
    )


@pytest.mark.parametrize(
    ("action", "job_name", "label"),
    [
        (
            endorsement_request_mail,
            "applications.endorsements.services.send_endorsement_request",
            "Endorsement request e-mail",
        ),
        (
            endorsement_answer_mail,
            "applications.endorsements.services.send_endorsement_answer",
            "Endorsement answer e-mail",
        ),
        (
            clarification_question_mail,
            "applications.clarifications.services.send_question",
            "Clarification question e-mail",
        ),
        (
            clarification_answer_mail,
            "applications.clarifications.services.send_answer",
            "Clarification answer e-mail",
        ),
        (
            organisation_invitation_mail,
            "organisations.services.send_invitation",
            "Organisation invitation e-mail",
        ),
        (
            staff_invitation_mail,
            "accounts.services.send_office_invitation",
            "Staff invitation e-mail",
        ),
        (
            round_extension_mail,
            "applications.rounds.services.send_extension_notice",
            "Deadline extension e-mail",
        ),
        (
            round_closure_mail,
            "applications.rounds.services.send_closure_notice",
            "Round closed early e-mail",
        ),
    ],
    ids=lambda value: value.__name__ if callable(value) else None,
)
def test_an_e_mail_that_cannot_be_sent_is_retried_then_kept_as_a_failed_job(
    office, settings, django_capture_on_commit_callbacks, action, job_name, label
):
    MailServerDown.attempts = 0
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    with django_capture_on_commit_callbacks(execute=True):
        action(office)
    job = Job.objects.get(name=f"commissioning.{job_name}")
    assert job.attempts == jobs.MAX_ATTEMPTS and MailServerDown.attempts >= job.attempts
    assert job.status == Job.Status.FAILED and job.finished_at <= timezone.now()
    assert "SMTPServerDisconnected" in job.last_error
    assert jobs.job_label(job) == label
    assert set(job.kwargs) <= {
        "endorsement_id",
        "clarification_id",
        "invitation_id",
        "round_id",
        "closes_at",
    }
