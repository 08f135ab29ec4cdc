"""Feedback surveys on the process open by themselves (CY4): when a round's deadline passes,
`open_feedback_surveys` opens one survey for it, records who it is for (the applicants'
members) and e-mails them its link after commit. Running it again opens nothing more."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commissioning.cycle.engagement.models import FeedbackSurvey
from commissioning.cycle.engagement.services import surveys_open_due
from tests.applications.factories import ApplicationFactory, RoundFactory, member_of

pytestmark = pytest.mark.django_db


def _submitted(round_, n=1):
    return ApplicationFactory(round=round_, status="submitted", reference=f"CLE-T-{n:04d}")


def _closed_round(office, **kwargs):
    now = timezone.now()
    return RoundFactory(
        fund=office.funds.first(),
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(hours=1),
        **kwargs,
    )


def test_a_round_past_its_deadline_gets_one_survey_sent_to_its_applicants(
    cleveland, django_capture_on_commit_callbacks
):
    round_ = _closed_round(cleveland, title="Safer streets")
    applied = _submitted(round_, 1)
    drafted = ApplicationFactory(round=round_)
    applicant = member_of(applied.organisation, email="bids@applicant.example")
    member_of(drafted.organisation, email="draft@applicant.example")
    open_round = RoundFactory(fund=cleveland.funds.first())
    _submitted(open_round, 2)

    with django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("open_feedback_surveys", stdout=out)
    assert "Opened 1 feedback surveys" in out.getvalue()
    survey = FeedbackSurvey.objects.get(office=cleveland)
    assert survey.occasion == f"round:{round_.pk}" and "Safer streets" in survey.title
    assert [i.email for i in survey.invitations.all()] == [applicant.email]
    link = reverse("cycle:survey_respond", args=[survey.token])
    (message,) = mail.outbox
    assert message.to == [applicant.email] and link in message.body
    assert survey.invitations.get().sent_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        assert surveys_open_due() == []
    assert FeedbackSurvey.objects.filter(office=cleveland).count() == 1
    assert len(mail.outbox) == 1


def test_the_public_page_of_a_survey_opened_by_itself_takes_answers(client, cleveland):
    round_ = _closed_round(cleveland)
    member_of(_submitted(round_).organisation)
    (survey,) = surveys_open_due()
    url = reverse("cycle:survey_respond", args=[survey.token])
    assert client.get(url).status_code == 200
    answers = {"respondent": "provider", "clarity": "4", "fairness": "5", "ease": "3"}
    assert client.post(url, answers).status_code == 200
    assert survey.responses.count() == 1


def test_a_round_that_closed_long_ago_is_not_surveyed(cleveland):
    now = timezone.now()
    RoundFactory(
        fund=cleveland.funds.first(),
        opens_at=now - dt.timedelta(days=200),
        closes_at=now - dt.timedelta(days=100),
    )
    assert surveys_open_due() == []
