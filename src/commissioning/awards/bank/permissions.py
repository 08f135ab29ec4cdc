"""Who sees bank details and payments: an office's finance officers (the Finance officer and
Chief Finance Officer roles), masked, for the organisations that hold an award of that office;
an organisation's own administrators, masked, for their organisation. Anything else is a 404."""

import rules
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import office_for_staff, roles_in
from commissioning.organisations.permissions import is_organisation_admin, organisation_for

FINANCE_ROLES = frozenset({Role.FINANCE_OFFICER, Role.CHIEF_FINANCE_OFFICER})
BANK_DETAILS = "awards.manage_bank_details"


@rules.predicate
def is_finance_officer(user, office) -> bool:
    return bool(roles_in(user, office) & FINANCE_ROLES)


rules.add_perm("awards.act_on_payments", is_finance_officer)
rules.add_perm(BANK_DETAILS, is_organisation_admin)


def finance_office(user, office_slug: str):
    """The office, for its finance officers; 404 for anyone else, as for a missing page."""
    office = office_for_staff(user, office_slug)
    if not is_finance_officer(user, office):
        raise Http404
    return office


def organisation_for_bank_details(user, ref: str):
    """The organisation, for its administrators; 404 for its other members and anyone else."""
    return organisation_for(user, ref, BANK_DETAILS)
