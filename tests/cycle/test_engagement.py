"""Market engagement and forums linked to projects, and the feedback survey on the
commissioning process: answered without an account until it closes, summarised for the office
(CY4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.core.errors import DomainError
from commissioning.cycle.engagement.selectors import survey_summary
from commissioning.cycle.engagement.services import (
    engagement_event_save,
    survey_open,
    survey_respond,
)
from commissioning.cycle.models import FeedbackResponse
from commissioning.cycle.projects.selectors import steps_done
from commissioning.cycle.projects.services import project_create
from tests.accounts.factories import sign_in, staff_user

pytestmark = pytest.mark.django_db

# The test office's stage model names no steps: ask about these codes.
CODES = {"market_engagement", "provider_forum", "procurement_route"}


def _answer(survey, respondent, clarity, fairness, ease, **comments):
    return survey_respond(
        survey=survey,
        values={
            "respondent": respondent,
            "clarity": clarity,
            "fairness": fairness,
            "ease": ease,
            **comments,
        },
    )


def test_survey_summary_counts_means_spread_and_comments(office):
    survey = survey_open(
        office=office, actor=None, title="Victim care tender", closes_on=timezone.localdate()
    )
    _answer(survey, "provider", 4, 2, 3, went_well="Clear specification.")
    _answer(survey, "provider", 5, 3, 3)
    _answer(survey, "service_user", 2, 4, 5, could_improve="Plainer words.")
    summary = survey_summary(survey)
    assert summary["total"] == 3
    ratings = {r.name: r for r in summary["ratings"]}
    assert ratings["clarity"].mean == Decimal("3.7")  # 11 / 3, half up
    assert ratings["fairness"].mean == Decimal("3.0")
    assert ratings["ease"].counts == [0, 0, 2, 0, 1]
    assert dict(summary["by_respondent"])["A provider or applicant"] == 2
    assert [c["went_well"] or c["could_improve"] for c in summary["comments"]] == [
        "Clear specification.",
        "Plainer words.",
    ]


def test_an_empty_survey_summarises_to_nothing(office):
    survey = survey_open(office=office, actor=None, title="Round", closes_on=timezone.localdate())
    summary = survey_summary(survey)
    assert summary["total"] == 0
    assert all(r.mean is None for r in summary["ratings"])


def test_a_closed_survey_and_bad_ratings_are_refused(office):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="close today or later"):
        survey_open(office=office, actor=None, title="x", closes_on=today - dt.timedelta(days=1))
    survey = survey_open(office=office, actor=None, title="Round", closes_on=today)
    with pytest.raises(DomainError, match="1 to 5"):
        _answer(survey, "provider", 6, 3, 3)
    with pytest.raises(DomainError, match="closed"):
        survey_respond(
            survey=survey,
            values={"respondent": "provider", "clarity": 3, "fairness": 3, "ease": 3},
            now=timezone.now() + dt.timedelta(days=2),
        )
    assert not FeedbackResponse.objects.exists()


def test_anyone_with_the_link_answers_once_and_errors_are_plain(client, office):
    survey = survey_open(office=office, actor=None, title="Round", closes_on=timezone.localdate())
    url = reverse("cycle:survey_respond", args=[survey.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"respondent": "provider", "clarity": "9"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose an answer from 1 to 5" in text
    assert not FeedbackResponse.objects.exists()
    response = client.post(
        url, {"respondent": "service_user", "clarity": "4", "fairness": "5", "ease": "3"}
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert FeedbackResponse.objects.get().respondent == "service_user"
    assert client.get(reverse("cycle:survey_respond", args=["nope"])).status_code == 404


def test_the_summary_page_is_for_the_offices_staff(client, office, other_office):
    survey = survey_open(office=office, actor=None, title="Round", closes_on=timezone.localdate())
    _answer(survey, "partner", 3, 3, 3)
    url = reverse("cycle:survey_summary", args=[office.slug, survey.pk])
    sign_in(client, staff_user(other_office))
    assert client.get(url).status_code == 404
    client.logout()
    sign_in(client, staff_user(office))
    page = client.get(url).content.decode()
    assert "3.0" in page and survey.token in page


def test_engagement_events_link_projects_and_evidence_their_steps(office, other_office):
    project = project_create(office=office, actor=None, title="Victim care", value=Decimal(1))
    values = {
        "kind": "market_engagement",
        "title": "Market day",
        "held_on": timezone.localdate(),
        "attendees": "Twelve providers",
        "attendee_count": 12,
        "learnt": "Consortium bids are likely.",
    }
    assert "market_engagement" not in steps_done(project, codes=CODES)
    event = engagement_event_save(office=office, actor=None, values=values, projects=[project])
    assert list(project.engagement_events.all()) == [event]
    assert "market_engagement" in steps_done(project, codes=CODES)
    assert "provider_forum" not in steps_done(project, codes=CODES)
    other = project_create(office=other_office, actor=None, title="x", value=Decimal(1))
    with pytest.raises(DomainError, match="own projects"):
        engagement_event_save(office=office, actor=None, values=values, projects=[other])
