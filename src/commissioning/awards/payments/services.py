"""Every write to instalments and payment runs (AG3). Each function runs in one transaction,
checks the state stored, writes an audit event and raises a DomainError with a plain message.

Nothing is paid before the award is active (its agreement countersigned); an in-arrears
instalment waits for its monitoring return to be accepted, an on-claim one for an approved
claim; a finance officer approves, never the person who made or recorded the award's decision
or who proposed the instalment; a payment run pays only to verified bank details, and a
confirmed run writes a `payment` ledger entry for each instalment.

Higher apps call in here: monitoring calls `instalment_return_accepted` when it accepts a
return, claims call `instalment_claim_approved` when a claim is approved.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.awards.bank.selectors import payable_accounts
from commissioning.awards.bank.services import bank_details_for_payment
from commissioning.awards.models import AwardStatus, EntryKind, LedgerEntry
from commissioning.awards.payments import rules
from commissioning.awards.payments.models import (
    INSTALMENT_WORKFLOW,
    PAYMENT_RUN_WORKFLOW,
    Condition,
    Instalment,
    InstalmentStatus,
    InstalmentStatusChange,
    PaymentRun,
    PaymentRunStatus,
    PaymentRunStatusChange,
)
from commissioning.core.errors import DomainError
from commissioning.core.money import financial_year_of
from commissioning.core.spreadsheets import spreadsheet_text
from commissioning.core.transitions import transition
from commissioning.offices.models import Budget, Office


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# Planning ------------------------------------------------------------------------------------


def instalments_plan(*, award, actor) -> list[Instalment]:
    """The award's instalments from its fund's payment schedule, adding up exactly to the
    award. Called by award_make in the same transaction; an award planned already is left."""
    if award.instalments.exists():
        return list(award.instalments.all())
    schedule = rules.schedule_of(award.fund.payment_schedule)
    planned = rules.plan(award.amount, award.starts_on, award.ends_on, schedule)
    now = timezone.now()
    instalments = Instalment.objects.bulk_create(
        [
            Instalment(
                office=award.office,
                award=award,
                sequence=p.sequence,
                label=p.label,
                basis=schedule["kind"],
                amount=p.amount,
                due_on=p.due_on,
                condition=p.condition,
                condition_label=p.condition_label,
                return_key=p.return_key,
                created_by=_user(actor),
            )
            for p in planned
        ]
    )
    InstalmentStatusChange.objects.bulk_create(
        [
            InstalmentStatusChange(
                instalment=i,
                old="",
                new=InstalmentStatus.SCHEDULED,
                actor=_user(actor),
                at=now,
                note=_("Planned when the award was made"),
            )
            for i in instalments
        ]
    )
    audit_event_record(
        actor=actor,
        verb="award.instalments_planned",
        target=award,
        office=award.office,
        data={
            "schedule": schedule["kind"],
            "instalments": [[str(i.amount), i.due_on.isoformat()] for i in instalments],
        },
    )
    return instalments


# Conditions and release ---------------------------------------------------------------------


def _conditions_met(instalment: Instalment, award) -> bool:
    if award.status != AwardStatus.ACTIVE:
        return False
    return instalment.condition == Condition.AGREEMENT or instalment.condition_met_at is not None


def _release(instalment: Instalment, award, actor) -> bool:
    """Make a scheduled instalment releasable when its conditions are met; the person whose
    act met them is recorded as proposing it."""
    if instalment.status != InstalmentStatus.SCHEDULED or not _conditions_met(instalment, award):
        return False
    transition(
        INSTALMENT_WORKFLOW,
        instalment,
        to=InstalmentStatus.RELEASABLE,
        actor=actor,
        note=_("Conditions met: %(condition)s") % {"condition": instalment.condition_label},
    )
    instalment.proposed_by = _user(actor)
    instalment.save(update_fields=["proposed_by", "updated_at"])
    return True


def blocked_reason(instalment: Instalment, award) -> str:
    """Why a scheduled instalment cannot be released yet, in plain words."""
    if instalment.status != InstalmentStatus.SCHEDULED:
        return ""
    if award.status in (AwardStatus.TERMINATED, AwardStatus.COMPLETED):
        return _("The award is %(state)s.") % {"state": award.get_status_display().lower()}
    waiting = []
    if award.status != AwardStatus.ACTIVE:
        waiting.append(_("the grant agreement countersigned"))
    if instalment.condition != Condition.AGREEMENT and instalment.condition_met_at is None:
        waiting.append(instalment.condition_label)
    return _("Waiting for %(what)s.") % {"what": _(" and ").join(str(w) for w in waiting)}


def instalments_on_award_moved(*, award, actor) -> None:
    """Called by award_transition: an award that becomes active releases the instalments whose
    conditions are now met; one terminated withholds every instalment not yet paid."""
    if award.status == AwardStatus.ACTIVE:
        for instalment in award.instalments.filter(status=InstalmentStatus.SCHEDULED):
            _release(instalment, award, actor)
    elif award.status == AwardStatus.TERMINATED:
        for instalment in award.instalments.filter(
            status__in=[
                InstalmentStatus.SCHEDULED,
                InstalmentStatus.RELEASABLE,
                InstalmentStatus.APPROVED,
            ],
            run__isnull=True,
        ):
            _withhold(instalment, _("The award was terminated."), actor)


def instalment_return_accepted(*, award, return_key: str, actor, cause: str = "") -> list:
    """The monitoring app calls this when the office accepts one of the award's returns: the
    in-arrears instalments waiting on that return are released (once the award is active).
    Returns the instalments whose condition it met; none is not an error."""
    with transaction.atomic():
        waiting = list(
            award.instalments.select_for_update().filter(
                condition=Condition.RETURN, return_key=return_key, condition_met_at__isnull=True
            )
        )
        now = timezone.now()
        for instalment in waiting:
            instalment.condition_met_at = now
            instalment.condition_cause = (cause or return_key)[:100]
            instalment.save(update_fields=["condition_met_at", "condition_cause", "updated_at"])
            audit_event_record(
                actor=actor,
                verb="instalment.return_accepted",
                target=instalment,
                office=award.office,
                data={"award": award.reference, "return": return_key, "cause": cause},
            )
            _release(instalment, award, actor)
    return waiting


def instalment_for_approved_claim(*, claim, actor) -> None:
    """Registered with the claims' approval: an approved claim on an award paid on claim
    releases its next instalment. On other schedules a claim is the evidence of spend and
    moves no instalment (in arrears, the accepted return does)."""
    if claim.award.instalments.filter(condition=Condition.CLAIM).exists():
        instalment_claim_approved(award=claim.award, claim_reference=claim.reference, actor=actor)


def instalment_claim_approved(*, award, claim_reference: str, actor):
    """The claims code calls this when it approves a claim on an on-claim award: the next
    instalment waiting for a claim is released (once the award is active). Refused when every
    instalment has had its claim."""
    with transaction.atomic():
        instalment = (
            award.instalments.select_for_update()
            .filter(condition=Condition.CLAIM, condition_met_at__isnull=True)
            .exclude(status=InstalmentStatus.WITHHELD)
            .order_by("sequence")
            .first()
        )
        if instalment is None:
            raise DomainError(
                _("Every instalment of %(ref)s has been claimed already.")
                % {"ref": award.reference}
            )
        instalment.condition_met_at = timezone.now()
        instalment.condition_cause = claim_reference[:100]
        instalment.save(update_fields=["condition_met_at", "condition_cause", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="instalment.claim_approved",
            target=instalment,
            office=award.office,
            data={"award": award.reference, "claim": claim_reference},
        )
        _release(instalment, award, actor)
    return instalment


# Approval and withholding -------------------------------------------------------------------


def _separation_refusal(instalment: Instalment, actor) -> str | None:
    award = instalment.award
    decision = award.decision
    uid = getattr(actor, "pk", None)
    if uid is None:
        return _("An instalment is approved by a finance officer who is signed in.")
    if instalment.proposed_by_id == uid:
        return _(
            "You proposed this instalment for payment, so another finance officer must approve it."
        )
    if decision.signatures.filter(user_id=uid).exists():
        return _(
            "You signed the decision %(number)s that made this award, so another finance "
            "officer must approve its payments."
        ) % {"number": decision.number}
    if award.created_by_id == uid or decision.created_by_id == uid:
        return _(
            "You recorded the decision %(number)s that made this award, so another finance "
            "officer must approve its payments."
        ) % {"number": decision.number}
    return None


def instalment_approve(*, instalment: Instalment, actor, today: dt.date | None = None):
    """A finance officer approves a releasable instalment for the next payment run."""
    from commissioning.awards.bank.permissions import is_finance_officer

    today = today or timezone.localdate()
    with transaction.atomic():
        instalment = Instalment.objects.select_related("award", "award__decision", "office").get(
            pk=instalment.pk
        )
        if not is_finance_officer(actor, instalment.office):
            raise DomainError(_("Only a finance officer of the office approves payments."))
        refusal = _separation_refusal(instalment, actor)
        if refusal:
            raise DomainError(refusal)
        if instalment.award.status != AwardStatus.ACTIVE:
            raise DomainError(
                _("The award is %(state)s: nothing is paid before its agreement is countersigned.")
                % {"state": instalment.award.get_status_display().lower()}
            )
        # A phase after the first is not paid ahead of its date.
        if (
            instalment.basis == rules.PHASED
            and instalment.sequence > 1
            and instalment.due_on > today
        ):
            raise DomainError(
                _("This instalment is not due until %(date)s, so it cannot be approved yet.")
                % {"date": f"{instalment.due_on.day} {instalment.due_on:%B %Y}"}
            )
        transition(INSTALMENT_WORKFLOW, instalment, to=InstalmentStatus.APPROVED, actor=actor)
        instalment.approved_by = actor
        instalment.approved_at = timezone.now()
        instalment.save(update_fields=["approved_by", "approved_at", "updated_at"])
    return instalment


def _withhold(instalment: Instalment, reason: str, actor) -> None:
    transition(
        INSTALMENT_WORKFLOW, instalment, to=InstalmentStatus.WITHHELD, actor=actor, note=reason
    )
    instalment.withheld_reason = reason[:500]
    instalment.save(update_fields=["withheld_reason", "updated_at"])


def instalment_withhold(*, instalment: Instalment, reason: str, actor) -> Instalment:
    """Hold an instalment back, with the reason; refused while it is in a payment run."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for withholding the instalment."), field="reason")
    with transaction.atomic():
        instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
        if instalment.run_id and instalment.status == InstalmentStatus.APPROVED:
            raise DomainError(
                _("The instalment is in payment run %(run)s: cancel the run first.")
                % {"run": instalment.run.reference}
            )
        _withhold(instalment, reason, actor)
    return instalment


