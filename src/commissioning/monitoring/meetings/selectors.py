from django.db.models import Count, Prefetch, Q

from commissioning.monitoring.meetings.models import MeetingAction
from commissioning.monitoring.models import MonitoringMeeting


def office_meetings(office, *, held: bool | None = None):
    """The office's monitoring meetings with their awards and the number of open actions:
    one query."""
    queryset = MonitoringMeeting.objects.filter(office=office)
    if held is not None:
        queryset = queryset.filter(held_on__isnull=not held)
    return (
        queryset.select_related("award", "award__organisation")
        .annotate(open_actions=Count("actions", filter=Q(actions__done_on__isnull=True)))
        .order_by("due_on", "award_id", "number")
    )


def meeting_with_parts(office, award_reference: str, number: int):
    """One meeting with its attendees and actions (three queries), or None."""
    return (
        MonitoringMeeting.objects.filter(
            office=office, award__reference=award_reference, number=number
        )
        .select_related("award", "award__organisation", "schedule")
        .prefetch_related(
            "attendees",
            Prefetch("actions", queryset=MeetingAction.objects.order_by("due_on", "id")),
        )
        .first()
    )
