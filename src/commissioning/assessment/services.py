"""Every write to panels, declarations, scores, meetings and recommendations. Each function
runs in one transaction, checks the state it starts from and writes an audit event."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.accounts.permissions import roles_in
from commissioning.applications.models import Application, Round, Status
from commissioning.applications.services import application_transition
from commissioning.assessment import rules
from commissioning.assessment.models import (
    AgreedOutcome,
    AgreedRecommendation,
    ConflictDeclaration,
    Panel,
    PanelApplication,
    PanelMeeting,
    PanelMember,
    Recommendation,
    Score,
    ScoreSheet,
    Standing,
)
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError


def _assessment(office) -> dict:
    return office.policy.assessment


# Panels and members -----------------------------------------------------------------------


def panel_create(*, round: Round, name: str, actor, meeting_date: dt.date | None = None) -> Panel:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the panel's name"), field="name")
    with transaction.atomic():
        if Panel.objects.filter(round=round, name=name).exists():
            raise DomainError(
                _("%(round)s already has a panel called %(name)s.")
                % {"round": round.title, "name": name},
                field="name",
            )
        panel = Panel.objects.create(
            office=round.office,
            round=round,
            name=name,
            meeting_date=meeting_date,
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(actor=actor, verb="panel.created", target=panel, office=round.office)
    return panel


def panel_member_add(*, panel: Panel, user, standing: str, actor) -> PanelMember:
    """Seat a person on the panel. They must hold a role in the office, and so sign in with a
    second factor. A member removed earlier is seated again."""
    if standing not in Standing.values:
        raise DomainError(_("Choose the member's standing"), field="standing")
    if not roles_in(user, panel.office):
        raise DomainError(
            _(
                "%(person)s has no role in %(office)s. Give them the panel member role first, "
                "so that they sign in with two-factor authentication."
            )
            % {"person": user, "office": panel.office.short_name},
            field="user",
        )
    with transaction.atomic():
        member = PanelMember.objects.select_for_update().filter(panel=panel, user=user).first()
        if member is not None and member.is_active:
            raise DomainError(
                _("%(person)s is already on this panel.") % {"person": user}, field="user"
            )
        if member is None:
            member = PanelMember.objects.create(
                panel=panel, user=user, standing=standing, created_by=actor, updated_by=actor
            )
        else:
            member.removed_at = None
            member.standing = standing
            member.updated_by = actor
            member.save(update_fields=["removed_at", "standing", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="panel.member_added",
            target=panel,
            office=panel.office,
            data={"user": user.pk, "standing": standing},
        )
    return member


def panel_member_remove(*, member: PanelMember, actor) -> PanelMember:
    """Take a member off the panel. Their declarations and submitted scores stay on record."""
    with transaction.atomic():
        locked = PanelMember.objects.select_for_update().get(pk=member.pk)
        if not locked.is_active:
            raise DomainError(_("%(person)s is no longer on this panel.") % {"person": member.user})
        locked.removed_at = timezone.now()
        locked.updated_by = actor
        locked.save(update_fields=["removed_at", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="panel.member_removed",
            target=locked.panel,
            office=locked.panel.office,
            data={"user": locked.user_id},
        )
    member.removed_at = locked.removed_at
    return locked


def panel_application_add(*, panel: Panel, application: Application, actor) -> PanelApplication:
    """Put an eligible application before the panel: it moves to 'being assessed'."""
    if application.round_id != panel.round_id:
        raise DomainError(
            _("%(ref)s was made to another round, not to %(round)s.")
            % {"ref": application.reference, "round": panel.round.title},
            field="application",
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if PanelApplication.objects.filter(application=locked).exists():
            raise DomainError(
                _("%(ref)s is already before a panel.") % {"ref": locked.reference},
                field="application",
            )
        if locked.status != Status.ELIGIBLE:
            raise DomainError(
                _("%(ref)s is %(status)s: only an eligible application can go before a panel.")
                % {"ref": locked.reference, "status": Status(locked.status).label.lower()},
                field="application",
            )
        entry = PanelApplication.objects.create(panel=panel, application=locked, added_by=actor)
        application_transition(
            application=locked,
            to=Status.IN_ASSESSMENT,
            actor=actor,
            note=_("Put before %(panel)s.") % {"panel": panel.name},
        )
    application.status = locked.status
    return entry


# Conflicts of interest ---------------------------------------------------------------------


def _entry_check(member: PanelMember, application: Application) -> None:
    if not member.is_active:
        raise DomainError(_("You are no longer on this panel."))
    if not PanelApplication.objects.filter(
        panel_id=member.panel_id, application=application
    ).exists():
        raise DomainError(_("This application is not before your panel."))


def conflict_declare(
    *, member: PanelMember, application: Application, has_conflict: bool, interest: str, actor
) -> ConflictDeclaration:
    """A member says, before opening an application, whether they have an interest in it (AS2).
    A declared conflict stands: it cannot be taken back. A member who declared none can later
    declare one, and their scores then leave moderation."""
    interest = (interest or "").strip()
    if has_conflict and not interest:
        raise DomainError(_("Describe the interest you have"), field="interest")
    _entry_check(member, application)
    with transaction.atomic():
        declaration = (
            ConflictDeclaration.objects.select_for_update()
            .filter(member=member, application=application)
            .first()
        )
        if declaration is not None:
            if declaration.has_conflict:
                raise DomainError(
                    _("You declared a conflict of interest on this application; it stands.")
                )
            if not has_conflict:
                return declaration
            declaration.has_conflict, declaration.interest = True, interest
            declaration.declared_at = timezone.now()
            declaration.save(update_fields=["has_conflict", "interest", "declared_at"])
        else:
            declaration = ConflictDeclaration.objects.create(
                member=member,
                application=application,
                has_conflict=has_conflict,
                interest=interest if has_conflict else "",
            )
        audit_event_record(
            actor=actor,
            verb="assessment.conflict_declared",
            target=application,
            office=application.office,
            data={"member": member.pk, "has_conflict": has_conflict},
        )
    return declaration


# Scoring -----------------------------------------------------------------------------------


def _scoring_check(member: PanelMember, application: Application) -> None:
    _entry_check(member, application)
    declaration = ConflictDeclaration.objects.filter(member=member, application=application).first()
    if declaration is None:
        raise DomainError(_("Declare any conflict of interest before scoring this application."))
    if declaration.has_conflict:
        raise DomainError(
            _("You declared a conflict of interest, so you cannot score this application.")
        )
    if application.status != Status.IN_ASSESSMENT:
        raise DomainError(
            _("This application is %(status)s, so it can no longer be scored.")
            % {"status": Status(application.status).label.lower()}
        )


def _check_recommendation(
    application: Application, recommendation: str, amount: Decimal | None
) -> Decimal | None:
    if not recommendation:
        return None
    if recommendation not in Recommendation.values:
        raise DomainError(_("Choose your recommendation"), field="recommendation")
    if recommendation != Recommendation.FUND_IN_PART:
        return None
    if amount is None:
        raise DomainError(_("Enter the amount to fund"), field="amount")
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Enter an amount in pounds and pence"), field="amount")
    assessment = _assessment(application.office)
    fraction = rules.partial_funding_min_fraction(application.fund.code, assessment)
    problem = rules.part_funding_problem(amount, application.amount_requested, fraction)
    if problem is None and amount == application.amount_requested:
        problem = _("Enter an amount less than the amount requested, or choose to fund in full")
    if problem:
        raise DomainError(problem, field="amount")
    return amount


def score_sheet_save(
    *,
    member: PanelMember,
    application: Application,
    scores: dict[str, tuple[int | None, str]],
    recommendation: str = "",
    amount: Decimal | None = None,
    comment: str = "",
    actor,
    submit: bool = False,
) -> ScoreSheet:
    """Keep a member's scores as they stand; a sheet may be saved part-done. `scores` maps a
    criterion code to (score or None, comment). Refused once the sheet is submitted. With
    `submit`, the sheet is saved and submitted in one transaction: if it cannot be submitted,
    nothing of this save is kept."""
    _scoring_check(member, application)
    rubric = {
        c.code: c for c in rules.rubric_for(application.fund.code, _assessment(application.office))
    }
    for code, (score, _comment) in scores.items():
        if code not in rubric:
            raise DomainError(_("%(code)s is not a criterion of this rubric.") % {"code": code})
        if score is not None and score not in rules.SCORES:
            raise DomainError(
                _("Give %(criterion)s a score from 0 to 5") % {"criterion": rubric[code].title},
                field=f"score_{code}",
            )
    amount = _check_recommendation(application, recommendation, amount)
    with transaction.atomic():
        sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
            member=member, application=application, defaults={"created_by": actor}
        )
        if sheet.is_submitted:
            raise DomainError(_("You have submitted your scores; they can no longer change."))
        sheet.recommendation = recommendation
        sheet.amount = amount
        sheet.comment = (comment or "").strip()
        sheet.updated_by = actor
        sheet.save()
        existing = {s.criterion: s for s in sheet.scores.all()}
        for code, (score, text) in scores.items():
            row = existing.get(code)
            if score is None:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                Score.objects.create(
                    sheet=sheet, criterion=code, score=score, comment=(text or "").strip()
                )
            elif (row.score, row.comment) != (score, (text or "").strip()):
                row.score, row.comment = score, (text or "").strip()
                row.save(update_fields=["score", "comment"])
        audit_event_record(
            actor=actor,
            verb="assessment.scores_saved",
            target=application,
            office=application.office,
            data={"member": member.pk},
        )
        if submit:
            sheet = score_sheet_submit(sheet=sheet, actor=actor)
    return sheet


def score_sheet_submit(*, sheet: ScoreSheet, actor) -> ScoreSheet:
    """Submit a finished sheet. Every criterion needs a score and the sheet a recommendation.
    Submitting twice changes nothing."""
    application = sheet.application
    _scoring_check(sheet.member, application)
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.is_submitted:
            return locked
        rubric = rules.rubric_for(application.fund.code, _assessment(application.office))
        scored = set(locked.scores.values_list("criterion", flat=True))
        missing = [c for c in rubric if c.code not in scored]
        if missing:
            raise DomainError(
                _("Give every criterion a score before submitting. Not yet scored: %(list)s.")
                % {"list": ", ".join(c.title for c in missing)},
                field=f"score_{missing[0].code}",
            )
        if not locked.recommendation:
            raise DomainError(
                _("Choose your recommendation before submitting"), field="recommendation"
            )
        locked.submitted_at = timezone.now()
        locked.updated_by = actor
        locked.save(update_fields=["submitted_at", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="assessment.scores_submitted",
            target=application,
            office=application.office,
            data={"member": locked.member_id},
        )
    sheet.submitted_at = locked.submitted_at
    return locked


# Moderation --------------------------------------------------------------------------------


def panel_meeting_record(
    *,
    panel: Panel,
    held_on: dt.date,
    attendees: list[PanelMember],
    actor,
    notes: str = "",
) -> PanelMeeting:
    """Record a meeting of the panel. Refused, with the reason, when it was not quorate as the
    office's pack requires (enough members, an independent member where required)."""
    if held_on is None:
        raise DomainError(_("Enter the date of the meeting"), field="held_on")
    if held_on > timezone.localdate():
        raise DomainError(
            _("The date of the meeting must be today or in the past"), field="held_on"
        )
    attendees = list(attendees)
    if any(a.panel_id != panel.pk or not a.is_active for a in attendees):
        raise DomainError(_("Choose attendees from the panel's members"), field="attendees")
    problems = rules.quorum_problems([a.standing for a in attendees], _assessment(panel.office))
    if problems:
        raise DomainError(" ".join(problems), field="attendees")
    with transaction.atomic():
        meeting = PanelMeeting.objects.create(
            panel=panel,
            held_on=held_on,
            notes=(notes or "").strip(),
            quorate=True,
            created_by=actor,
            updated_by=actor,
        )
        meeting.attendees.set(attendees)
        audit_event_record(
            actor=actor,
            verb="panel.meeting_recorded",
            target=panel,
            office=panel.office,
            data={"held_on": held_on.isoformat(), "attendees": [a.pk for a in attendees]},
        )
    return meeting