def instalment_resolve(*, instalment: Instalment, note: str, actor) -> Instalment:
    """The reason for withholding is resolved: the instalment is scheduled again and released
    at once if its conditions are met. An award that has ended keeps it withheld."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say how the reason for withholding was resolved."), field="note")
    with transaction.atomic():
        instalment = Instalment.objects.select_related("award").get(pk=instalment.pk)
        award = instalment.award
        if award.status in (AwardStatus.TERMINATED, AwardStatus.COMPLETED):
            raise DomainError(
                _("The award is %(state)s, so its instalments stay withheld.")
                % {"state": award.get_status_display().lower()}
            )
        transition(
            INSTALMENT_WORKFLOW, instalment, to=InstalmentStatus.SCHEDULED, actor=actor, note=note
        )
        instalment.withheld_reason = ""
        instalment.save(update_fields=["withheld_reason", "updated_at"])
        _release(instalment, award, actor)
    return instalment


# Payment runs -------------------------------------------------------------------------------


def _run_reference(office: Office, today: dt.date) -> str:
    Office.objects.select_for_update().filter(pk=office.pk).first()
    year = financial_year_of(today)
    prefix = f"{office.code}-PR-{year}-"
    count = PaymentRun.objects.filter(office=office, reference__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


def payment_run_candidates(office: Office):
    """Approved instalments not yet in a run, each with its bank account or the reason it
    cannot be paid: [(instalment, account, reason)]."""
    instalments = list(
        Instalment.objects.filter(office=office, status=InstalmentStatus.APPROVED, run__isnull=True)
        .select_related("award", "award__organisation")
        .order_by("due_on", "award__reference", "sequence")
    )
    accounts = payable_accounts({i.award.organisation_id for i in instalments})
    rows = []
    for instalment in instalments:
        account, waiting = accounts[instalment.award.organisation_id]
        reason = ""
        if instalment.award.status != AwardStatus.ACTIVE:
            reason = _("The award is not active.")
        elif waiting:
            reason = _("A change of the organisation's bank details is waiting for verification.")
        elif account is None:
            reason = _("The organisation has no verified bank details.")
        rows.append((instalment, account if not reason else None, reason))
    return rows


def payment_run_create(*, office: Office, actor) -> PaymentRun:
    """Collect the office's approved instalments that can be paid into a run for the finance
    system; those that cannot are listed on the run as left out, with the reason."""
    from commissioning.awards.bank.permissions import is_finance_officer

    if not is_finance_officer(actor, office):
        raise DomainError(_("Only a finance officer of the office makes a payment run."))
    with transaction.atomic():
        rows = payment_run_candidates(office)
        locked = set(
            Instalment.objects.select_for_update()
            .filter(pk__in=[i.pk for i, _a, _r in rows], status=InstalmentStatus.APPROVED)
            .values_list("pk", flat=True)
        )
        included = [(i, a) for i, a, r in rows if not r and i.pk in locked]
        if not included:
            raise DomainError(
                _("There is no approved instalment that can be paid.")
                + (" " + _("%(n)s left out: see the list.") % {"n": len(rows)} if rows else "")
            )
        run = PaymentRun.objects.create(
            office=office,
            reference=_run_reference(office, timezone.localdate()),
            total=sum((i.amount for i, _a in included), Decimal("0.00")),
            excluded=[
                {"award": i.award.reference, "instalment": i.sequence, "reason": str(r)}
                for i, _a, r in rows
                if r
            ],
            created_by=_user(actor),
        )
        PaymentRunStatusChange.objects.create(
            run=run, old="", new=PaymentRunStatus.OPEN, actor=_user(actor)
        )
        for instalment, account in included:
            instalment.run = run
            instalment.bank_account = account
            instalment.save(update_fields=["run", "bank_account", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="payment_run.created",
            target=run,
            office=office,
            data={
                "instalments": len(included),
                "total": str(run.total),
                "left_out": len(run.excluded),
            },
        )
    return run


FILE_COLUMNS = (
    "payee",
    "sort_code",
    "account_number",
    "roll_number",
    "amount",
    "reference",
    "award",
    "instalment",
    "date",
)


def payment_run_file(*, run: PaymentRun, actor) -> str:
    """The run's CSV for the finance system (docs/payment-file.md), with the full bank details:
    the only place they leave the product. Every download is audited."""
    instalments = list(
        run.instalments.select_related(
            "award", "bank_account", "bank_account__organisation"
        ).order_by("award__reference", "sequence")
    )
    with transaction.atomic():
        details = bank_details_for_payment(
            {i.bank_account for i in instalments},
            actor=actor,
            office=run.office,
            reason=_("Payment file of run %(run)s") % {"run": run.reference},
        )
        audit_event_record(
            actor=actor,
            verb="payment_run.file_downloaded",
            target=run,
            office=run.office,
            data={"instalments": len(instalments), "total": str(run.total)},
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FILE_COLUMNS)
    date = (run.paid_on or timezone.localdate()).isoformat()
    for i in instalments:
        bank = details[i.bank_account_id]
        writer.writerow(
            [
                spreadsheet_text(bank["account_name"]),
                bank["sort_code"],
                bank["account_number"],
                spreadsheet_text(bank["roll_number"]),
                f"{i.amount:.2f}",
                f"{run.reference} {i.award.reference}/{i.sequence}"[:60],
                i.award.reference,
                i.sequence,
                date,
            ]
        )
    return out.getvalue()


def _award_outstanding(award) -> dict[int, Decimal]:
    """What the award has committed and not yet paid, by financial year."""
    by_year: dict[int, Decimal] = {}
    sign = {
        EntryKind.COMMITMENT: 1,
        EntryKind.RELEASE: -1,
        EntryKind.PAYMENT: -1,
        EntryKind.CLAWBACK: 1,
    }
    for entry in LedgerEntry.objects.filter(award=award).select_related("budget"):
        if entry.kind in sign:
            year = entry.budget.financial_year
            by_year[year] = by_year.get(year, Decimal("0.00")) + sign[entry.kind] * entry.amount
    return by_year


def _pay_to_ledger(instalment: Instalment, run: PaymentRun, actor) -> None:
    """A payment entry for the instalment, against its due year's budget; where the award's
    commitment to that year is smaller, the rest is paid from its other years, earliest
    first."""
    from commissioning.awards.services import ledger_entry_add

    award = instalment.award
    outstanding = _award_outstanding(award)
    due_year = financial_year_of(instalment.due_on)
    years = sorted(outstanding, key=lambda y: (y != due_year, y))
    budgets = {b.financial_year: b for b in Budget.objects.filter(fund=award.fund)}
    left = instalment.amount
    for year in years:
        share = min(left, outstanding[year])
        if share <= 0:
            continue
        ledger_entry_add(
            budget=budgets[year],
            kind=EntryKind.PAYMENT,
            amount=share,
            actor=actor,
            reason=_("Instalment %(ref)s, payment run %(run)s")
            % {"ref": f"{award.reference}/{instalment.sequence}", "run": run.reference},
            award=award,
            cause=instalment,
        )
        left -= share
        if left == 0:
            break
    if left > 0:
        raise DomainError(
            _("%(ref)s has less committed and unpaid than this instalment.")
            % {"ref": award.reference}
        )


def payment_run_confirm(*, run: PaymentRun, paid_on: dt.date, actor) -> PaymentRun:
    """Finance confirms the run was paid: each instalment is paid, and the ledger gets its
    payment. Refused for an award that is not active."""
    if paid_on is None:
        raise DomainError(_("Enter the date the finance system paid the run."), field="paid_on")
    if paid_on > timezone.localdate():
        raise DomainError(_("The date paid must be today or in the past."), field="paid_on")
    with transaction.atomic():
        transition(PAYMENT_RUN_WORKFLOW, run, to=PaymentRunStatus.PAID, actor=actor)
        run.paid_on = paid_on
        run.save(update_fields=["paid_on", "updated_at"])
        for instalment in run.instalments.select_related("award", "award__fund").order_by("id"):
            if instalment.award.status != AwardStatus.ACTIVE:
                raise DomainError(
                    _("%(ref)s is %(state)s: nothing is paid before the award is active.")
                    % {
                        "ref": instalment.award.reference,
                        "state": instalment.award.get_status_display().lower(),
                    }
                )
            transition(
                INSTALMENT_WORKFLOW,
                instalment,
                to=InstalmentStatus.PAID,
                actor=actor,
                note=_("Payment run %(run)s") % {"run": run.reference},
            )
            instalment.paid_on = paid_on
            instalment.save(update_fields=["paid_on", "updated_at"])
            _pay_to_ledger(instalment, run, actor)
    return run


def payment_run_cancel(*, run: PaymentRun, reason: str, actor) -> PaymentRun:
    """The run will not be paid: its instalments stay approved, for another run."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for cancelling the run."), field="reason")
    with transaction.atomic():
        transition(
            PAYMENT_RUN_WORKFLOW, run, to=PaymentRunStatus.CANCELLED, actor=actor, note=reason
        )
        for instalment in run.instalments.all():
            instalment.run = None
            instalment.bank_account = None
            instalment.save(update_fields=["run", "bank_account", "updated_at"])
    return run
