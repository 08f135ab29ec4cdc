"""Every write of variations and early terminations. Each function runs in one transaction,
checks the state it starts from, writes an audit event and raises a DomainError with a plain
message when it cannot proceed.

Money moves only through the ledger's own service (`ledger_entry_add`), under the budget rows'
locks, taken here first in a fixed order (by id) so two services never wait on each other."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from commissioning.accounts.permissions import roles_in
from commissioning.audit.services import audit_event_record
from commissioning.awards.models import Award, AwardStatus, EntryKind
from commissioning.awards.rules import money_exact, year_shares
from commissioning.awards.selectors import balances_for
from commissioning.awards.services import award_transition, ledger_entry_add
from commissioning.awards.variations.hooks import (
    award_terminated_handlers,
    variation_approved_handlers,
)
from commissioning.awards.variations.models import (
    PENDING,
    VARIATION_WORKFLOW,
    Termination,
    Variation,
    VariationStatus,
    VariationStatusChange,
)
from commissioning.awards.variations.permissions import OPEN_STATES, PROPOSERS
from commissioning.awards.variations.rules import (
    approver_roles,
    clawback_by_year,
    decision_covers,
    ledger_moves,
    needs_decision,
    terminator_roles,
)
from commissioning.awards.variations.selectors import award_outcomes, award_year_figures
from commissioning.core.dates import govuk_date
from commissioning.core.errors import DomainError
from commissioning.core.money import financial_year_label, financial_year_of, to_money
from commissioning.core.transitions import transition
from commissioning.decisions.models import DecisionRecord, DecisionStatus
from commissioning.decisions.services import decision_create_for_subject
from commissioning.offices.models import Budget

ZERO = Decimal("0.00")
SUBJECT_KIND = "variation"


def _role_names(roles) -> str:
    from commissioning.decisions.services import role_label

    return get_text_list([role_label(r) for r in sorted(roles)], _("or"))


def _money(value, field: str) -> Decimal:
    try:
        return to_money(value)
    except (ValueError, TypeError) as exc:
        raise DomainError(str(exc), field=field) from exc


def _locked_award(award: Award) -> Award:
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("office", "office__policy", "fund", "application")
        .get(pk=award.pk)
    )


def _lock_budgets(budgets) -> None:
    ids = sorted({b.pk for b in budgets})
    list(Budget.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _where(fund, year: int) -> str:
    return _("the %(fund)s for %(year)s") % {
        "fund": fund.name,
        "year": financial_year_label(year),
    }


def _plan(award: Award, *, amount: Decimal, starts_on: dt.date, ends_on: dt.date):
    """The ledger moves that give the award `amount` over the new dates, as (budget, change)
    pairs, releases first. Refused when less would be committed to a year than the award has
    already been paid from it, or a year has no budget."""
    committed, paid = award_year_figures(award)
    total_paid = sum(paid.values(), ZERO)
    if amount < total_paid:
        raise DomainError(
            _("%(ref)s has been paid %(paid)s, so its amount cannot be cut to %(amount)s.")
            % {
                "ref": award.reference,
                "paid": money_exact(total_paid),
                "amount": money_exact(amount),
            },
            field="amount",
        )
    target = dict(year_shares(amount, starts_on, ends_on))
    for year, paid_there in sorted(paid.items()):
        if target.get(year, ZERO) < paid_there:
            raise DomainError(
                _(
                    "%(paid)s has been paid to %(ref)s from %(where)s; the new dates would "
                    "leave only %(left)s committed there."
                )
                % {
                    "paid": money_exact(paid_there),
                    "ref": award.reference,
                    "where": _where(award.fund, year),
                    "left": money_exact(target.get(year, ZERO)),
                },
                field="ends_on",
            )
    moves = ledger_moves(committed=committed, amount=amount, starts_on=starts_on, ends_on=ends_on)
    budgets = {
        b.financial_year: b
        for b in Budget.objects.filter(
            fund=award.fund, financial_year__in=list(moves)
        ).select_related("fund", "fund__office")
    }
    for year, change in moves.items():
        if year not in budgets and change > 0:
            raise DomainError(
                _("There is no budget for %(where)s, so nothing can be committed to it.")
                % {"where": _where(award.fund, year)},
                field="ends_on",
            )
    plan = [(budgets[y], c) for y, c in moves.items() if c < 0]
    plan += [(budgets[y], c) for y, c in moves.items() if c > 0]
    return plan


def _check_room(plan) -> None:
    """Refuse, with both figures, a commitment more than remains (read without locks: the
    ledger checks again under them when the variation is approved)."""
    balances = balances_for([b for b, c in plan if c > 0])
    for budget, change in plan:
        if change > 0 and change > balances[budget.pk].remaining:
            raise DomainError(
                _("%(amount)s is more than the %(remaining)s that remains in %(where)s.")
                % {
                    "amount": money_exact(change),
                    "remaining": money_exact(max(balances[budget.pk].remaining, ZERO)),
                    "where": _where(budget.fund, budget.financial_year),
                },
                field="amount",
            )


def variation_propose(
    *,
    award: Award,
    actor,
    reason: str,
    amount=None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    outcomes: str | None = None,
    now: dt.datetime | None = None,
) -> Variation:
    """A commissioning officer proposes a change to the award's amount, dates (a later end date
    is an extension) or outcomes, with the reason. One that takes the award over a sign-off
    threshold waits for a signed decision record."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the change."), field="reason")
    with transaction.atomic():
        award = _locked_award(award)
        if not roles_in(actor, award.office) & PROPOSERS:
            raise DomainError(_("Only a commissioning officer of the office proposes a variation."))
        if award.status not in OPEN_STATES:
            raise DomainError(
                _("%(ref)s is %(status)s, so it cannot be varied.")
                % {"ref": award.reference, "status": AwardStatus(award.status).label.lower()}
            )
        pending = Variation.objects.filter(award=award, status__in=sorted(PENDING)).first()
        if pending is not None:
            raise DomainError(
                _("Variation %(number)s of %(ref)s is still waiting; decide it first.")
                % {"number": pending.number, "ref": award.reference}
            )
        new_amount = award.amount if amount in (None, "") else _money(amount, "amount")
        if new_amount <= 0:
            raise DomainError(_("Give an amount of more than £0."), field="amount")
        new_start = starts_on or award.starts_on
        new_end = ends_on or award.ends_on
        if new_end < new_start:
            raise DomainError(
                _("The end date must be on or after the start date."), field="ends_on"
            )
        before_outcomes = award_outcomes(award)
        after_outcomes = (outcomes or "").strip() or before_outcomes
        if (new_amount, new_start, new_end, after_outcomes.strip()) == (
            award.amount,
            award.starts_on,
            award.ends_on,
            before_outcomes.strip(),
        ):
            raise DomainError(
                _("The variation changes nothing: give a new amount, new dates or new outcomes.")
            )
        _check_room(_plan(award, amount=new_amount, starts_on=new_start, ends_on=new_end))
        sign_off = award.office.policy.sign_off
        waits = needs_decision(award.amount, new_amount, sign_off)
        last = Variation.objects.filter(award=award).order_by("-number").first()
        variation = Variation.objects.create(
            office=award.office,
            award=award,
            number=(last.number if last else 0) + 1,
            status=VariationStatus.AWAITING_DECISION if waits else VariationStatus.PROPOSED,
            reason=reason,
            amount_before=award.amount,
            amount_after=new_amount,
            starts_on_before=award.starts_on,
            starts_on_after=new_start,
            ends_on_before=award.ends_on,
            ends_on_after=new_end,
            outcomes_before=before_outcomes,
            outcomes_after=after_outcomes,
            needs_decision=waits,
            created_by=actor,
        )
        VariationStatusChange.objects.create(
            variation=variation, old="", new=variation.status, actor=actor, at=now, note=reason
        )
        audit_event_record(
            actor=actor,
            verb="variation.proposed",
            target=variation,
            office=award.office,
            data={"award": award.reference, "number": variation.number, **_figures(variation)},
        )
    return variation


