"""Who may see and change an organisation (SE2). One predicate a question; every page and API
endpoint asks one of them through `organisation_for`, which answers 404 alike for "missing" and
"not yours"."""

import rules
from django.http import Http404

from commissioning.organisations.models import Organisation, OrganisationMember

VIEW = "organisations.view_organisation_record"
CHANGE = "organisations.change_organisation_record"
MANAGE_MEMBERS = "organisations.manage_organisation_members"
ADD_DOCUMENTS = "organisations.add_organisation_documents"


def organisation_roles(user) -> dict[int, str]:
    """The user's role per organisation id, read once and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_organisation_roles", None)
    if cached is None:
        cached = dict(
            OrganisationMember.objects.filter(user=user).values_list("organisation_id", "role")
        )
        user._organisation_roles = cached
    return cached


def forget_organisation_roles(user) -> None:
    """Drop the cached roles after a membership of this user changed."""
    if user is not None:
        user.__dict__.pop("_organisation_roles", None)


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    return organisation is not None and organisation.pk in organisation_roles(user)


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    return (
        organisation is not None
        and organisation_roles(user).get(organisation.pk) == OrganisationMember.Role.ADMIN
    )


@rules.predicate
def can_view_organisation(user, organisation) -> bool:
    """May see the organisation, its members, policies and documents, and download its files.

    Today: its members. Office staff will also read the organisations that applied to their
    office; that question belongs here, so that pages, downloads and the API all follow it.
    """
    return is_organisation_member(user, organisation)


@rules.predicate
def can_change_organisation(user, organisation) -> bool:
    """May change the organisation's details (name, numbers, address)."""
    return is_organisation_admin(user, organisation)


@rules.predicate
def can_manage_members(user, organisation) -> bool:
    """May invite people and remove members."""
    return is_organisation_admin(user, organisation)


@rules.predicate
def can_add_documents(user, organisation) -> bool:
    """May upload policies and documents."""
    return is_organisation_member(user, organisation)


rules.add_perm(VIEW, can_view_organisation)
rules.add_perm(CHANGE, can_change_organisation)
rules.add_perm(MANAGE_MEMBERS, can_manage_members)
rules.add_perm(ADD_DOCUMENTS, can_add_documents)


def organisation_for(user, ref: str, perm: str = VIEW) -> Organisation:
    """The organisation with this reference if the user holds `perm` on it; 404 otherwise,
    exactly as for an organisation that does not exist. The predicates decide alone: being a
    superuser grants nothing here (system administrators use the admin site)."""
    organisation = Organisation.objects.filter(ref=ref).first()
    if organisation is None or not rules.has_perm(perm, user, organisation):
        raise Http404
    return organisation
