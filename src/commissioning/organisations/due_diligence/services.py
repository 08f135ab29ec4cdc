import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.organisations.due_diligence import rules
from commissioning.organisations.due_diligence.models import DueDiligenceCheck, DueDiligenceOutcome
from commissioning.organisations.due_diligence.permissions import can_record

BOOLEAN_FIELDS = tuple(f for fields in rules.CHECK_FIELDS.values() for f in fields)
TEXT_FIELDS = tuple(rules.NOTE_FIELDS.values())


@transaction.atomic
def due_diligence_record(
    *,
    organisation,
    office,
    actor,
    outcome: str,
    checked_on: dt.date | None = None,
    conditions: str = "",
    **checks,
) -> DueDiligenceCheck:
    """Record an office's due diligence on an organisation. `checks` holds the yes/no answers
    (accounts_reviewed, no_irregularities, positive_cash, safeguarding, data_protection,
    effective, partners_supportive) and the notes (financial_notes, non_financial_notes,
    effectiveness_notes, partner_notes). The check is valid for the pack's `valid_months`."""
    unknown = set(checks) - set(BOOLEAN_FIELDS) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown due diligence fields: {', '.join(sorted(unknown))}")
    if not can_record(actor, office):
        raise DomainError(_("You cannot record due diligence for this office."))
    policy = getattr(office, "policy", None)
    if not rules.valid_months(policy):
        raise DomainError(_("This office's policy pack does not set how long due diligence lasts."))
    if outcome not in DueDiligenceOutcome.values:
        raise DomainError(_("Choose pass, pass with conditions or fail."), field="outcome")
    today = timezone.localdate()
    checked_on = checked_on or today
    if checked_on > today:
        raise DomainError(_("The date checked cannot be in the future."), field="checked_on")
    conditions = (conditions or "").strip()
    if outcome == DueDiligenceOutcome.CONDITIONAL and not conditions:
        raise DomainError(_("Enter the conditions of the pass."), field="conditions")
    if outcome != DueDiligenceOutcome.CONDITIONAL:
        conditions = ""
    answers = {f: bool(checks.get(f, False)) for f in BOOLEAN_FIELDS}
    if outcome == DueDiligenceOutcome.PASS:
        unmet = [
            f
            for check in rules.checks_of(policy)
            for f in rules.CHECK_FIELDS[check]
            if not answers[f]
        ]
        if unmet:
            raise DomainError(
                _(
                    "A pass needs every check the office makes to be met. Record a pass with "
                    "conditions or a fail instead, or confirm the checks."
                ),
                field="outcome",
            )
    notes = {f: (checks.get(f) or "").strip() for f in TEXT_FIELDS}
    check = DueDiligenceCheck.objects.create(
        organisation=organisation,
        office=office,
        checked_by=actor,
        checked_on=checked_on,
        outcome=outcome,
        conditions=conditions,
        valid_until=rules.valid_until(checked_on, policy),
        created_by=actor,
        updated_by=actor,
        **answers,
        **notes,
    )
    audit_event_record(
        actor=actor,
        verb="due_diligence.recorded",
        target=check,
        office=office,
        data={
            "organisation": organisation.ref,
            "outcome": outcome,
            "checked_on": checked_on.isoformat(),
            "valid_until": check.valid_until.isoformat(),
        },
    )
    return check
