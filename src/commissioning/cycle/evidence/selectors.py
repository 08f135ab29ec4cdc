"""Searching the evidence library: one query for the page of findings, one for the count."""

from django.core.paginator import Paginator
from django.db.models import Q

from commissioning.cycle.evidence.models import EvidenceItem, EvidenceRating


def evidence_search(office, *, q: str = "", rating: str = "", page_number=1, per_page=25):
    """The office's findings whose intervention, evidence or source mentions every word of
    `q`, optionally of one rating, newest first."""
    queryset = EvidenceItem.objects.filter(office=office)
    for word in q.split()[:10]:
        queryset = queryset.filter(
            Q(intervention__icontains=word)
            | Q(evidence__icontains=word)
            | Q(source__icontains=word)
            | Q(source_reference__icontains=word)
        )
    if rating in EvidenceRating.values:
        queryset = queryset.filter(rating=rating)
    return Paginator(queryset.order_by("-created_at", "-id"), per_page).get_page(page_number)
