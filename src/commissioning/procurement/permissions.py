"""Who may see and act on procurement. Office staff (not panel members) read their office's
exercises, pools and contracts; commissioning officers, the chief executive and office
administrators run them; an evaluator declares and scores on their own tender. Anything not
yours is a 404."""

import rules
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import STAFF_READERS, office_for_staff, roles_in

PROCUREMENT_MANAGERS = frozenset(
    {Role.COMMISSIONING_OFFICER, Role.CHIEF_EXECUTIVE, Role.OFFICE_ADMIN}
)


@rules.predicate
def is_procurement_reader(user, office) -> bool:
    return bool(roles_in(user, office) & STAFF_READERS)


@rules.predicate
def is_procurement_manager(user, office) -> bool:
    return bool(roles_in(user, office) & PROCUREMENT_MANAGERS)


rules.add_perm("procurement.view_procurement", is_procurement_reader)
rules.add_perm("procurement.manage_procurement", is_procurement_manager)


def office_for_procurement(user, slug: str):
    """The office for its staff; 404 for another office's staff as for a missing office."""
    return office_for_staff(user, slug)


def exercise_for_staff(user, office, reference: str, *, queryset=None):
    from commissioning.procurement.exercises.models import ProcurementExercise

    if not is_procurement_reader(user, office):
        raise Http404
    queryset = ProcurementExercise.objects.all() if queryset is None else queryset
    found = queryset.filter(office=office, reference=reference).first()
    if found is None:
        raise Http404
    return found


def evaluator_of(user, exercise):
    """The user's seat on the exercise's panel, or 404."""
    found = exercise.evaluators.filter(user=user).select_related("exercise").first()
    if found is None:
        raise Http404
    return found