def _figures(variation: Variation) -> dict:
    return {
        "before": {
            "amount": str(variation.amount_before),
            "starts_on": variation.starts_on_before.isoformat(),
            "ends_on": variation.ends_on_before.isoformat(),
        },
        "after": {
            "amount": str(variation.amount_after),
            "starts_on": variation.starts_on_after.isoformat(),
            "ends_on": variation.ends_on_after.isoformat(),
        },
        "outcomes_changed": variation.changes_outcomes,
    }


def _locked_variation(variation: Variation) -> Variation:
    return (
        Variation.objects.select_for_update(of=("self",))
        .select_related("office", "office__policy")
        .get(pk=variation.pk)
    )


def _check_decider(variation: Variation, actor, verb: str) -> None:
    if not variation.is_pending:
        raise DomainError(
            _("Variation %(number)s is %(status)s already.")
            % {
                "number": variation.number,
                "status": VariationStatus(variation.status).label.lower(),
            }
        )
    if actor is None or variation.created_by_id == actor.pk:
        raise DomainError(
            _("You proposed this variation, so someone else must %(verb)s it.") % {"verb": verb}
        )
    roles = approver_roles(
        variation.amount_before, variation.amount_after, variation.office.policy.sign_off
    )
    if not roles_in(actor, variation.office) & roles:
        raise DomainError(
            _("A variation of this size is decided by the %(roles)s.")
            % {"roles": _role_names(roles)}
        )


