"""Every write to awards and the budget ledger. Each function runs in one transaction, checks
the state it starts from, writes an audit event, and raises a DomainError with a plain message
when it cannot proceed.

The ledger is append-only: balances are sums of entries. A service that adds an entry locks
the budget row first (`select_for_update`, a real row lock on PostgreSQL), then reads the
balance and checks it, so two commitments can never both take the last of a budget."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.awards.hooks import award_made_handlers
from commissioning.awards.models import (
    AWARD_WORKFLOW,
    SIGNED_KINDS,
    Award,
    AwardStatus,
    AwardStatusChange,
    EntryKind,
    LedgerEntry,
    search_text_of,
)
from commissioning.awards.rules import award_period, money_exact, year_shares
from commissioning.awards.selectors import Balance, balance_of, balances_for
from commissioning.core.errors import DomainError
from commissioning.core.money import financial_year_label, financial_year_of, to_money
from commissioning.core.transitions import transition
from commissioning.offices.models import Budget


def _append(
    budget: Budget,
    kind: str,
    amount: Decimal,
    *,
    actor,
    reason: str,
    award=None,
    cause=None,
    at=None,
) -> LedgerEntry:
    return LedgerEntry.objects.create(
        budget=budget,
        kind=kind,
        amount=amount,
        award=award,
        cause=cause,
        reason=reason[:500],
        actor=actor if getattr(actor, "pk", None) else None,
        at=at or timezone.now(),
    )


def _where(budget: Budget) -> str:
    return _("the %(fund)s for %(year)s") % {
        "fund": budget.fund.name,
        "year": financial_year_label(budget.financial_year),
    }


def _refuse_commitment(amount: Decimal, balance: Balance, budget: Budget) -> None:
    raise DomainError(
        _("%(amount)s is more than the %(remaining)s that remains in %(where)s.")
        % {
            "amount": money_exact(amount),
            "remaining": money_exact(max(balance.remaining, Decimal("0"))),
            "where": _where(budget),
        },
        field="amount",
    )


def _check(budget: Budget, balance: Balance, kind: str, amount: Decimal) -> None:
    """Refuse an entry that would break the ledger's rules: nothing committed beyond what
    remains, nothing paid beyond what is committed, nothing clawed back beyond what was paid."""
    if amount == 0 or (amount < 0 and kind not in SIGNED_KINDS):
        raise DomainError(_("Give an amount of more than £0."), field="amount")
    where = _where(budget)
    figures = {"amount": money_exact(abs(amount)), "where": where}
    if kind == EntryKind.COMMITMENT and amount > balance.remaining:
        _refuse_commitment(amount, balance, budget)
    if kind in {EntryKind.PAYMENT, EntryKind.RELEASE} and amount > balance.outstanding:
        raise DomainError(
            _(
                "%(amount)s is more than the %(outstanding)s committed and not yet paid in "
                "%(where)s."
            )
            % {**figures, "outstanding": money_exact(balance.outstanding)},
            field="amount",
        )
    if kind == EntryKind.CLAWBACK and amount > balance.paid:
        raise DomainError(
            _("%(amount)s is more than the %(paid)s paid from %(where)s.")
            % {**figures, "paid": money_exact(balance.paid)},
            field="amount",
        )
    shrinks = (kind == EntryKind.TOP_SLICE and amount > 0) or (
        kind == EntryKind.ADJUSTMENT and amount < 0
    )
    if shrinks and abs(amount) > balance.remaining:
        raise DomainError(
            _("%(amount)s is more than the %(remaining)s that remains in %(where)s.")
            % {**figures, "remaining": money_exact(max(balance.remaining, Decimal("0")))},
            field="amount",
        )
    if kind == EntryKind.TOP_SLICE and amount < 0 and -amount > balance.top_sliced:
        raise DomainError(
            _("Only %(top)s is set aside in %(where)s.")
            % {"top": money_exact(balance.top_sliced), "where": where},
            field="amount",
        )


def _locked(budgets) -> dict[int, Budget]:
    """Lock budget rows in a fixed order (by id), so two services never wait on each other."""
    ids = sorted({b.pk for b in budgets})
    rows = Budget.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
    return {b.pk: b for b in rows.select_related("fund", "fund__office")}


def ledger_entry_add(
    *,
    budget: Budget,
    kind: str,
    amount,
    actor,
    reason: str,
    award: Award | None = None,
    cause=None,
) -> LedgerEntry:
    """Append one entry to a budget's ledger, after checking it against the balance read
    under the budget's row lock."""
    if kind not in EntryKind.values:
        raise DomainError(_("'%(kind)s' is not a kind of ledger entry.") % {"kind": kind})
    try:
        amount = to_money(amount)
    except ValueError as exc:
        raise DomainError(str(exc), field="amount") from exc
    if not reason.strip():
        raise DomainError(_("Give the reason for this entry."), field="reason")
    with transaction.atomic():
        locked = _locked([budget])[budget.pk]
        _sync_budgets([locked], actor=actor)
        _check(locked, balance_of(locked), kind, amount)
        entry = _append(
            locked, kind, amount, actor=actor, reason=reason.strip(), award=award, cause=cause
        )
        audit_event_record(
            actor=actor,
            verb=f"ledger.{kind}",
            target=entry,
            office=locked.fund.office,
            data={
                "budget": str(locked),
                "amount": str(amount),
                "award": award.reference if award else None,
            },
        )
    return entry


