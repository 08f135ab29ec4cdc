"""Who may see or change an application. Anything not yours is a 404, like a missing page."""

import rules
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import STAFF_READERS, office_for_staff, roles_in
from commissioning.applications.models import Application

SCREENERS = frozenset({Role.COMMISSIONING_OFFICER, Role.OFFICE_ADMIN})


def organisation_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_organisation_ids", None)
    if cached is None:
        cached = set(user.organisation_memberships.values_list("organisation_id", flat=True))
        user._organisation_ids = cached
    return cached


@rules.predicate
def is_applicant_member(user, application) -> bool:
    return application.organisation_id in organisation_ids(user)


@rules.predicate
def is_office_reader(user, application) -> bool:
    return bool(roles_in(user, application.office) & STAFF_READERS)


@rules.predicate
def is_office_screener(user, application) -> bool:
    return bool(roles_in(user, application.office) & SCREENERS)


@rules.predicate
def is_editable(user, application) -> bool:
    return application.is_editable


rules.add_perm("applications.view_application", is_applicant_member | is_office_reader)
rules.add_perm("applications.edit_application", is_applicant_member & is_editable)
rules.add_perm("applications.withdraw_application", is_applicant_member)
rules.add_perm("applications.screen_application", is_office_screener)


@rules.predicate
def is_round_manager(user, office) -> bool:
    return bool(roles_in(user, office) & SCREENERS)


rules.add_perm("applications.manage_rounds", is_round_manager)


def application_for_applicant(user, public_id: str) -> Application:
    """The application if the user belongs to its organisation; 404 otherwise."""
    application = (
        Application.objects.select_related(
            "office", "office__policy", "fund", "round", "organisation"
        )
        .filter(public_id=public_id)
        .first()
    )
    if application is None or not is_applicant_member(user, application):
        raise Http404
    return application


def application_for_staff(user, office, reference: str, *, queryset=None) -> Application:
    """A submitted application of the office, for its staff (not panel members); 404 otherwise.
    `queryset` may add what the page shows (prefetches) to the same query."""
    if not roles_in(user, office) & STAFF_READERS:
        raise Http404
    if queryset is None:
        queryset = Application.objects.select_related(
            "office", "office__policy", "fund", "round", "organisation"
        )
    application = queryset.filter(office=office, reference=reference).first()
    if application is None:
        raise Http404
    return application


def application_for_staff_at(user, office_slug: str, reference: str, *, queryset) -> Application:
    """As application_for_staff, finding the office through the application: one query."""
    application = queryset.filter(office__slug=office_slug, reference=reference).first()
    if application is None or not roles_in(user, application.office) & STAFF_READERS:
        raise Http404
    return application


def office_for_round_managers(user, slug: str):
    """The office if the user is one of its commissioning officers or administrators; 404
    otherwise, for staff of other offices and applicants alike."""
    office = office_for_staff(user, slug)
    if not is_round_manager(user, office):
        raise Http404
    return office