def _check_decision(variation: Variation, decision) -> None:
    if decision is None:
        raise DomainError(
            _(
                "This variation takes the award over a sign-off threshold: link the signed "
                "decision record that approves it."
            ),
            field="decision",
        )
    if decision.office_id != variation.office_id:
        raise DomainError(_("Choose a decision record of this office."), field="decision")
    if decision.status not in (DecisionStatus.SIGNED, DecisionStatus.PUBLISHED):
        raise DomainError(
            _("Decision %(number)s is not signed yet.") % {"number": decision.number},
            field="decision",
        )
    if decision.signed_at and decision.signed_at < variation.created_at:
        raise DomainError(
            _("Decision %(number)s was signed before the variation was proposed.")
            % {"number": decision.number},
            field="decision",
        )
    if Variation.objects.filter(decision=decision).exclude(pk=variation.pk).exists():
        raise DomainError(
            _("Decision %(number)s already approves another variation.")
            % {"number": decision.number},
            field="decision",
        )
    sign_off = variation.office.policy.sign_off
    if not decision_covers(decision.required_roles, variation.amount_after, sign_off):
        raise DomainError(
            _("Decision %(number)s was not signed at the tier an award of %(amount)s needs.")
            % {"number": decision.number, "amount": money_exact(variation.amount_after)},
            field="decision",
        )


def variation_approve(
    *, variation: Variation, actor, note: str = "", decision=None, now=None
) -> Variation:
    """Approve a proposed variation: the ledger entries that match it are written (more
    committed, released, or moved between financial years), then the award takes its new
    amount, dates and outcomes. Refused, with both figures, when a budget lacks the money."""
    now = now or timezone.now()
    with transaction.atomic():
        variation = _locked_variation(variation)
        _check_decider(variation, actor, _("approve"))
        if variation.needs_decision:
            _check_decision(variation, decision)
        award = _locked_award(variation.award)
        if award.status not in OPEN_STATES:
            raise DomainError(
                _("%(ref)s is %(status)s, so it cannot be varied.")
                % {"ref": award.reference, "status": AwardStatus(award.status).label.lower()}
            )
        if (award.amount, award.starts_on, award.ends_on) != (
            variation.amount_before,
            variation.starts_on_before,
            variation.ends_on_before,
        ):
            raise DomainError(
                _(
                    "%(ref)s has changed since this variation was proposed; refuse it and propose "
                    "it again."
                )
                % {"ref": award.reference}
            )
        plan = _plan(
            award,
            amount=variation.amount_after,
            starts_on=variation.starts_on_after,
            ends_on=variation.ends_on_after,
        )
        _lock_budgets([b for b, _c in plan])
        entry_reason = _("Variation %(number)s of %(ref)s: %(reason)s") % {
            "number": variation.number,
            "ref": award.reference,
            "reason": variation.reason,
        }
        for budget, change in plan:
            ledger_entry_add(
                budget=budget,
                kind=EntryKind.COMMITMENT if change > 0 else EntryKind.RELEASE,
                amount=abs(change),
                actor=actor,
                reason=entry_reason,
                award=award,
                cause=variation,
            )
        award.amount = variation.amount_after
        award.starts_on = variation.starts_on_after
        award.ends_on = variation.ends_on_after
        award.first_year = financial_year_of(award.starts_on)
        award.last_year = financial_year_of(award.ends_on)
        award.updated_by = actor
        award.save(
            update_fields=[
                "amount",
                "starts_on",
                "ends_on",
                "first_year",
                "last_year",
                "updated_at",
                "updated_by",
            ]
        )
        variation.decided_by = actor
        variation.decided_at = now
        variation.decision_note = (note or "").strip()
        variation.decision = decision if variation.needs_decision else None
        variation.save(update_fields=["decided_by", "decided_at", "decision_note", "decision"])
        transition(
            VARIATION_WORKFLOW,
            variation,
            to=VariationStatus.APPROVED,
            actor=actor,
            note=variation.decision_note,
        )
        audit_event_record(
            actor=actor,
            verb="award.varied",
            target=award,
            office=award.office,
            data={
                "variation": variation.number,
                "decision": decision.number if variation.decision else None,
                **_figures(variation),
            },
        )
        for handler in variation_approved_handlers():
            handler(variation=variation, award=award, actor=actor, now=now)
    return variation


