"""Read queries for claims: an award's claims and what remains unclaimed, the finance list,
and one claim with its lines, evidence and history."""

from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from commissioning.applications.selectors import CheapCountPaginator
from commissioning.awards.claims.models import (
    Claim,
    ClaimEvidence,
    ClaimLine,
    ClaimStatus,
    ClaimStatusChange,
)
from commissioning.awards.claims.rules import unclaimed
from commissioning.core.money import PENNY


def counted_claims(award, *, exclude_pk: int | None = None) -> tuple[Decimal, Decimal]:
    """What approved claims were approved for and what submitted claims ask for: one query."""
    queryset = Claim.objects.filter(award=award)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    totals = queryset.aggregate(
        approved=Sum("approved_amount", filter=Q(status=ClaimStatus.APPROVED)),
        submitted=Sum("amount", filter=Q(status=ClaimStatus.SUBMITTED)),
    )
    return (
        Decimal(totals["approved"] or 0).quantize(PENNY),
        Decimal(totals["submitted"] or 0).quantize(PENNY),
    )


def award_unclaimed(award, *, exclude_pk: int | None = None) -> Decimal:
    approved, submitted = counted_claims(award, exclude_pk=exclude_pk)
    return unclaimed(award.amount, [approved, submitted])


def award_claims(award, *, include_drafts: bool = True):
    """The award's claims, in order, for its pages: one query."""
    queryset = Claim.objects.filter(award=award)
    if not include_drafts:
        queryset = queryset.exclude(status=ClaimStatus.DRAFT)
    return list(queryset.select_related("submitted_by").order_by("number"))


def claim_summary(award, *, include_drafts: bool = True) -> dict:
    """The award's claims with the figures shown beside them: two queries."""
    claims = award_claims(award, include_drafts=include_drafts)
    approved, submitted = counted_claims(award)
    return {
        "claims": claims,
        "approved_total": approved,
        "submitted_total": submitted,
        "unclaimed": unclaimed(award.amount, [approved, submitted]),
    }


def claims_to_check_page(office, status: str, page_number, *, per_page: int = 25):
    """A page of the office's claims in one state (submitted: waiting for finance), oldest
    first: one query for the rows, one for the count."""
    queryset = Claim.objects.filter(award__office=office)
    if status:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.exclude(status=ClaimStatus.DRAFT)
    rows = queryset.for_list().order_by("submitted_at", "id")
    paginator = CheapCountPaginator(rows, per_page, count_queryset=queryset.order_by())
    return paginator.get_page(page_number)


def claim_with_parts(pk: int) -> Claim:
    return (
        Claim.objects.select_related(
            "award",
            "award__organisation",
            "award__fund",
            "award__office",
            "submitted_by",
            "checked_by",
        )
        .prefetch_related(
            Prefetch("lines", queryset=ClaimLine.objects.select_related("budget_line")),
            Prefetch("evidence", queryset=ClaimEvidence.objects.order_by("id")),
            Prefetch(
                "status_changes",
                queryset=ClaimStatusChange.objects.select_related("actor").order_by("at", "id"),
            ),
        )
        .get(pk=pk)
    )


def claims_for_api(award):
    """The award's submitted claims (not drafts) with their lines and evidence: three
    queries."""
    return list(
        Claim.objects.filter(award=award)
        .exclude(status=ClaimStatus.DRAFT)
        .select_related("submitted_by", "checked_by")
        .prefetch_related(
            Prefetch("lines", queryset=ClaimLine.objects.select_related("budget_line")),
            Prefetch("evidence", queryset=ClaimEvidence.objects.order_by("id")),
        )
        .order_by("number")
    )
