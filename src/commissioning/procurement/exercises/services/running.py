"""Every write to procurement exercises and their quotes and bids, but for the decisions on
them (deciding.py). Each function runs in one transaction, checks the state it starts from,
writes an audit event, and raises a DomainError with a plain message when it cannot proceed."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.money import to_money
from commissioning.core.transitions import transition
from commissioning.core.uploads import CheckedUpload, store_upload, stored_file_values
from commissioning.procurement import rules
from commissioning.procurement.contracts.services import victims_terms
from commissioning.procurement.exercises.models import (
    EXERCISE_WORKFLOW,
    AwardForm,
    Bid,
    ExerciseStatus,
    ProcurementExercise,
    Route,
)
from commissioning.procurement.numbering import next_reference
from commissioning.procurement.tenders.services import evaluation_panel_check

BID_FOLDER = "procurement/bids"


def _money(value, field: str) -> Decimal:
    try:
        amount = to_money(value)
    except (ValueError, TypeError) as exc:
        raise DomainError(_("Give an amount in pounds, like 12500.00."), field=field) from exc
    if amount <= 0:
        raise DomainError(_("Give an amount of more than £0."), field=field)
    return amount


def _check_project(office, project) -> None:
    if project is not None and project.office_id != office.pk:
        raise DomainError(
            _("Choose one of the office's own commissioning projects."), field="project"
        )


def exercise_project_link(*, exercise: ProcurementExercise, actor, project) -> ProcurementExercise:
    """Name the commissioning project the exercise buys for (or none). Its contract shows the
    same project: a contract's project is its exercise's."""
    _check_project(exercise.office, project)
    with transaction.atomic():
        locked = ProcurementExercise.objects.select_for_update().get(pk=exercise.pk)
        if locked.project_id == getattr(project, "pk", None):
            return exercise
        old = locked.project.reference if locked.project_id else ""
        locked.project = project
        locked.updated_by = actor
        locked.save(update_fields=["project", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.project_linked",
            target=locked,
            office=locked.office,
            data={"from": old, "to": project.reference if project else ""},
        )
    exercise.project = project
    return exercise


def exercise_transition(*, exercise: ProcurementExercise, to: str, actor, note: str = ""):
    return transition(EXERCISE_WORKFLOW, exercise, to=to, actor=actor, note=note)


def exercise_start(
    *,
    office,
    actor,
    title: str,
    description: str,
    fund,
    estimated_value,
    contract_starts_on: dt.date,
    contract_ends_on: dt.date,
    award_form: str = AwardForm.CONTRACT,
    pooled_budget=None,
    project=None,
    single_tender: bool = False,
    single_tender_reason: str = "",
    quality_weight: int | None = None,
    now: dt.datetime | None = None,
) -> ProcurementExercise:
    """Begin buying a service. The route comes from the pack's bands for the estimated value;
    a tender takes the pack's quality and cost split (or its own, adding up to 100), its
    criteria, and whether an independent evaluator is needed."""
    now = now or timezone.now()
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise DomainError(_("Give the service being bought."), field="title")
    if not description:
        raise DomainError(_("Describe what is being bought."), field="description")
    if fund.office_id != office.pk:
        raise DomainError(_("Choose one of the office's funds."), field="fund")
    if pooled_budget is not None and pooled_budget.office_id != office.pk:
        raise DomainError(_("Choose one of the office's pooled budgets."), field="pooled_budget")
    _check_project(office, project)
    if award_form not in AwardForm.values:
        raise DomainError(_("Choose how the money will be awarded."), field="award_form")
    value = _money(estimated_value, "estimated_value")
    procurement = office.policy.procurement
    problem = rules.contract_length_problem(contract_starts_on, contract_ends_on, 0, procurement)
    if problem:
        raise DomainError(problem, field="contract_ends_on")
    route = rules.route_for(value, procurement)
    single_tender_reason = (single_tender_reason or "").strip()
    if single_tender and not single_tender_reason:
        raise DomainError(
            _(
                "Say why a single tender is justified: the provider proven to deliver the best "
                "outcomes, or a bid developed in partnership."
            ),
            field="single_tender_reason",
        )
    quality, cost = rules.quality_cost_split(procurement)
    if quality_weight is not None:
        if not 0 <= int(quality_weight) <= 100:
            raise DomainError(_("Give the quality share as 0 to 100 per cent."), field="quality")
        quality, cost = int(quality_weight), 100 - int(quality_weight)
    tender = route.route == Route.COMPETITIVE_TENDER and not single_tender
    with transaction.atomic():
        exercise = ProcurementExercise.objects.create(
            office=office,
            reference=next_reference(office, "PRC", ProcurementExercise, now),
            title=title,
            description=description,
            fund=fund,
            pooled_budget=pooled_budget,
            project=project,
            estimated_value=value,
            award_form=award_form,
            route=route.route,
            route_label=route.label,
            quotes_required=1 if single_tender else route.quotes,
            advertise=route.advertise and not single_tender,
            single_tender=single_tender,
            single_tender_reason=single_tender_reason,
            quality_weight=quality if tender else 0,
            cost_weight=cost if tender else 100,
            criteria=rules.tender_criteria(procurement) if tender else [],
            independent_member_required=tender and rules.independent_member_required(procurement),
            panel_min_members=rules.panel_min_members(procurement) if tender else 1,
            contract_starts_on=contract_starts_on,
            contract_ends_on=contract_ends_on,
            started_at=now,
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.started",
            target=exercise,
            office=office,
            data={
                "route": exercise.route,
                "value": str(value),
                "single_tender": single_tender,
                "project": project.reference if project else "",
            },
        )
    return exercise


def exercise_open(
    *,
    exercise: ProcurementExercise,
    actor,
    advertised_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> ProcurementExercise:
    """Ask for quotes, or advertise the tender with its funding envelope and split."""
    procurement = exercise.office.policy.procurement
    if (
        exercise.single_tender
        and procurement.get("single_tender_requires_justification", True)
        and not exercise.single_tender_approved
    ):
        raise DomainError(
            _("A single tender needs its justification signed off as a decision record first.")
        )
    if exercise.advertise and not advertised_on:
        raise DomainError(_("Give the date the tender is advertised."), field="advertised_on")
    if closes_on and advertised_on and closes_on < advertised_on:
        raise DomainError(_("The closing date must be after the advert."), field="closes_on")
    with transaction.atomic():
        exercise.advertised_on, exercise.closes_on = advertised_on, closes_on
        exercise.save(update_fields=["advertised_on", "closes_on", "updated_at"])
        exercise_transition(exercise=exercise, to=ExerciseStatus.OPEN, actor=actor)
    return exercise


def bid_record(
    *,
    exercise: ProcurementExercise,
    actor,
    supplier,
    price,
    received_on: dt.date,
    document: CheckedUpload,
    local_supplier: bool = False,
    note: str = "",
) -> Bid:
    """Record a written quote or a bid, with its document."""
    price = _money(price, "price")
    if exercise.status != ExerciseStatus.OPEN:
        raise DomainError(_("Quotes and bids are recorded while the exercise is open."))
    if document is None:
        raise DomainError(_("Attach the written quote or bid."), field="document")
    if exercise.bids.filter(supplier=supplier).exists():
        raise DomainError(
            _("%(supplier)s has already sent a quote or bid.") % {"supplier": supplier.name},
            field="supplier",
        )
    with transaction.atomic():
        path = store_upload(document, folder=BID_FOLDER)
        bid = Bid.objects.create(
            exercise=exercise,
            supplier=supplier,
            price=price,
            received_on=received_on,
            local_supplier=local_supplier,
            note=(note or "").strip(),
            created_by=actor,
            updated_by=actor,
            **stored_file_values(document, path),
        )
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.bid_recorded",
            target=exercise,
            office=exercise.office,
            data={"supplier": supplier.ref, "price": str(price)},
        )
    return bid


def exercise_close(*, exercise: ProcurementExercise, actor) -> ProcurementExercise:
    """Close for quotes or bids and begin evaluation: the route's number of quotes must be in,
    and a tender's panel must be formed as the pack requires."""
    count = exercise.bids.count()
    needed = exercise.quotes_required or 1
    if not exercise.is_tender and count < needed:
        raise DomainError(
            _("%(route)s needs %(needed)s written quotes; %(count)s recorded.")
            % {"route": exercise.route_label, "needed": needed, "count": count}
        )
    if exercise.is_tender:
        if not count:
            raise DomainError(_("No bids have been recorded."))
        evaluation_panel_check(exercise)
    exercise_transition(exercise=exercise, to=ExerciseStatus.EVALUATION, actor=actor)
    return exercise


