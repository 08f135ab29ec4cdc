"""Every write to contracts. Registering a contract checks its length against the pack,
commits the office's share to the budget ledger for each financial year it runs in (unless a
pooled budget has already committed it), records its extension options, KPIs and, for a
victims' service, the standards and rights it supports, and makes its monitoring schedule: the
provider's returns, from the office's monitoring rules at least as often as the pack's
procurement section asks, are monitoring's own (submitted, accepted or sent back, reminded and
escalated, counted in compliance as an award's are), reporting against the KPIs and on the
standards and rights."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.audit.services import audit_event_record
from commissioning.awards.rules import year_shares
from commissioning.awards.services import ledger_commit
from commissioning.core.errors import DomainError
from commissioning.core.money import financial_year_label, to_money
from commissioning.monitoring.hooks import MonitoredKind
from commissioning.monitoring.rules import AwardFacts, is_victims_service, monitoring_schedule
from commissioning.monitoring.services import schedule_make_for_subject
from commissioning.offices.models import Budget
from commissioning.procurement import rules
from commissioning.procurement.contracts.models import (
    Contract,
    ContractCommitment,
    ExtensionOption,
    Kpi,
)
from commissioning.procurement.contracts.standards import VFS_STANDARDS, VICTIMS_CODE_RIGHTS
from commissioning.procurement.exercises.models import AwardForm
from commissioning.procurement.numbering import next_reference


def _money(value, field: str) -> Decimal:
    try:
        amount = to_money(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Give an amount in pounds, like 12500.00."), field=field) from exc
    if amount <= 0:
        raise DomainError(_("Give an amount of more than £0."), field=field)
    return amount


def _supported(given: dict, known: dict, what: str, field: str) -> dict:
    cleaned = {}
    for code, how in (given or {}).items():
        if code not in known:
            raise DomainError(
                _("'%(code)s' is not one of the %(what)s.") % {"code": code, "what": what},
                field=field,
            )
        how = (how or "").strip()
        if not how:
            raise DomainError(
                _("Say how the service supports: %(name)s") % {"name": known[code]}, field=field
            )
        cleaned[code] = how
    return cleaned


def is_victims_fund(office, fund) -> bool:
    return is_victims_service(
        fund_code=fund.code,
        source_kinds=list(fund.funding_sources.values_list("kind", flat=True)),
        monitoring=office.policy.monitoring or {},
    )


def victims_terms(office, fund, standards, code_rights) -> tuple[bool, dict, dict]:
    """Whether a contract from this fund is a victims' service, and the standards and rights it
    supports, checked: a victims' service must record at least one of each."""
    victims = is_victims_fund(office, fund)
    standards = _supported(
        standards, VFS_STANDARDS, _("national commissioning standards"), "standards"
    )
    code_rights = _supported(
        code_rights, VICTIMS_CODE_RIGHTS, _("Victims' Code rights"), "code_rights"
    )
    if victims and (not standards or not code_rights):
        raise DomainError(
            _(
                "A victims' service records the national commissioning standards and the Victims' "
                "Code rights it supports."
            ),
            field="standards",
        )
    return victims, standards, code_rights


CONTRACT = "contract"


def _contract_link(office, reference: str) -> str:
    from django.urls import reverse

    return reverse("procurement:contract", args=[office.slug, reference])


# Registered with monitoring in ProcurementConfig.ready(): contracts are monitored through its
# schedules.
MONITORED_CONTRACT = MonitoredKind(
    code=CONTRACT, label=gettext_lazy("Contract"), link=_contract_link
)


def _contract_rules(office) -> list[dict]:
    every = rules.contract_returns_every_months(office.policy.procurement)
    return [
        {"name": "Contract KPI return", "returns_every_months": every, "reports": ["quarterly"]}
    ]


def contract_schedule(facts: AwardFacts, office) -> tuple[int, list]:
    """The returns a contract owes: the office's monitoring rules for a contract of this value
    and kind, with a return at least every `contract_returns_every_months`."""
    monitoring = dict(office.policy.monitoring or {"rules": []})
    monitoring["rules"] = [*monitoring.get("rules", []), *_contract_rules(office)]
    planned = monitoring_schedule(facts, monitoring)
    every = rules.contract_returns_every_months(office.policy.procurement)
    return planned.requirement.returns_every_months or every, list(planned.returns)


def contract_items(contract) -> list[dict]:
    """What a victims' service's returns report on: each national commissioning standard and
    Victims' Code right the contract supports, with how it said it would."""
    return [
        *(
            {
                "code": code,
                "group": str(_("National commissioning standard")),
                "title": str(VFS_STANDARDS[code]),
                "how": how,
            }
            for code, how in contract.standards.items()
        ),
        *(
            {
                "code": code,
                "group": str(_("Victims' Code right")),
                "title": str(VICTIMS_CODE_RIGHTS[code]),
                "how": how,
            }
            for code, how in contract.code_rights.items()
        ),
    ]


