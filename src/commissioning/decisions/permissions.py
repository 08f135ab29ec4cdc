"""Who may see, draft, sign and publish decision records, and read letters. Anything not yours
is a 404, like a missing page."""

import rules
from allauth.account.authentication import get_authentication_records
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import roles_in
from commissioning.applications.permissions import STAFF_READERS, organisation_ids
from commissioning.decisions.models import DecisionRecord, Letter

DECISION_READERS = STAFF_READERS
DECISION_EDITORS = frozenset({Role.COMMISSIONING_OFFICER, Role.OFFICE_ADMIN})


@rules.predicate
def is_decision_reader(user, office) -> bool:
    return bool(roles_in(user, office) & DECISION_READERS)


@rules.predicate
def is_decision_editor(user, office) -> bool:
    return bool(roles_in(user, office) & DECISION_EDITORS)


@rules.predicate
def holds_required_role(user, decision) -> bool:
    return bool(roles_in(user, decision.office) & set(decision.required_roles))


rules.add_perm("decisions.view_decisions", is_decision_reader)
rules.add_perm("decisions.draft_decision", is_decision_editor)
rules.add_perm("decisions.sign_decision", holds_required_role)


def decision_for_staff(user, office, slug: str) -> DecisionRecord:
    """The office's record for its staff (not panel members); 404 otherwise."""
    if not is_decision_reader(user, office):
        raise Http404
    decision = DecisionRecord.objects.filter(office=office, slug=slug).only("id").first()
    if decision is None:
        raise Http404
    return decision


def letter_for_user(user, public_id: str) -> Letter:
    """A letter for the office's staff, or for a member of the applicant organisation once it
    has been sent; 404 otherwise."""
    letter = (
        Letter.objects.select_related(
            "decision", "decision__office", "application", "application__organisation"
        )
        .filter(public_id=public_id)
        .first()
    )
    if letter is None:
        raise Http404
    if is_decision_reader(user, letter.decision.office):
        return letter
    if letter.sent_at and letter.application.organisation_id in organisation_ids(user):
        return letter
    raise Http404


def mfa_passed(request) -> bool:
    """Whether the user completed multi-factor sign-in (or re-authentication) this session."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)