def contract_terms_set(
    *,
    exercise: ProcurementExercise,
    actor,
    extensions=(),
    kpis=(),
    standards: dict | None = None,
    code_rights: dict | None = None,
) -> ProcurementExercise:
    """The terms the contract will carry when the award is signed: extension options, KPIs,
    and for a victims' service the standards and rights it supports."""
    if exercise.status in {ExerciseStatus.AWARDED, ExerciseStatus.CANCELLED}:
        raise DomainError(_("The contract's terms are set before the award."))
    extension_months = 0
    cleaned_extensions = []
    for months, value in extensions:
        try:
            months = int(months)
        except (TypeError, ValueError) as exc:
            raise DomainError(
                _("Give each extension in whole months."), field="extensions"
            ) from exc
        if months <= 0:
            raise DomainError(_("Give each extension in whole months."), field="extensions")
        extension_months += months
        cleaned_extensions.append([months, str(_money(value, "extensions"))])
    problem = rules.contract_length_problem(
        exercise.contract_starts_on,
        exercise.contract_ends_on,
        extension_months,
        exercise.office.policy.procurement,
    )
    if problem:
        raise DomainError(problem, field="extensions")
    _victims, standards, code_rights = victims_terms(
        exercise.office, exercise.fund, standards, code_rights
    )
    cleaned_kpis = []
    for index, kpi in enumerate(kpis, start=1):
        title = str(kpi.get("title") or "").strip()
        if not title:
            raise DomainError(_("Give each KPI its name."), field="kpis")
        try:
            target = to_money(kpi.get("target") or 0)
        except (TypeError, ValueError) as exc:
            raise DomainError(_("Give each KPI's target as a number."), field="kpis") from exc
        cleaned_kpis.append(
            {
                "code": str(kpi.get("code") or f"kpi-{index}"),
                "title": title,
                "target": str(target),
                "unit": str(kpi.get("unit") or ""),
            }
        )
    with transaction.atomic():
        exercise.contract_terms = {
            "extensions": cleaned_extensions,
            "kpis": cleaned_kpis,
            "standards": dict(standards or {}),
            "code_rights": dict(code_rights or {}),
        }
        exercise.save(update_fields=["contract_terms", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="procurement_exercise.terms_set",
            target=exercise,
            office=exercise.office,
        )
    return exercise


def exercise_cancel(*, exercise: ProcurementExercise, actor, reason: str):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for cancelling."), field="reason")
    exercise_transition(exercise=exercise, to=ExerciseStatus.CANCELLED, actor=actor, note=reason)
    return exercise
