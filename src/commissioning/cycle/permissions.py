"""Who may see and change the office's commissioning: its staff (not panel members) read it;
commissioning officers, the chief executive and office administrators change it. Another
office's staff, applicants and anyone else get a 404, as for a missing record."""

import rules
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import STAFF_READERS, office_for_staff, roles_in

COMMISSIONING_READERS = STAFF_READERS
COMMISSIONING_EDITORS = frozenset(
    {Role.COMMISSIONING_OFFICER, Role.CHIEF_EXECUTIVE, Role.OFFICE_ADMIN}
)


@rules.predicate
def is_commissioning_reader(user, office) -> bool:
    return bool(roles_in(user, office) & COMMISSIONING_READERS)


@rules.predicate
def is_commissioning_editor(user, office) -> bool:
    return bool(roles_in(user, office) & COMMISSIONING_EDITORS)


rules.add_perm("cycle.view_commissioning", is_commissioning_reader)
rules.add_perm("cycle.change_commissioning", is_commissioning_editor)


def office_for_reader(user, slug: str):
    """The office, for staff who read its commissioning; 404 otherwise."""
    office = office_for_staff(user, slug)
    if not is_commissioning_reader(user, office):
        raise Http404
    return office


def office_for_editor(user, slug: str):
    """The office, for staff who change its commissioning; 404 otherwise."""
    office = office_for_reader(user, slug)
    if not is_commissioning_editor(user, office):
        raise Http404
    return office
