"""Who may do what with panels. Officers manage panels and see the conflict register; a panel
member sees only the panels they sit on and their applications, and nothing of an application
they declared a conflict on. Anything not yours is a 404, like a missing page."""

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import roles_in
from commissioning.assessment.models import ConflictDeclaration, Panel, PanelMember

MANAGERS = frozenset({Role.COMMISSIONING_OFFICER, Role.OFFICE_ADMIN})


@rules.predicate
def is_panel_manager(user, office) -> bool:
    return bool(roles_in(user, office) & MANAGERS)


rules.add_perm("assessment.manage_panels", is_panel_manager)


class Conflicted(PermissionDenied):
    """The member declared a conflict of interest on this application."""


def office_for_assessment(user, slug: str):
    """The office if the user holds any staff role in it; 404 otherwise."""
    from commissioning.offices.models import Office

    office = Office.objects.select_related("policy").filter(slug=slug).first()
    if office is None or not roles_in(user, office):
        raise Http404
    return office


def member_of(user, panel: Panel) -> PanelMember | None:
    return PanelMember.objects.active().filter(panel=panel, user=user).first()


def panel_for_user(user, office, panel_id: int) -> tuple[Panel, PanelMember | None]:
    """The panel and the user's seat on it, for its managers and its members; 404 otherwise."""
    panel = (
        Panel.objects.select_related("office", "office__policy", "round", "round__fund")
        .filter(office=office, pk=panel_id)
        .first()
    )
    if panel is None:
        raise Http404
    member = member_of(user, panel) if getattr(user, "is_authenticated", False) else None
    if member is None and not is_panel_manager(user, office):
        raise Http404
    return panel, member


def panel_for_manager(user, office, panel_id: int) -> Panel:
    if not is_panel_manager(user, office):
        raise Http404
    panel, _member = panel_for_user(user, office, panel_id)
    return panel


def entry_for_member(user, panel: Panel, reference: str):
    """An application before the panel, for one of its members; 404 otherwise. Returns the
    application, the member and their declaration (None if not yet declared)."""
    from commissioning.applications.models import Application

    member = member_of(user, panel)
    if member is None:
        raise Http404
    application = (
        Application.objects.select_related("office", "office__policy", "fund", "round")
        .filter(panel_entry__panel=panel, reference=reference)
        .first()
    )
    if application is None:
        raise Http404
    declaration = ConflictDeclaration.objects.filter(member=member, application=application).first()
    return application, member, declaration


def require_no_conflict(declaration: ConflictDeclaration | None) -> None:
    """A member who declared a conflict cannot open, score or see the scores (AS2)."""
    if declaration is not None and declaration.has_conflict:
        raise Conflicted


def conflicted_application_ids(user, panel: Panel) -> set[int]:
    """Applications of the panel the user declared a conflict on, as a member."""
    return set(
        ConflictDeclaration.objects.filter(
            member__panel=panel, member__user=user, has_conflict=True
        ).values_list("application_id", flat=True)
    )