def variation_refuse(*, variation: Variation, actor, reason: str, now=None) -> Variation:
    """Refuse a proposed variation, with the reason; the award and the ledger do not change."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for refusing the variation."), field="reason")
    with transaction.atomic():
        variation = _locked_variation(variation)
        _check_decider(variation, actor, _("refuse"))
        _refuse(variation, actor, reason, now)
    return variation


def _refuse(variation: Variation, actor, reason: str, now) -> None:
    variation.decided_by = actor if getattr(actor, "pk", None) else None
    variation.decided_at = now
    variation.decision_note = reason
    variation.save(update_fields=["decided_by", "decided_at", "decision_note"])
    transition(VARIATION_WORKFLOW, variation, to=VariationStatus.REFUSED, actor=actor, note=reason)


def award_terminate(*, award: Award, actor, reason: str, unspent="0", now=None) -> Termination:
    """End an award early. It moves to terminated; its future instalments are withheld (the
    handlers registered with `on_award_terminated`); what it has committed and not been paid
    is released to the budget; and where money paid was not spent, that much is clawed back
    (never more than was paid) and returned to the budget."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for ending the award early."), field="reason")
    unspent = _money(unspent if unspent not in (None, "") else "0", "unspent")
    if unspent < 0:
        raise DomainError(_("The unspent amount cannot be less than £0."), field="unspent")
    with transaction.atomic():
        award = _locked_award(award)
        roles = terminator_roles(award.amount, award.office.policy.sign_off)
        if not roles_in(actor, award.office) & roles:
            raise DomainError(
                _("An award of this size is ended early by the %(roles)s.")
                % {"roles": _role_names(roles)}
            )
        _committed, paid = award_year_figures(award)
        total_paid = sum(paid.values(), ZERO)
        if unspent > total_paid:
            raise DomainError(
                _(
                    "%(unspent)s is more than the %(paid)s paid to %(ref)s, so it cannot be "
                    "clawed back."
                )
                % {
                    "unspent": money_exact(unspent),
                    "paid": money_exact(total_paid),
                    "ref": award.reference,
                },
                field="unspent",
            )
        award_transition(award=award, to=AwardStatus.TERMINATED, actor=actor, note=reason)
        for pending in Variation.objects.filter(award=award, status__in=sorted(PENDING)):
            _refuse(pending, actor, _("The award was ended early."), now)
        for handler in award_terminated_handlers():
            handler(award=award, actor=actor, reason=reason, now=now)
        committed, paid = award_year_figures(award)  # as the handlers left them
        budgets = {
            b.financial_year: b
            for b in Budget.objects.filter(
                fund=award.fund, financial_year__in=sorted(set(committed) | set(paid))
            ).select_related("fund", "fund__office")
        }
        _lock_budgets(budgets.values())
        released = ZERO
        for year in sorted(committed):
            outstanding = committed[year] - paid.get(year, ZERO)
            if outstanding > 0:
                ledger_entry_add(
                    budget=budgets[year],
                    kind=EntryKind.RELEASE,
                    amount=outstanding,
                    actor=actor,
                    reason=_("%(ref)s ended early: unpaid commitment released. %(reason)s")
                    % {"ref": award.reference, "reason": reason},
                    award=award,
                )
                released += outstanding
        for year, amount in clawback_by_year(unspent, paid).items():
            for kind, words in (
                (EntryKind.CLAWBACK, _("%(ref)s ended early: unspent money clawed back.")),
                (EntryKind.RELEASE, _("%(ref)s ended early: clawed-back money returned.")),
            ):
                ledger_entry_add(
                    budget=budgets[year],
                    kind=kind,
                    amount=amount,
                    actor=actor,
                    reason=words % {"ref": award.reference},
                    award=award,
                )
        termination = Termination.objects.create(
            award=award,
            reason=reason,
            unspent=unspent,
            released=released,
            clawed_back=unspent,
            actor=actor if getattr(actor, "pk", None) else None,
            at=now,
        )
        audit_event_record(
            actor=actor,
            verb="award.ended_early",
            target=award,
            office=award.office,
            data={
                "reason": reason,
                "released": str(released),
                "clawed_back": str(unspent),
                "paid": str(total_paid),
            },
        )
    return termination