def ledger_commit(*, budget: Budget, amount, actor, reason: str, award=None, cause=None):
    """Commit money from a budget; refused with both figures when it is more than remains."""
    return ledger_entry_add(
        budget=budget,
        kind=EntryKind.COMMITMENT,
        amount=amount,
        actor=actor,
        reason=reason,
        award=award,
        cause=cause,
    )


# Allocations from the policy pack ------------------------------------------------------------


def _sync_budgets(budgets: list[Budget], *, actor, cause=None) -> list[LedgerEntry]:
    """Bring the ledger's allocation and top-slices to what the budget rows say, with new
    entries only: the first allocation, then adjustments for any change. Call with the budget
    rows locked."""
    balances = balances_for(budgets)
    top_slices: dict[int, Decimal] = {b.pk: Decimal("0.00") for b in budgets}
    from commissioning.offices.models import BudgetTopSlice

    for top in BudgetTopSlice.objects.filter(budget__in=[b.pk for b in budgets]):
        top_slices[top.budget_id] += top.amount
    entries = []
    for budget in budgets:
        balance = balances[budget.pk]
        allocation_change = budget.allocation - balance.allocated
        top_change = top_slices[budget.pk] - balance.top_sliced
        if not allocation_change and not top_change:
            continue
        if balance.net_committed > budget.allocation - top_slices[budget.pk]:
            raise DomainError(
                _(
                    "%(where)s would have %(available)s to award, but %(committed)s is already "
                    "committed from it."
                )
                % {
                    "where": _where(budget)[0].upper() + _where(budget)[1:],
                    "available": money_exact(budget.allocation - top_slices[budget.pk]),
                    "committed": money_exact(balance.net_committed),
                }
            )
        if allocation_change:
            first = balance.allocation == 0 and balance.adjustment == 0
            kind = EntryKind.ALLOCATION if first and allocation_change > 0 else EntryKind.ADJUSTMENT
            reason = (
                _("Allocation in the policy pack")
                if kind == EntryKind.ALLOCATION
                else _("Allocation changed from %(old)s to %(new)s")
                % {"old": money_exact(balance.allocated), "new": money_exact(budget.allocation)}
            )
            entries.append(
                LedgerEntry(budget=budget, kind=kind, amount=allocation_change, reason=reason)
            )
        if top_change:
            entries.append(
                LedgerEntry(
                    budget=budget,
                    kind=EntryKind.TOP_SLICE,
                    amount=top_change,
                    reason=_("Set aside in the policy pack (now %(total)s)")
                    % {"total": money_exact(top_slices[budget.pk])},
                )
            )
    now = timezone.now()
    actor = actor if getattr(actor, "pk", None) else None
    for entry in entries:
        entry.actor, entry.at, entry.cause = actor, now, cause
    return LedgerEntry.objects.bulk_create(entries)


def ledger_sync_office(*, office, actor=None) -> list[LedgerEntry]:
    """After a policy pack is loaded: the ledger of each of the office's budgets gets the
    entries that make it match the pack. Loading the same pack again adds nothing."""
    with transaction.atomic():
        budgets = list(_locked(Budget.objects.filter(fund__office=office)).values())
        entries = _sync_budgets(budgets, actor=actor, cause=getattr(office, "policy", None))
        if entries:
            audit_event_record(
                actor=actor,
                verb="ledger.synced_with_pack",
                target=office,
                office=office,
                data={"entries": len(entries)},
            )
    return entries


# Awards -------------------------------------------------------------------------------------


def award_contact(application) -> tuple[str, str, str]:
    """Whom the award letter is addressed to (DE3): the senior officer the application names,
    or the organisation's contact."""
    from commissioning.decisions.services import award_letter_recipient

    name, email = award_letter_recipient(application)
    role = application.senior_officer_role if application.senior_officer_email else ""
    return str(name), role, email


