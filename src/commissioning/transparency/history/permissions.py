"""Who reads the audit trail: a record's history is for the office's staff (not panel
members); the office-wide log and its CSV for its auditors and administrators."""

import rules

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import STAFF_READERS, roles_in

LOG_READERS = frozenset({Role.AUDITOR, Role.OFFICE_ADMIN})


@rules.predicate
def is_history_reader(user, office) -> bool:
    return bool(roles_in(user, office) & STAFF_READERS)


@rules.predicate
def is_audit_log_reader(user, office) -> bool:
    return bool(roles_in(user, office) & LOG_READERS)


rules.add_perm("audit.view_record_history", is_history_reader)
rules.add_perm("audit.view_audit_log", is_audit_log_reader)