def _conflicted_member_ids(application: Application) -> set[int]:
    return set(
        ConflictDeclaration.objects.filter(application=application, has_conflict=True).values_list(
            "member_id", flat=True
        )
    )


def recommendation_agree(
    *,
    panel: Panel,
    application: Application,
    meeting: PanelMeeting,
    outcome: str,
    rationale: str,
    actor,
    amount: Decimal | None = None,
    conditions: str = "",
) -> AgreedRecommendation:
    """The panel's agreed recommendation, made at a quorate meeting once enough members have
    scored. The application becomes recommended, or not recommended."""
    rationale = (rationale or "").strip()
    conditions = (conditions or "").strip()
    if outcome not in AgreedOutcome.values:
        raise DomainError(_("Choose the panel's recommendation"), field="outcome")
    if not rationale:
        raise DomainError(_("Enter the reasons for the recommendation"), field="rationale")
    if outcome == AgreedOutcome.FUND_WITH_CONDITIONS and not conditions:
        raise DomainError(_("Enter the conditions"), field="conditions")
    if meeting.panel_id != panel.pk or not meeting.quorate:
        raise DomainError(_("Choose a quorate meeting of this panel"), field="meeting")
    assessment = _assessment(panel.office)
    if outcome == AgreedOutcome.DECLINE:
        amount = None
    else:
        if amount is None:
            amount = application.amount_requested
        problem = rules.part_funding_problem(
            amount,
            application.amount_requested,
            rules.partial_funding_min_fraction(application.fund.code, assessment),
        )
        if problem:
            raise DomainError(problem, field="amount")
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("office")
            .get(pk=application.pk)
        )
        if not PanelApplication.objects.filter(panel=panel, application=locked).exists():
            raise DomainError(_("This application is not before this panel."))
        if AgreedRecommendation.objects.filter(application=locked).exists():
            raise DomainError(_("The panel has already agreed a recommendation on this."))
        if locked.status != Status.IN_ASSESSMENT:
            raise DomainError(
                _("This application is %(status)s, so the panel cannot recommend on it.")
                % {"status": Status(locked.status).label.lower()}
            )
        conflicted = _conflicted_member_ids(locked)
        quorum = rules.panel_quorum(assessment)
        scored = (
            ScoreSheet.objects.filter(
                application=locked,
                member__panel=panel,
                member__removed_at__isnull=True,
                submitted_at__isnull=False,
            )
            .exclude(member_id__in=conflicted)
            .count()
        )
        if scored < quorum:
            raise DomainError(
                _(
                    "%(quorum)s members must submit scores before the panel recommends; "
                    "%(count)s have."
                )
                % {"quorum": quorum, "count": scored}
            )
        present = [a.standing for a in meeting.attendees.all() if a.pk not in conflicted]
        problems = rules.quorum_problems(present, assessment)
        if problems:
            raise DomainError(
                _("Leaving out members with a conflict of interest on it: %(problems)s")
                % {"problems": " ".join(problems)},
                field="meeting",
            )
        try:
            with transaction.atomic():
                agreed = AgreedRecommendation.objects.create(
                    panel=panel,
                    application=locked,
                    meeting=meeting,
                    outcome=outcome,
                    amount=amount,
                    conditions=conditions if outcome == AgreedOutcome.FUND_WITH_CONDITIONS else "",
                    rationale=rationale,
                    created_by=actor,
                    updated_by=actor,
                )
        except IntegrityError as exc:
            raise DomainError(_("The panel has already agreed a recommendation on this.")) from exc
        application_transition(
            application=locked,
            to=Status.NOT_RECOMMENDED if outcome == AgreedOutcome.DECLINE else Status.RECOMMENDED,
            actor=actor,
            note=rationale,
        )
        audit_event_record(
            actor=actor,
            verb="assessment.recommendation_agreed",
            target=locked,
            office=locked.office,
            data={"outcome": outcome, "amount": str(amount) if amount is not None else None},
        )
    application.status = locked.status
    return agreed


