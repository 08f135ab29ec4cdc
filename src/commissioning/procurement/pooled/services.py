"""Every write to pooled budgets. The office's own contribution for a year is committed from
its fund's budget for that year through the awards ledger (refused, with both figures, when
more than remains); partners' contributions are recorded only."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.awards.services import ledger_commit
from commissioning.core.errors import DomainError
from commissioning.core.money import financial_year_label, to_money
from commissioning.offices.models import Budget
from commissioning.procurement.numbering import next_reference
from commissioning.procurement.pooled.models import Contribution, PooledBudget


def pooled_budget_create(
    *,
    office,
    actor,
    title: str,
    lead_commissioner: str = "",
    lead_is_office: bool = True,
    purpose: str = "",
    now=None,
) -> PooledBudget:
    now = now or timezone.now()
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the service the pool pays for."), field="title")
    lead = (lead_commissioner or "").strip() or (office.short_name if lead_is_office else "")
    if not lead:
        raise DomainError(_("Name the partner that leads the commissioning."), field="lead")
    with transaction.atomic():
        pool = PooledBudget.objects.create(
            office=office,
            reference=next_reference(office, "POOL", PooledBudget, now),
            title=title,
            purpose=(purpose or "").strip(),
            lead_is_office=lead_is_office,
            lead_commissioner=lead,
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="pooled_budget.created",
            target=pool,
            office=office,
            data={"lead": lead},
        )
    return pool


def contribution_add(
    *,
    pooled_budget: PooledBudget,
    actor,
    financial_year: int,
    amount,
    partner: str = "",
    fund=None,
) -> Contribution:
    """A contribution for one financial year: from one of the office's funds (committed in
    its ledger) or from a named partner (recorded)."""
    try:
        amount = to_money(amount)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Give an amount in pounds, like 12500.00."), field="amount") from exc
    if amount <= 0:
        raise DomainError(_("Give an amount of more than £0."), field="amount")
    partner = (partner or "").strip()
    office = pooled_budget.office
    if fund is None and not partner:
        raise DomainError(_("Name the partner, or choose the office's fund."), field="partner")
    if fund is not None and fund.office_id != office.pk:
        raise DomainError(_("Choose one of the office's funds."), field="fund")
    with transaction.atomic():
        contribution = Contribution.objects.create(
            pooled_budget=pooled_budget,
            from_office=fund is not None,
            partner="" if fund is not None else partner,
            fund=fund,
            financial_year=financial_year,
            amount=amount,
            created_by=actor,
            updated_by=actor,
        )
        if fund is not None:
            budget = Budget.objects.filter(fund=fund, financial_year=financial_year).first()
            if budget is None:
                raise DomainError(
                    _("The %(fund)s has no budget for %(year)s.")
                    % {"fund": fund.name, "year": financial_year_label(financial_year)},
                    field="financial_year",
                )
            ledger_commit(
                budget=budget,
                amount=amount,
                actor=actor,
                reason=_("Contribution to the pooled budget %(ref)s") % {"ref": pooled_budget},
                cause=contribution,
            )
        audit_event_record(
            actor=actor,
            verb="pooled_budget.contribution_added",
            target=pooled_budget,
            office=office,
            data={
                "source": contribution.source_label,
                "year": financial_year,
                "amount": str(amount),
            },
        )
    return contribution


def pooled_budget_set_up(
    *,
    office,
    actor,
    title: str,
    contributions: list[dict],
    lead_commissioner: str = "",
    lead_is_office: bool = True,
    purpose: str = "",
    now=None,
) -> PooledBudget:
    """A pooled budget with its contributions, all or nothing: each contribution a dict of
    `financial_year`, `amount` and either `fund` (the office's share, committed in its ledger)
    or `partner`, and optionally `field` (the form field a refusal of it belongs to). The same
    partner, or the same fund, twice for one year is refused, as is a share of the office's
    over what its budget has left; then nothing is kept."""
    if not contributions:
        raise DomainError(_("Give at least one contribution to the pool."), field="contributions")
    seen: set[tuple] = set()
    for row in contributions:
        source = row.get("fund").pk if row.get("fund") else (row.get("partner") or "").strip()
        key = (
            "fund" if row.get("fund") else "partner",
            str(source).casefold(),
            row.get("financial_year"),
        )
        if key in seen:
            raise DomainError(
                _("%(source)s is named twice for %(year)s: give one contribution a year.")
                % {
                    "source": row["fund"].name if row.get("fund") else row["partner"].strip(),
                    "year": financial_year_label(int(row["financial_year"])),
                },
                field=row.get("field") or "contributions",
            )
        seen.add(key)
    with transaction.atomic():
        pool = pooled_budget_create(
            office=office,
            actor=actor,
            title=title,
            lead_commissioner=lead_commissioner,
            lead_is_office=lead_is_office,
            purpose=purpose,
            now=now,
        )
        for row in contributions:
            try:
                contribution_add(
                    pooled_budget=pool,
                    actor=actor,
                    financial_year=int(row["financial_year"]),
                    amount=row.get("amount"),
                    partner=row.get("partner") or "",
                    fund=row.get("fund"),
                )
            except DomainError as exc:
                raise DomainError(exc.message, field=row.get("field") or exc.field) from exc
    return pool
