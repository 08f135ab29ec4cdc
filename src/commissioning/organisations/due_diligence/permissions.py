"""Who may see and record due diligence. Staff of an office see the checks of organisations
that have applied to it (or have other dealings with it, as the apps that know them register
in `core.registry.organisation_ties`); anything else is a 404."""

from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import STAFF_READERS, roles_in
from commissioning.core import registry
from commissioning.organisations.models import Organisation

RECORDERS = frozenset({Role.COMMISSIONING_OFFICER, Role.FINANCE_OFFICER, Role.OFFICE_ADMIN})


def can_record(user, office) -> bool:
    return bool(roles_in(user, office) & RECORDERS)


def organisation_for_staff(user, office, ref: str) -> Organisation:
    """The organisation if the user is staff of the office (not a panel member) and the
    organisation has applied to it; 404 otherwise."""
    if not roles_in(user, office) & STAFF_READERS:
        raise Http404
    organisation = Organisation.objects.filter(ref=ref).first()
    if organisation is None:
        raise Http404
    if not any(tie(organisation, office) for tie in registry.organisation_ties):
        raise Http404
    return organisation
