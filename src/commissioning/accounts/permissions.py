"""Who may do what. One predicate a question; every view and API endpoint asks one of them."""

import rules
from django.http import Http404

from commissioning.accounts.models import Role

STAFF_ROLES = frozenset(Role.values)
# Staff who read an office's casework: every role but the independent panel member's.
STAFF_READERS = frozenset(Role.values) - {Role.PANEL_MEMBER}
SETUP_READERS = frozenset(Role.values)
SETUP_EDITORS = frozenset({Role.OFFICE_ADMIN})


def office_roles(user) -> dict[int, frozenset[str]]:
    """Active roles per office id, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_office_roles", None)
    if cached is None:
        grouped: dict[int, set[str]] = {}
        for office_id, role in user.memberships.active().values_list("office_id", "role"):
            grouped.setdefault(office_id, set()).add(role)
        cached = {office_id: frozenset(roles) for office_id, roles in grouped.items()}
        user._office_roles = cached
    return cached


def admin_office_ids(user) -> set[int]:
    """The ids of the offices the user administers."""
    return {oid for oid, roles in office_roles(user).items() if Role.OFFICE_ADMIN in roles}


def roles_in(user, office) -> frozenset[str]:
    if office is None:
        return frozenset()
    return office_roles(user).get(office.pk, frozenset())


def is_staff_member(user) -> bool:
    """Holds any staff role in any office, or may use the admin site (and so must use
    multi-factor sign-in)."""
    return (
        bool(office_roles(user))
        or bool(getattr(user, "is_staff", False))
        or bool(getattr(user, "is_superuser", False))
    )


@rules.predicate
def is_office_staff(user, office) -> bool:
    return bool(roles_in(user, office) & STAFF_ROLES)


@rules.predicate
def is_office_admin(user, office) -> bool:
    return Role.OFFICE_ADMIN in roles_in(user, office)


rules.add_perm("offices.view_office_setup", is_office_staff | rules.is_superuser)
rules.add_perm("offices.change_office_setup", is_office_admin | rules.is_superuser)


def can_retry_job(user, job) -> bool:
    """The office's administrators retry its failed background work; system administrators
    any office's, and work that belongs to no office."""
    if getattr(user, "is_superuser", False):
        return True
    return job.office_id is not None and is_office_admin(user, job.office)


def require(user, perm: str, obj) -> None:
    """404 for 'not yours' exactly as for 'missing', so nothing leaks about other offices."""
    if not user.has_perm(perm, obj):
        raise Http404


def office_for_staff(user, slug: str):
    """The office, for its staff (not panel members); 404 for 'not yours' as for 'missing'."""
    from commissioning.offices.models import Office

    office = Office.objects.select_related("policy").filter(slug=slug).first()
    if office is None or not roles_in(user, office) & STAFF_READERS:
        raise Http404
    return office
