"""Reads for engagement events and feedback surveys, and the survey summary for the office."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Prefetch

from commissioning.cycle.engagement.models import (
    RATINGS,
    EngagementEvent,
    FeedbackResponse,
    FeedbackSurvey,
    Respondent,
)
from commissioning.cycle.projects.models import CommissioningProject


def events_for_office(office):
    """The office's events, newest first, with their projects: two queries."""
    return (
        EngagementEvent.objects.filter(office=office)
        .prefetch_related(
            Prefetch("projects", queryset=CommissioningProject.objects.order_by("reference"))
        )
        .order_by("-held_on", "title")
    )


def surveys_for_office(office):
    """The office's surveys with their number of responses: one query."""
    return (
        FeedbackSurvey.objects.filter(office=office)
        .select_related("project")
        .annotate(response_count=Count("responses"))
        .order_by("-closes_on", "title")
    )


@dataclass(frozen=True)
class RatingSummary:
    name: str
    mean: Decimal | None
    counts: list[int]  # how many answered 1, 2, 3, 4, 5


def survey_summary(survey) -> dict:
    """What the office reads: how many answered, as whom, the mean and spread of each rating,
    and the comments. Three queries."""
    responses = FeedbackResponse.objects.filter(survey=survey)
    means = responses.aggregate(**{name: Avg(name) for name in RATINGS}, total=Count("pk"))
    spread = {name: [0, 0, 0, 0, 0] for name in RATINGS}
    by_respondent = dict.fromkeys(Respondent.values, 0)
    comments = []
    for row in responses.order_by("submitted_at").values(
        "respondent", *RATINGS, "went_well", "could_improve"
    ):
        by_respondent[row["respondent"]] += 1
        for name in RATINGS:
            spread[name][row[name] - 1] += 1
        if row["went_well"] or row["could_improve"]:
            comments.append(row)
    ratings = [
        RatingSummary(
            name=name,
            mean=(
                Decimal(str(means[name])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                if means[name] is not None
                else None
            ),
            counts=spread[name],
        )
        for name in RATINGS
    ]
    return {
        "total": means["total"],
        "ratings": ratings,
        "by_respondent": [(Respondent(k).label, v) for k, v in by_respondent.items()],
        "comments": comments,
    }
