"""Who may see awards and the ledger: the office's staff (not panel members). Anything not
yours is a 404, like a missing page."""

import rules
from django.http import Http404

from commissioning.accounts.permissions import STAFF_READERS, roles_in
from commissioning.awards.models import Award

AWARD_READERS = STAFF_READERS


@rules.predicate
def is_award_reader(user, office) -> bool:
    return bool(roles_in(user, office) & AWARD_READERS)


rules.add_perm("awards.view_awards", is_award_reader)


def award_for_staff(user, office, reference: str, *, queryset=None) -> Award:
    """The office's award for its staff; 404 for missing and for not yours alike."""
    if not is_award_reader(user, office):
        raise Http404
    queryset = Award.objects.all() if queryset is None else queryset
    award = queryset.filter(office=office, reference=reference).first()
    if award is None:
        raise Http404
    return award
