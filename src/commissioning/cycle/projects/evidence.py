"""The steps this app's own records evidence (registered in CycleConfig.ready)."""

from commissioning.cycle.engagement.models import EventKind, FeedbackResponse
from commissioning.cycle.hooks import step_evidence_register


def _has_needs_assessment(project) -> bool:
    return project.needs_assessments.exists()


def _has_market_engagement(project) -> bool:
    return project.engagement_events.filter(kind=EventKind.MARKET_ENGAGEMENT).exists()


def _has_provider_forum(project) -> bool:
    return project.engagement_events.filter(kind=EventKind.PROVIDER_FORUM).exists()


def _has_process_feedback(project) -> bool:
    return FeedbackResponse.objects.filter(survey__project=project).exists()


def _has_review(project) -> bool:
    return project.reviews.exists()


def register() -> None:
    step_evidence_register("needs_assessment", _has_needs_assessment)
    step_evidence_register("market_engagement", _has_market_engagement)
    step_evidence_register("provider_forum", _has_provider_forum)
    step_evidence_register("process_feedback", _has_process_feedback)
    step_evidence_register("project_review", _has_review)