# Portfolio allocation (AS5) ----------------------------------------------------------------


def _money_text(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _portfolio_json(portfolio) -> dict | None:
    if portfolio is None:
        return None
    return {
        "awards": [
            {
                "key": a.key,
                "amount": _money_text(a.amount),
                "requested": _money_text(a.requested),
                "score": round(a.score, 4),
            }
            for a in portfolio.awards
        ],
        "total_score": round(portfolio.total_score, 4),
        "total_amount": _money_text(portfolio.total_amount),
        "by_area": {k: _money_text(v) for k, v in portfolio.by_area.items()},
        "by_priority": {k: _money_text(v) for k, v in portfolio.by_priority.items()},
    }


def _result_json(result) -> dict:
    return {
        "status": result.status,
        "proposal": _portfolio_json(result.proposal),
        "unconstrained": _portfolio_json(result.unconstrained),
        "ranking": _portfolio_json(result.ranking),
        "cost_of_limits": None
        if result.cost_of_limits is None
        else round(result.cost_of_limits, 4),
        "gain_over_ranking": None
        if result.gain_over_ranking is None
        else round(result.gain_over_ranking, 4),
        "differences": [
            {
                "key": d.key,
                "proposal_amount": _money_text(d.proposal_amount),
                "ranking_amount": _money_text(d.ranking_amount),
            }
            for d in result.differences
        ],
        "problems": [
            {
                "kind": p.kind,
                "name": p.name,
                "required": _money_text(p.required),
                "reachable": _money_text(p.reachable),
                "short_by": _money_text(p.short_by),
                "message": p.message,
            }
            for p in result.problems
        ],
        "solve_seconds": round(result.solve_seconds, 4),
    }


def allocation_run(
    *,
    panel: Panel,
    actor,
    budget: Decimal,
    include: frozenset[str] = frozenset(),
    exclude: frozenset[str] = frozenset(),
    limits: dict | None = None,
):
    """Propose the awards with the highest total weighted score within the budget and the
    pack's fair-distribution limits (or the officer's own `limits`), from the panel's scored
    applications; keep the inputs and the result. Writes nothing else."""
    from commissioning.assessment import allocation
    from commissioning.assessment.models import AllocationRun
    from commissioning.assessment.selectors import allocation_bids

    if budget is None or budget < 0:
        raise DomainError(_("Enter the budget for the allocation"), field="budget")
    bids = allocation_bids(panel)
    if not bids:
        raise DomainError(_("No scored application of this panel is waiting for a recommendation."))
    shares = {
        k: float(v)
        for k, v in (limits or rules.allocation_limits(_assessment(panel.office))).items()
        if v is not None
    }
    try:
        result = allocation.allocate(
            [b.bid for b in bids],
            allocation.Limits(
                budget=budget,
                default_area_share_min=shares.get("area_share_min"),
                default_area_share_max=shares.get("area_share_max"),
                default_priority_share_min=shares.get("priority_share_min"),
                default_priority_share_max=shares.get("priority_share_max"),
                include=frozenset(include),
                exclude=frozenset(exclude),
            ),
        )
    except allocation.AllocationInputError as exc:
        raise DomainError(str(exc)) from exc
    inputs = {
        "budget": _money_text(budget),
        "limits": shares,
        "include": sorted(include),
        "exclude": sorted(exclude),
        "bids": [
            {
                "key": b.bid.key,
                "amount": _money_text(b.bid.amount),
                "min_amount": _money_text(b.bid.min_amount),
                "score": b.bid.score,
                "area": b.bid.area,
                "priority": b.bid.priority,
                "status": b.status,
            }
            for b in bids
        ],
    }
    chosen = (
        {a.key: _money_text(a.amount) for a in result.proposal.awards} if result.proposal else {}
    )
    with transaction.atomic():
        run = AllocationRun.objects.create(
            panel=panel,
            budget=budget,
            inputs=inputs,
            result=_result_json(result),
            feasible=result.feasible,
            chosen=chosen,
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="assessment.allocation_run",
            target=panel,
            office=panel.office,
            data={"run": run.pk, "status": result.status},
        )
    return run


def allocation_adjust(*, run, chosen: dict[str, Decimal | None], actor):
    """The officer changes the proposal by hand before adopting it: an amount per application
    (None or 0 for not funded), each within what was asked and the fund's part-funding floor,
    all within the budget."""
    if run.adopted:
        raise DomainError(_("This allocation has been adopted and can no longer change."))
    bids = {b["key"]: b for b in run.inputs.get("bids", [])}
    cleaned: dict[str, str] = {}
    for key, amount in chosen.items():
        if key not in bids:
            raise DomainError(_("%(key)s is not part of this allocation.") % {"key": key})
        if not amount:
            continue
        requested = Decimal(bids[key]["amount"])
        floor = bids[key]["min_amount"]
        if amount > requested or (amount < requested and floor is None):
            raise DomainError(
                _("%(key)s can be funded with £%(amount)s only.")
                % {"key": key, "amount": f"{requested:,.2f}"},
                field=f"amount_{key}",
            )
        if floor is not None and amount < Decimal(floor):
            raise DomainError(
                _("%(key)s needs at least £%(floor)s if funded in part.")
                % {"key": key, "floor": f"{Decimal(floor):,.2f}"},
                field=f"amount_{key}",
            )
        cleaned[key] = _money_text(amount)
    total = sum((Decimal(v) for v in cleaned.values()), Decimal(0))
    if total > run.budget:
        raise DomainError(
            _("The awards add up to £%(total)s, more than the budget of £%(budget)s.")
            % {"total": f"{total:,.2f}", "budget": f"{run.budget:,.2f}"}
        )
    with transaction.atomic():
        run.chosen = cleaned
        run.updated_by = actor
        run.save(update_fields=["chosen", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="assessment.allocation_adjusted",
            target=run.panel,
            office=run.panel.office,
            data={"run": run.pk, "chosen": cleaned},
        )
    return run


def allocation_adopt(*, run, meeting: PanelMeeting, actor):
    """Adopt the (possibly adjusted) allocation as the panel's recommendations at a quorate
    meeting: each chosen application is recommended for its amount, each other application
    still being assessed is declined with the reason. Applications already recommended keep
    their recommendation."""
    from commissioning.assessment.models import AllocationRun

    with transaction.atomic():
        locked = AllocationRun.objects.select_for_update().get(pk=run.pk)
        if locked.adopted:
            raise DomainError(_("This allocation has already been adopted."))
        if not locked.chosen and not locked.feasible:
            raise DomainError(_("The limits could not be met, so there is nothing to adopt."))
        references = [b["key"] for b in locked.inputs.get("bids", [])]
        applications = Application.objects.filter(
            panel_entry__panel=locked.panel,
            reference__in=references,
            status=Status.IN_ASSESSMENT,
        ).select_related("fund", "office", "office__policy")
        scores = {b["key"]: b["score"] for b in locked.inputs["bids"]}
        for application in applications:
            amount = locked.chosen.get(application.reference)
            if amount:
                recommendation_agree(
                    panel=locked.panel,
                    application=application,
                    meeting=meeting,
                    outcome=AgreedOutcome.FUND,
                    amount=Decimal(amount),
                    rationale=_(
                        "The application scored %(score)s out of 100 and is part of the "
                        "portfolio that makes the best use of the budget across the areas and "
                        "priorities of the plan."
                    )
                    % {"score": f"{scores[application.reference]:.1f}"},
                    actor=actor,
                )
            else:
                recommendation_agree(
                    panel=locked.panel,
                    application=application,
                    meeting=meeting,
                    outcome=AgreedOutcome.DECLINE,
                    rationale=_(
                        "The application scored %(score)s out of 100. The budget did not stretch "
                        "to it once higher-scoring applications, and a fair spread of funding "
                        "across the areas and priorities of the plan, were provided for."
                    )
                    % {"score": f"{scores[application.reference]:.1f}"},
                    actor=actor,
                )
        locked.adopted_at = timezone.now()
        locked.adopted_by = actor
        locked.save(update_fields=["adopted_at", "adopted_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="assessment.allocation_adopted",
            target=locked.panel,
            office=locked.panel.office,
            data={"run": locked.pk, "meeting": meeting.pk},
        )
    return locked
