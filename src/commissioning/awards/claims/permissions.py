"""Who may see and act on claims. The organisation's members see its claims and prepare them;
only its administrators submit them (a submission declares that the money was spent as set
out). The office's staff read them; its finance officers check them. Anything not yours is a
404, like a missing page."""

import rules
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import roles_in
from commissioning.awards.claims.models import Claim, ClaimStatus
from commissioning.awards.models import Award
from commissioning.awards.permissions import award_for_staff, is_award_reader
from commissioning.organisations.permissions import (
    is_organisation_admin,
    is_organisation_member,
    organisation_for,
)

# The finance roles of an office (accounts.Role) whose holders check claims.
CLAIM_CHECKERS = frozenset({Role.FINANCE_OFFICER, Role.CHIEF_FINANCE_OFFICER})


@rules.predicate
def is_claim_checker(user, office) -> bool:
    return bool(roles_in(user, office) & CLAIM_CHECKERS)


@rules.predicate
def can_submit_claim(user, organisation) -> bool:
    return is_organisation_admin(user, organisation)


@rules.predicate
def can_prepare_claim(user, organisation) -> bool:
    return is_organisation_member(user, organisation)


rules.add_perm("awards.check_claims", is_claim_checker)
rules.add_perm("awards.submit_claims", can_submit_claim)
rules.add_perm("awards.prepare_claims", can_prepare_claim)


def award_for_organisation(user, org_ref: str, reference: str) -> Award:
    """One of the organisation's awards, for its members; 404 for missing and not yours."""
    organisation = organisation_for(user, org_ref)
    award = (
        Award.objects.select_related("organisation", "fund", "office", "application")
        .filter(organisation=organisation, reference=reference)
        .first()
    )
    if award is None:
        raise Http404
    return award


def claim_of(award: Award, number: int, *, staff: bool = False) -> Claim:
    """The award's claim by its number; 404 when missing, and for staff while it is a draft
    (the organisation's work in progress)."""
    claim = Claim.objects.filter(award=award, number=number).first()
    if claim is None or (staff and claim.status == ClaimStatus.DRAFT):
        raise Http404
    claim.award = award
    return claim


def award_for_claim_staff(user, office, reference: str) -> Award:
    """The office's award for staff who read awards; 404 otherwise."""
    if not is_award_reader(user, office):
        raise Http404
    return award_for_staff(
        user, office, reference, queryset=Award.objects.select_related("organisation", "fund")
    )