def contract_monitoring_start(*, contract, facts: AwardFacts, actor, officer=None, now=None):
    """The contract's monitoring schedule, in monitoring: quarterly (or as the pack says)
    returns from its provider against its KPIs and on its standards and rights."""
    return schedule_make_for_subject(
        subject_kind=CONTRACT,
        subject_reference=contract.reference,
        office=contract.office,
        organisation=contract.provider,
        title=contract.title,
        fund=contract.fund,
        facts=facts,
        extra_rules=_contract_rules(contract.office),
        measures=[
            {"code": k.code, "title": k.title, "target": str(k.target), "unit": k.unit}
            for k in contract.kpis.all()
        ],
        items=contract_items(contract),
        officer=officer or actor,
        actor=actor,
        now=now,
    )


def contract_register(
    *,
    office,
    actor,
    provider,
    fund,
    title: str,
    value,
    starts_on: dt.date,
    ends_on: dt.date,
    award_form: str = AwardForm.CONTRACT,
    exercise=None,
    pooled_budget=None,
    extensions: list[tuple[int, object]] = (),
    kpis: list[dict] = (),
    standards: dict | None = None,
    code_rights: dict | None = None,
    now: dt.datetime | None = None,
) -> Contract:
    """A signed contract, its ledger commitments and its schedule of returns."""
    now = now or timezone.now()
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the service contracted for."), field="title")
    if fund.office_id != office.pk:
        raise DomainError(_("Choose one of the office's funds."), field="fund")
    if award_form not in AwardForm.values:
        raise DomainError(_("Choose how the money is awarded."), field="award_form")
    value = _money(value, "value")
    options = [(int(m), _money(v, "extensions")) for m, v in extensions]
    procurement = office.policy.procurement
    problem = rules.contract_length_problem(
        starts_on, ends_on, sum(m for m, _v in options), procurement
    )
    if problem:
        raise DomainError(problem, field="ends_on")
    victims, standards, code_rights = victims_terms(office, fund, standards, code_rights)
    if pooled_budget is not None:
        from commissioning.procurement.pooled.selectors import pool_figures

        figures = pool_figures([pooled_budget])[pooled_budget.pk]
        if value > figures.total:
            raise DomainError(
                _("The contract's value is more than the %(total)s in the pooled budget.")
                % {"total": f"£{figures.total:,.2f}"},
                field="value",
            )
        office_share = min(figures.office_committed, value)
    else:
        office_share = value
    facts = AwardFacts(
        amount=value,
        starts_on=starts_on,
        ends_on=ends_on,
        fund_code=fund.code,
        award_form="contract",
        victims_services=victims,
    )
    every, planned = contract_schedule(facts, office)
    officer = exercise.created_by if exercise is not None and exercise.created_by_id else actor
    with transaction.atomic():
        contract = Contract.objects.create(
            office=office,
            reference=next_reference(office, "CON", Contract, now),
            exercise=exercise,
            pooled_budget=pooled_budget,
            provider=provider,
            fund=fund,
            title=title,
            award_form=award_form,
            value=value,
            office_share=office_share,
            starts_on=starts_on,
            ends_on=ends_on,
            victims_service=victims,
            standards=standards,
            code_rights=code_rights,
            returns_every_months=every,
            signed_at=now,
            created_by=actor,
            updated_by=actor,
        )
        ExtensionOption.objects.bulk_create(
            ExtensionOption(contract=contract, months=m, value=v) for m, v in options
        )
        _kpis_add(contract, kpis)
        if pooled_budget is None:
            _commit(contract, actor)
        contract_monitoring_start(
            contract=contract, facts=facts, actor=actor, officer=officer, now=now
        )
        audit_event_record(
            actor=actor,
            verb="contract.registered",
            target=contract,
            office=office,
            data={
                "provider": provider.ref,
                "value": str(value),
                "office_share": str(office_share),
                "returns": len(planned),
            },
        )
    return contract


def _kpis_add(contract: Contract, kpis) -> None:
    rows, codes = [], set()
    for index, kpi in enumerate(kpis, start=1):
        title = (kpi.get("title") or "").strip()
        code = (kpi.get("code") or f"kpi-{index}").strip()
        if not title or code in codes:
            raise DomainError(_("Give each KPI its own name."), field="kpis")
        codes.add(code)
        try:
            target = to_money(kpi.get("target", 0))
        except (TypeError, ValueError) as exc:
            raise DomainError(_("Give each KPI's target as a number."), field="kpis") from exc
        rows.append(
            Kpi(
                contract=contract,
                code=code,
                title=title,
                target=target,
                unit=(kpi.get("unit") or "").strip(),
            )
        )
    Kpi.objects.bulk_create(rows)


def _commit(contract: Contract, actor) -> None:
    """One commitment for each financial year the contract runs in, in proportion to its days."""
    shares = year_shares(contract.office_share, contract.starts_on, contract.ends_on)
    budgets = {
        b.financial_year: b
        for b in Budget.objects.filter(
            fund=contract.fund, financial_year__in=[year for year, _s in shares]
        )
    }
    for year, share in shares:
        budget = budgets.get(year)
        if budget is None:
            raise DomainError(
                _("The %(fund)s has no budget for %(year)s, so the contract cannot commit it.")
                % {"fund": contract.fund.name, "year": financial_year_label(year)},
                field="ends_on",
            )
        entry = ledger_commit(
            budget=budget,
            amount=share,
            actor=actor,
            reason=_("Contract %(ref)s with %(provider)s")
            % {"ref": contract.reference, "provider": contract.provider.name},
            cause=contract,
        )
        ContractCommitment.objects.create(
            contract=contract, financial_year=year, amount=share, entry=entry
        )