def award_make(*, decision, link, actor, now: dt.datetime | None = None) -> Award:
    """The award of one approved line of a signed decision, with its amount committed to the
    budget of each financial year it runs in. Refused when a year has no budget or too little
    remains in it; the caller's transaction (the signing) then keeps nothing."""
    now = now or timezone.now()
    application = link.application
    fund = application.fund
    if Award.objects.filter(application=application).exists():
        raise DomainError(_("%(ref)s already has an award.") % {"ref": application.reference})
    starts_on, ends_on = award_period(
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        decided_on=timezone.localtime(now).date(),
        months=fund.default_award_months,
    )
    shares = year_shares(link.amount, starts_on, ends_on)
    with transaction.atomic():
        budgets = {
            b.financial_year: b
            for b in Budget.objects.filter(fund=fund, financial_year__in=[y for y, _ in shares])
        }
        for year, _share in shares:
            if year not in budgets:
                raise DomainError(
                    _(
                        "%(ref)s: there is no budget for the %(fund)s in %(year)s, so the award "
                        "cannot be committed."
                    )
                    % {
                        "ref": application.reference,
                        "fund": fund.name,
                        "year": financial_year_label(year),
                    }
                )
        locked = _locked(budgets.values())
        _sync_budgets(list(locked.values()), actor=actor)
        balances = balances_for(locked.values())
        for year, share in shares:
            budget = budgets[year]
            balance = balances[budget.pk]
            if share > balance.remaining:
                try:
                    _refuse_commitment(share, balance, locked[budget.pk])
                except DomainError as exc:
                    raise DomainError(f"{application.reference}: {exc.message}") from None
        name, role, email = award_contact(application)
        award = Award.objects.create(
            office=decision.office,
            reference=application.reference,
            application=application,
            decision=decision,
            decision_line=link,
            organisation=application.organisation,
            fund=fund,
            title=application.title,
            amount=link.amount,
            starts_on=starts_on,
            ends_on=ends_on,
            first_year=financial_year_of(starts_on),
            last_year=financial_year_of(ends_on),
            contact_name=name,
            contact_role=role,
            contact_email=email,
            made_at=now,
            search_text=search_text_of(
                application.organisation.name,
                application.title,
                application.short_description,
            ),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        AwardStatusChange.objects.create(
            award=award,
            old="",
            new=AwardStatus.OFFERED,
            actor=actor if getattr(actor, "pk", None) else None,
            at=now,
            note=_("Made by decision %(number)s") % {"number": decision.number},
        )
        for year, share in shares:
            _append(
                locked[budgets[year].pk],
                EntryKind.COMMITMENT,
                share,
                actor=actor,
                reason=_("Award %(ref)s, decision %(number)s")
                % {"ref": award.reference, "number": decision.number},
                award=award,
                at=now,
            )
        audit_event_record(
            actor=actor,
            verb="award.made",
            target=award,
            office=decision.office,
            data={
                "decision": decision.number,
                "amount": str(award.amount),
                "years": {financial_year_label(y): str(s) for y, s in shares},
            },
        )
        for handler in award_made_handlers():
            handler(award=award, actor=actor, now=now)
        # Its instalments, from the fund's payment schedule (awards/payments).
        from commissioning.awards.payments.services import instalments_plan

        instalments_plan(award=award, actor=actor)
    return award


def awards_from_decision(*, decision, links, actor, now=None) -> list[Award]:
    """Registered with the decisions app: a fully signed record makes an award of each
    approved line."""
    return [award_make(decision=decision, link=link, actor=actor, now=now) for link in links]


def awards_search_text_refresh(*, organisation, changed, actor=None) -> int:
    """Registered with the organisations app: when an organisation is renamed, the search text
    of its awards takes the new name, so the public register finds them by the name it shows.
    Runs inside the rename's transaction; returns the number of awards changed."""
    if "name" not in changed:
        return 0
    awards = list(
        Award.objects.filter(organisation=organisation)
        .select_related("application")
        .only("pk", "title", "search_text", "application__short_description")
    )
    for award in awards:
        award.search_text = search_text_of(
            organisation.name, award.title, award.application.short_description
        )
    Award.objects.bulk_update(awards, ["search_text"], batch_size=500)
    return len(awards)


def award_transition(*, award: Award, to: str, actor, note: str = "") -> Award:
    """Move an award to another state if its workflow allows the move from the state stored
    now; the change and its audit event are recorded (core.transitions)."""
    from commissioning.awards.payments.services import instalments_on_award_moved

    with transaction.atomic():
        transition(AWARD_WORKFLOW, award, to=to, actor=actor, note=note)
        # Active releases the instalments whose conditions are met; terminated withholds them.
        instalments_on_award_moved(award=award, actor=actor)
    return award
