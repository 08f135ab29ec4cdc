"""Who may draw up, send, read, sign and countersign grant agreements. Anything not yours is a
404, like a missing page: another office's agreement for staff, another organisation's award
for an organisation's members."""

import rules
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import roles_in
from commissioning.awards.agreements.models import Agreement, AgreementStatus
from commissioning.awards.agreements.services import countersigning_roles
from commissioning.awards.models import Award
from commissioning.awards.permissions import is_award_reader
from commissioning.organisations.permissions import is_organisation_admin, organisation_for

AGREEMENT_SENDERS = frozenset({Role.COMMISSIONING_OFFICER, Role.OFFICE_ADMIN})


@rules.predicate
def is_agreement_sender(user, office) -> bool:
    """May draw up and send an award's agreement."""
    return bool(roles_in(user, office) & AGREEMENT_SENDERS)


@rules.predicate
def is_countersigner(user, office) -> bool:
    """Holds a role the office's pack names to countersign agreements."""
    return bool(roles_in(user, office) & set(countersigning_roles(office)))


@rules.predicate
def can_sign_for_organisation(user, organisation) -> bool:
    """The organisation's authorised signatory: one of its administrators."""
    return is_organisation_admin(user, organisation)


rules.add_perm("awards.send_agreement", is_agreement_sender)
rules.add_perm("awards.countersign_agreement", is_countersigner)
rules.add_perm("awards.sign_agreement", can_sign_for_organisation)


def agreement_for_staff(user, office, award: Award, version: int) -> Agreement:
    if not is_award_reader(user, office) or award.office_id != office.pk:
        raise Http404
    agreement = Agreement.objects.filter(award=award, version=version).first()
    if agreement is None:
        raise Http404
    return agreement


def award_for_organisation(user, org_ref: str, reference: str):
    """The organisation (the user a member of it) and its award; 404 otherwise."""
    organisation = organisation_for(user, org_ref)
    award = (
        Award.objects.select_related("office", "office__policy", "fund", "organisation")
        .filter(organisation=organisation, reference=reference)
        .first()
    )
    if award is None:
        raise Http404
    return organisation, award


def agreement_for_organisation(award: Award, version: int) -> Agreement:
    """A version the office has sent; a draft is the office's alone."""
    agreement = (
        Agreement.objects.filter(award=award, version=version)
        .exclude(status=AgreementStatus.DRAFT)
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement
