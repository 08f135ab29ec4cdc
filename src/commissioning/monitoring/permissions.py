"""Who may see and act on monitoring. Office staff (not panel members) read their office's
schedules and returns; commissioning officers review returns and change due dates; the
organisation's members fill in and submit its own returns, whether of an award or of another
subject (a contract, its provider's). Anything not yours is a 404."""

import rules
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import STAFF_READERS, roles_in
from commissioning.monitoring.models import MonitoringReturn
from commissioning.organisations.permissions import is_organisation_member

MONITORING_READERS = STAFF_READERS
MONITORING_REVIEWERS = frozenset(
    {Role.COMMISSIONING_OFFICER, Role.CHIEF_EXECUTIVE, Role.OFFICE_ADMIN}
)


@rules.predicate
def is_monitoring_reader(user, office) -> bool:
    return bool(roles_in(user, office) & MONITORING_READERS)


@rules.predicate
def is_monitoring_reviewer(user, office) -> bool:
    return bool(roles_in(user, office) & MONITORING_REVIEWERS)


@rules.predicate
def can_fill_in_return(user, monitoring_return) -> bool:
    return is_organisation_member(user, monitoring_return.schedule.organisation)


rules.add_perm("monitoring.view_monitoring", is_monitoring_reader)
rules.add_perm("monitoring.review_returns", is_monitoring_reviewer)
rules.add_perm("monitoring.fill_in_return", can_fill_in_return)


def return_for_staff(user, office, award_reference: str, number: int, *, queryset=None):
    """The office's return for its staff, by the reference of its award (or other subject);
    404 for missing and for not yours alike."""
    if not is_monitoring_reader(user, office):
        raise Http404
    queryset = MonitoringReturn.objects.all() if queryset is None else queryset
    found = queryset.filter(
        office=office, schedule__subject_reference=award_reference, number=number
    ).first()
    if found is None:
        raise Http404
    return found


def return_for_organisation(
    user, organisation, award_reference: str, number: int, *, queryset=None
):
    """The organisation's own return for its members; 404 otherwise."""
    if not is_organisation_member(user, organisation):
        raise Http404
    queryset = MonitoringReturn.objects.all() if queryset is None else queryset
    found = queryset.filter(
        schedule__organisation=organisation,
        schedule__subject_reference=award_reference,
        number=number,
    ).first()
    if found is None:
        raise Http404
    return found