def variation_subject_reference(variation: Variation) -> str:
    """How a decision record names the variation it decides: `<award reference>/<number>`."""
    return f"{variation.award.reference}/{variation.number}"


def variation_decision(variation: Variation) -> DecisionRecord | None:
    """The decision record drafted for this variation, unless it was withdrawn."""
    return (
        DecisionRecord.objects.filter(
            office_id=variation.office_id,
            subject_kind=SUBJECT_KIND,
            subject_reference=variation_subject_reference(variation),
        )
        .exclude(status=DecisionStatus.WITHDRAWN)
        .order_by("-created_at")
        .first()
    )


def variation_decision_draft(*, variation: Variation, actor, now=None) -> DecisionRecord:
    """Draft the decision record that a variation over a sign-off threshold waits for, with the
    change and its reason already written; the officer completes it and sends it for signature.
    Its amount at stake is the award's new amount, so the tiers ask for the right signatures."""
    now = now or timezone.now()
    with transaction.atomic():
        variation = _locked_variation(variation)
        if not variation.needs_decision or not variation.is_pending:
            raise DomainError(_("This variation does not wait for a decision record."))
        if not roles_in(actor, variation.office) & PROPOSERS:
            raise DomainError(_("Only a commissioning officer of the office drafts the record."))
        existing = variation_decision(variation)
        if existing is not None:
            raise DomainError(
                _("Decision %(number)s is already drafted for this variation.")
                % {"number": existing.number}
            )
        award = variation.award
        figures = _figures(variation)
        summary = _(
            "Vary award %(ref)s to %(org)s from %(before)s to %(after)s, running %(start)s to "
            "%(end)s."
        ) % {
            "ref": award.reference,
            "org": award.organisation.name,
            "before": money_exact(variation.amount_before),
            "after": money_exact(variation.amount_after),
            "start": govuk_date(variation.starts_on_after),
            "end": govuk_date(variation.ends_on_after),
        }
        decision = decision_create_for_subject(
            office=variation.office,
            actor=actor,
            fields={
                "title": _("Variation %(number)s of award %(ref)s")
                % {"number": variation.number, "ref": award.reference},
                "summary": summary,
                "rationale": variation.reason,
                "financial_implications": _("The award changes by %(change)s.")
                % {"change": money_exact(variation.amount_after - variation.amount_before)},
            },
            subject_kind=SUBJECT_KIND,
            subject_reference=variation_subject_reference(variation),
            amount=variation.amount_after,
            now=now,
        )
        audit_event_record(
            actor=actor,
            verb="variation.decision_drafted",
            target=variation,
            office=variation.office,
            data={"decision": decision.number, **figures},
        )
    return decision
