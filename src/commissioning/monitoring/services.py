"""Every write to monitoring: schedules, due dates and returns. Each function runs in one
transaction, checks the state it starts from, writes an audit event, and raises a DomainError
with a plain message when it cannot proceed. Reminders are in reminders.py."""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.awards.rules import money_exact
from commissioning.core.errors import DomainError
from commissioning.core.transitions import transition
from commissioning.monitoring.hooks import monitored_kind
from commissioning.monitoring.models import (
    AWARD,
    EDITABLE,
    RETURN_WORKFLOW,
    DueDateChange,
    MonitoringMeeting,
    MonitoringReturn,
    MonitoringSchedule,
    Rag,
    ReturnKind,
    ReturnStatus,
)
from commissioning.monitoring.rows import rows_of
from commissioning.monitoring.rules import (
    DEMOGRAPHICS,
    MEASURES_OF_PEOPLE_SUPPORTED,
    VICTIMS_MEASURES,
    AwardFacts,
    award_form_of,
    demographic_groups,
    is_victims_service,
    monitoring_schedule,
)

# Functions called with (*, monitoring_return, actor, now) inside the transaction that accepts
# a return: the payments part registers the release of the in-arrears instalment waiting for
# it (`return_accepted_hook_register`). A hook that raises a DomainError refuses the
# acceptance, and nothing of it is kept.
RETURN_ACCEPTED_HOOKS: list[Callable] = []


def return_accepted_hook_register(hook: Callable) -> Callable:
    """Register hook(*, monitoring_return, actor, now) to run when a return is accepted."""
    if hook not in RETURN_ACCEPTED_HOOKS:
        RETURN_ACCEPTED_HOOKS.append(hook)
    return hook


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


# Schedules -----------------------------------------------------------------------------------


def award_facts(award, monitoring: dict) -> AwardFacts:
    """What the rules need to know about an award: its value, dates, fund, whether it is a
    contract or a grant, a victims' service, a pilot."""
    fund = award.fund
    source_kinds = fund.funding_sources.values_list("kind", flat=True)
    return AwardFacts(
        amount=award.amount,
        starts_on=award.starts_on,
        ends_on=award.ends_on,
        fund_code=fund.code,
        award_form=award_form_of(fund_kind=fund.kind, fund_code=fund.code, monitoring=monitoring),
        victims_services=is_victims_service(
            fund_code=fund.code, source_kinds=list(source_kinds), monitoring=monitoring
        ),
        is_pilot=bool(award.application.is_pilot),
        pilot_evaluation_required=fund.pilot_evaluation_required,
    )


def _planned_returns_create(*, schedule: MonitoringSchedule, planned, award=None) -> None:
    """The returns a new schedule plans, numbered from 1, each due as planned."""
    MonitoringReturn.objects.bulk_create(
        MonitoringReturn(
            office_id=schedule.office_id,
            award=award,
            schedule=schedule,
            number=number,
            kind=item.kind,
            period_start=item.period_start,
            period_end=item.period_end,
            due_on=item.due_on,
            scheduled_due_on=item.due_on,
        )
        for number, item in enumerate(planned.returns, start=1)
    )


def schedule_make(*, award, actor, now: dt.datetime | None = None) -> MonitoringSchedule:
    """The award's schedule of returns and meetings from its office's monitoring rules as they
    stand now. Made once: a later change to the pack leaves this schedule as it is."""
    now = now or timezone.now()
    if MonitoringSchedule.objects.filter(award=award).exists():
        raise DomainError(
            _("%(ref)s already has a monitoring schedule.") % {"ref": award.reference}
        )
    policy = award.office.policy
    monitoring = policy.monitoring or {"rules": []}
    facts = award_facts(award, monitoring)
    planned = monitoring_schedule(facts, monitoring)
    with transaction.atomic():
        schedule = MonitoringSchedule.objects.create(
            award=award,
            office=award.office,
            subject_kind=AWARD,
            subject_reference=award.reference,
            organisation=award.organisation,
            fund=award.fund,
            rules=list(planned.requirement.rules),
            returns_every_months=planned.requirement.returns_every_months,
            meetings_every_months=planned.requirement.meetings_every_months,
            reports=list(planned.requirement.reports),
            award_form=facts.award_form,
            victims_services=facts.victims_services,
            pack_sha256=policy.pack_sha256,
            officer=award.decision.created_by,
            made_at=now,
            created_by=_actor(actor),
        )
        _planned_returns_create(schedule=schedule, planned=planned, award=award)
        MonitoringMeeting.objects.bulk_create(
            MonitoringMeeting(
                office=award.office,
                award=award,
                schedule=schedule,
                number=number,
                due_on=item.due_on,
                scheduled_due_on=item.due_on,
            )
            for number, item in enumerate(planned.meetings, start=1)
        )
        audit_event_record(
            actor=actor,
            verb="monitoring.schedule_made",
            target=schedule,
            office=award.office,
            data={
                "award": award.reference,
                "rules": list(planned.requirement.rules),
                "returns": len(planned.returns),
                "meetings": len(planned.meetings),
            },
        )
    return schedule


def schedule_for_new_award(*, award, actor, now=None) -> MonitoringSchedule:
    """Registered with the awards app: the schedule is made with the award."""
    return schedule_make(award=award, actor=actor, now=now)


def _measures_clean(measures) -> list[dict]:
    cleaned, codes = [], set()
    for measure in measures or ():
        code = str(measure.get("code") or "").strip()
        title = str(measure.get("title") or "").strip()
        if not code or not title or code in codes:
            raise DomainError(_("Give each measure its own code and name."), field="measures")
        codes.add(code)
        cleaned.append(
            {
                "code": code,
                "title": title[:300],
                "target": str(measure.get("target", "")),
                "unit": str(measure.get("unit") or "")[:40],
            }
        )
    return cleaned


def _items_clean(items) -> list[dict]:
    cleaned, codes = [], set()
    for item in items or ():
        code = str(item.get("code") or "").strip()
        title = str(item.get("title") or "").strip()
        if not code or not title or code in codes:
            raise DomainError(_("Give each item reported on its own code and name."))
        codes.add(code)
        cleaned.append(
            {
                "code": code,
                "group": str(item.get("group") or ""),
                "title": title[:500],
                "how": str(item.get("how") or "")[:5000],
            }
        )
    return cleaned


def schedule_make_for_subject(
    *,
    subject_kind: str,
    subject_reference: str,
    office,
    organisation,
    title: str,
    facts: AwardFacts,
    actor,
    fund=None,
    extra_rules: list[dict] = (),
    measures: list[dict] = (),
    items: list[dict] = (),
    officer=None,
    now: dt.datetime | None = None,
) -> MonitoringSchedule:
    """The schedule of returns of something a higher app owns (a contract), from the office's
    monitoring rules as they stand now and any `extra_rules` the owner adds (a return at least
    every quarter). The organisation's members report against each of `measures` (KPIs:
    code, title, target, unit) and on each of `items` (code, group, title, how the service
    does it). Returns only: monitoring meetings are the award schedule's."""
    now = now or timezone.now()
    kind = monitored_kind(subject_kind)
    if subject_kind == AWARD or kind is None:
        raise DomainError(_("Nothing of that kind is monitored through monitoring schedules."))
    reference = (subject_reference or "").strip()
    if not reference:
        raise DomainError(_("Name what the schedule monitors."))
    if fund is not None and fund.office_id != office.pk:
        raise DomainError(_("Choose one of the office's funds."), field="fund")
    if MonitoringSchedule.objects.filter(subject_reference=reference).exists():
        raise DomainError(_("%(ref)s already has a monitoring schedule.") % {"ref": reference})
    policy = office.policy
    monitoring = dict(policy.monitoring or {"rules": []})
    monitoring["rules"] = [*monitoring.get("rules", []), *extra_rules]
    planned = monitoring_schedule(facts, monitoring)
    measures, items = _measures_clean(measures), _items_clean(items)
    with transaction.atomic():
        schedule = MonitoringSchedule.objects.create(
            office=office,
            subject_kind=subject_kind,
            subject_reference=reference,
            organisation=organisation,
            subject_title=(title or "").strip()[:300],
            fund=fund,
            subject_starts_on=facts.starts_on,
            subject_ends_on=facts.ends_on,
            measures=measures,
            items=items,
            rules=list(planned.requirement.rules),
            returns_every_months=planned.requirement.returns_every_months,
            meetings_every_months=None,
            reports=list(planned.requirement.reports),
            award_form=facts.award_form,
            victims_services=facts.victims_services,
            pack_sha256=policy.pack_sha256,
            officer=_actor(officer),
            made_at=now,
            created_by=_actor(actor),
        )
        _planned_returns_create(schedule=schedule, planned=planned)
        audit_event_record(
            actor=actor,
            verb="monitoring.schedule_made",
            target=schedule,
            office=office,
            data={
                subject_kind: reference,
                "rules": list(planned.requirement.rules),
                "returns": len(planned.returns),
                "meetings": 0,
            },
        )
    return schedule


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the change."), field="reason")
    return reason[:2000]


def _within(starts_on: dt.date, ends_on: dt.date, day: dt.date) -> None:
    latest = ends_on + dt.timedelta(days=366)
    if day < starts_on or day > latest:
        raise DomainError(
            _("Choose a date between %(start)s and %(end)s.")
            % {"start": starts_on.strftime("%-d %B %Y"), "end": latest.strftime("%-d %B %Y")},
            field="due_on",
        )


def _within_award(award, day: dt.date) -> None:
    _within(award.starts_on, award.ends_on, day)


def _within_schedule(schedule, day: dt.date) -> None:
    _within(schedule.runs_from, schedule.runs_to, day)


def return_add(
    *,
    kind: str,
    due_on: dt.date,
    reason: str,
    actor,
    award=None,
    schedule=None,
    period_start=None,
    period_end=None,
) -> MonitoringReturn:
    """A return the office asks for beyond the schedule (an extra progress update), with the
    reason: of an award, or of any `schedule`."""
    reason = _reason(reason)
    if kind not in ReturnKind.values:
        raise DomainError(_("Choose a kind of return from the list."), field="kind")
    if schedule is None:
        schedule = MonitoringSchedule.objects.select_related("award").get(award=award)
    _within_schedule(schedule, due_on)
    period_end = period_end or min(due_on, schedule.runs_to)
    period_start = period_start or schedule.runs_from
    if period_end < period_start:
        raise DomainError(_("The period must end after it starts."), field="period_end")
    with transaction.atomic():
        schedule = MonitoringSchedule.objects.select_for_update().get(pk=schedule.pk)
        last = schedule.returns.aggregate(last=Max("number"))["last"] or 0
        added = MonitoringReturn.objects.create(
            office=schedule.office,
            award_id=schedule.award_id,
            schedule=schedule,
            number=last + 1,
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            due_on=due_on,
            added_by_staff=True,
            created_by=_actor(actor),
        )
        _due_date_recorded(
            added, verb="monitoring_return.added", actor=actor, reason=reason, new=due_on
        )
    return added


def _due_date_recorded(record, *, verb: str, actor, reason: str, new: dt.date, old=None):
    """The due-date change of a return or meeting (`record`) and its audit event."""
    link = "meeting" if isinstance(record, MonitoringMeeting) else "monitoring_return"
    DueDateChange.objects.create(
        office=record.office,
        award_id=record.award_id,
        old_due_on=old,
        new_due_on=new,
        reason=reason,
        actor=_actor(actor),
        **{link: record},
    )
    if old is None:
        data = {
            "award" if record.award_id else record.schedule.subject_kind: (
                record.award.reference if record.award_id else record.schedule.subject_reference
            ),
            "due_on": new.isoformat(),
            "reason": reason,
        }
    else:
        data = {"from": old.isoformat(), "to": new.isoformat(), "reason": reason}
    audit_event_record(actor=actor, verb=verb, target=record, office=record.office, data=data)


def return_due_date_move(*, monitoring_return, due_on: dt.date, reason: str, actor):
    """Move a return's due date, with the reason; refused once the return is in."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = (
            MonitoringReturn.objects.select_for_update(of=("self",))
            .select_related("award", "schedule", "schedule__award")
            .get(pk=monitoring_return.pk)
        )
        if locked.status not in EDITABLE:
            raise DomainError(
                _("This return has been submitted, so its due date can no longer be moved.")
            )
        _within_schedule(locked.schedule, due_on)
        if due_on == locked.due_on:
            raise DomainError(
                _("Choose a date other than the one it is due on now."), field="due_on"
            )
        old = locked.due_on
        locked.due_on = due_on
        locked.updated_by = _actor(actor)
        locked.save(update_fields=["due_on", "updated_at", "updated_by"])
        _due_date_recorded(
            locked,
            verb="monitoring_return.due_date_moved",
            actor=actor,
            reason=reason,
            new=due_on,
            old=old,
        )
    monitoring_return.due_on = due_on
    return monitoring_return


def meeting_add(*, award, due_on: dt.date, reason: str, actor) -> MonitoringMeeting:
    reason = _reason(reason)
    _within_award(award, due_on)
    with transaction.atomic():
        schedule = MonitoringSchedule.objects.select_for_update().get(award=award)
        last = schedule.meetings.aggregate(last=Max("number"))["last"] or 0
        meeting = MonitoringMeeting.objects.create(
            office=award.office,
            award=award,
            schedule=schedule,
            number=last + 1,
            due_on=due_on,
            added_by_staff=True,
            created_by=_actor(actor),
        )
        _due_date_recorded(
            meeting, verb="monitoring_meeting.added", actor=actor, reason=reason, new=due_on
        )
    return meeting


def meeting_due_date_move(*, meeting, due_on: dt.date, reason: str, actor):
    reason = _reason(reason)
    with transaction.atomic():
        locked = (
            MonitoringMeeting.objects.select_for_update(of=("self",))
            .select_related("award")
            .get(pk=meeting.pk)
        )
        if locked.held_on:
            raise DomainError(_("This meeting has been held, so its date can no longer be moved."))
        _within_award(locked.award, due_on)
        old = locked.due_on
        locked.due_on = due_on
        locked.save(update_fields=["due_on", "updated_at"])
        _due_date_recorded(
            locked,
            verb="monitoring_meeting.due_date_moved",
            actor=actor,
            reason=reason,
            new=due_on,
            old=old,
        )
    meeting.due_on = due_on
    return meeting


# Returns -------------------------------------------------------------------------------------

# What a return holds, as a form or the API hands it to `return_save`.
TEXT_FIELDS = ("progress", "case_studies", "feedback", "risks")


def measure_codes(office) -> list[str]:
    """The victims' services measures the office's pack asks for, in order."""
    monitoring = office.policy.monitoring or {}
    if monitoring.get("victims_core_metrics") is False:
        return []
    return [
        c
        for c in monitoring.get("victims_measures", list(VICTIMS_MEASURES))
        if c in VICTIMS_MEASURES
    ]


def asks_demographics(office) -> bool:
    return (office.policy.monitoring or {}).get("demographics", True) is not False


def _count(value, what: str, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise DomainError(
            _("%(what)s must be a whole number.") % {"what": what}, field=field
        ) from None
    if number < 0 or number > 10_000_000:
        raise DomainError(
            _("%(what)s must be a whole number from 0 to 10,000,000.") % {"what": what}, field=field
        )
    return number


POUNDS = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
FIGURE = re.compile(r"^-?\d{1,10}(\.\d{1,2})?$")


def _figure(value, what: str, field: str) -> str | None:
    """A figure against a measure (a count, a percentage, a number of days): up to two
    decimal places, kept as written in plain digits."""
    if value in (None, ""):
        return None
    text = str(value).strip().replace(",", "").removesuffix("%").strip()
    if not FIGURE.match(text):
        raise DomainError(
            _("%(what)s must be a number, such as 92 or 92.5.") % {"what": what}, field=field
        )
    return str(Decimal(text).normalize()) if "." in text else text


def _pounds(value, what: str, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace(",", "").removeprefix("£")
    if not POUNDS.match(text):
        raise DomainError(
            _("%(what)s must be an amount in pounds, such as 1250.50.") % {"what": what},
            field=field,
        )
    return Decimal(text).quantize(Decimal("0.01"))


def _cleaned(ret: MonitoringReturn, data: dict) -> dict:
    """The return's contents from `data`, checked one by one: known rows only, whole numbers
    for counts, pounds and pence for spend."""
    rows = rows_of(ret)
    outputs = {str(o.pk): o for o in rows.outputs}
    outcomes = {str(o.pk): o for o in rows.outcomes}
    lines = {str(b.pk): b for b in rows.budget_lines}
    items = {str(i.pk): i for i in rows.items}
    clean: dict = {}
    for name in TEXT_FIELDS:
        if name in data:
            clean[name] = str(data[name] or "").strip()[:20000]
    if "rag" in data:
        rag = data["rag"] or ""
        if rag and rag not in Rag.values:
            raise DomainError(_("Choose red, amber or green."), field="rag")
        clean["rag"] = rag
    if "outputs" in data:
        clean["outputs"] = {}
        for key, value in (data["outputs"] or {}).items():
            if str(key) not in outputs:
                raise DomainError(
                    _("That measure is not one of the schedule's.")
                    if rows.figures
                    else _("That output is not one of the application's."),
                    field="outputs",
                )
            read = _figure if rows.figures else _count
            number = read(value, outputs[str(key)].description, f"output_{key}")
            if number is not None:
                clean["outputs"][str(key)] = number
    if "outcomes" in data:
        clean["outcomes"] = {}
        for key, value in (data["outcomes"] or {}).items():
            if str(key) not in outcomes:
                raise DomainError(
                    _("That outcome is not one of the application's."), field="outcomes"
                )
            text = str(value or "").strip()[:1000]
            if text:
                clean["outcomes"][str(key)] = text
    if "spend" in data:
        clean["spend"] = {}
        for key, value in (data["spend"] or {}).items():
            if str(key) not in lines:
                raise DomainError(
                    _("That budget line is not one of the application's."), field="spend"
                )
            amount = _pounds(value, lines[str(key)].description, f"spend_{key}")
            if amount is not None:
                clean["spend"][str(key)] = str(amount)
    if "items" in data:
        clean["items"] = {}
        for key, value in (data["items"] or {}).items():
            if str(key) not in items:
                raise DomainError(
                    _("That is not one of the things this return reports on."), field="items"
                )
            text = str(value or "").strip()[:5000]
            if text:
                clean["items"][str(key)] = text
    if "people_supported" in data:
        clean["people_supported"] = _count(
            data["people_supported"], _("People supported"), "people_supported"
        )
    if "measures" in data:
        codes = measure_codes(ret.office)
        clean["measures"] = {}
        for code, value in (data["measures"] or {}).items():
            if code not in codes:
                raise DomainError(
                    _("'%(code)s' is not a measure this office asks for.") % {"code": code},
                    field="measures",
                )
            number = _count(value, str(VICTIMS_MEASURES[code]), f"measure_{code}")
            if code == "people_supported":
                clean["people_supported"] = number
            elif number is not None:
                clean["measures"][code] = number
    if "demographics" in data:
        clean["demographics"] = {}
        for category, counts in (data["demographics"] or {}).items():
            if category not in DEMOGRAPHICS:
                raise DomainError(
                    _("'%(q)s' is not a question about the people supported.") % {"q": category},
                    field="demographics",
                )
            groups = dict(demographic_groups(category))
            kept = {}
            for group, value in (counts or {}).items():
                if group not in groups:
                    raise DomainError(
                        _("'%(a)s' is not an answer to that question.") % {"a": group},
                        field="demographics",
                    )
                number = _count(
                    value,
                    f"{DEMOGRAPHICS[category][0]}: {groups[group]}",
                    f"demo_{category}_{group}",
                )
                if number is not None:
                    kept[group] = number
            if kept:
                clean["demographics"][category] = kept
    return clean


def return_figure_problems(ret: MonitoringReturn) -> list[tuple[str, str]]:
    """(field, message) for each figure that does not add up: demographic counts against the
    people supported, measures above the people supported, spend over the award."""
    problems: list[tuple[str, str]] = []
    people = ret.people_supported
    for category, counts in ret.demographics.items():
        total = sum(counts.values())
        label = str(DEMOGRAPHICS[category][0]).lower()
        if people is None:
            problems.append(
                (
                    "people_supported",
                    _("Give the number of people supported, to go with their %(q)s.")
                    % {"q": label},
                )
            )
            break
        if total != people:
            problems.append(
                (
                    f"demo_{category}_not_known",
                    _(
                        "The counts for %(q)s add up to %(total)s, but you supported %(people)s "
                        "people. Count each person once, using 'prefer not to say' or 'not known' "
                        "where you need to."
                    )
                    % {"q": label, "total": total, "people": people},
                )
            )
    for code in MEASURES_OF_PEOPLE_SUPPORTED:
        value = ret.measures.get(code)
        if value is not None and people is not None and value > people:
            problems.append(
                (
                    f"measure_{code}",
                    _("%(measure)s (%(value)s) is more than the %(people)s people supported.")
                    % {"measure": VICTIMS_MEASURES[code], "value": value, "people": people},
                )
            )
    spent = sum((Decimal(v) for v in ret.spend.values()), Decimal("0.00"))
    if ret.award_id and spent > ret.award.amount:
        problems.append(
            (
                "spend",
                _("The spend to date, %(spent)s, is more than the award of %(award)s.")
                % {"spent": money_exact(spent), "award": money_exact(ret.award.amount)},
            )
        )
    return problems


def return_missing(ret: MonitoringReturn) -> list[tuple[str, str]]:
    """(field, message) for what a return needs before it is submitted."""
    missing = []
    if not ret.progress:
        missing.append(("progress", _("Say what progress the project made in this period.")))
    rows = rows_of(ret)
    for output in rows.outputs:
        if str(output.pk) not in ret.outputs:
            missing.append(
                (
                    f"output_{output.pk}",
                    (
                        _("Give the figure for '%(o)s'.")
                        if rows.figures
                        else _("Give the number delivered for '%(o)s'.")
                    )
                    % {"o": output.description},
                )
            )
    for item in rows.items:
        if str(item.pk) not in ret.items:
            missing.append(
                (
                    f"item_{item.pk}",
                    _("Say what the service did on '%(i)s'.") % {"i": item.description},
                )
            )
    for line in rows.budget_lines:
        if str(line.pk) not in ret.spend:
            missing.append(
                (
                    f"spend_{line.pk}",
                    _("Give the spend to date on '%(l)s' (0 if none).") % {"l": line.description},
                )
            )
    if ret.schedule.victims_services and measure_codes(ret.office):
        if ret.people_supported is None:
            missing.append(("people_supported", _("Give the number of people supported.")))
        for code in measure_codes(ret.office):
            if code != "people_supported" and code not in ret.measures:
                missing.append(
                    (
                        f"measure_{code}",
                        _("Give the number for '%(m)s'.") % {"m": VICTIMS_MEASURES[code]},
                    )
                )
    if not ret.rag:
        missing.append(("rag", _("Choose red, amber or green for how the project is going.")))
    from commissioning.monitoring.evaluation.services import evaluation_missing

    return missing + evaluation_missing(ret)


def _editable(monitoring_return) -> MonitoringReturn:
    locked = (
        MonitoringReturn.objects.select_for_update(of=("self",))
        .select_related(
            "award", "award__application", "office", "office__policy", "schedule", "schedule__award"
        )
        .get(pk=monitoring_return.pk)
    )
    if locked.status not in EDITABLE:
        raise DomainError(
            _("This return is %(status)s, so it can no longer be changed.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def return_save(*, monitoring_return, actor, data: dict) -> MonitoringReturn:
    """Save what the organisation has written so far, as a draft. Figures are checked one by
    one; whether they add up is checked when the return is submitted."""
    with transaction.atomic():
        locked = _editable(monitoring_return)
        clean = _cleaned(locked, data)
        for name, value in clean.items():
            setattr(locked, name, value)
        locked.updated_by = _actor(actor)
        locked.save(update_fields=[*clean, "updated_at", "updated_by"])
        audit_event_record(
            actor=actor,
            verb="monitoring_return.saved",
            target=locked,
            office=locked.office,
            data={"fields": sorted(clean)},
        )
    return locked


class ReturnNotReady(DomainError):
    """A return that cannot be submitted yet, with every reason (field, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems[0][1], field=problems[0][0])
        self.problems = problems


def return_submit(*, monitoring_return, actor, now=None) -> MonitoringReturn:
    """Submit (or resubmit) the return to the office, once it is complete and its figures add
    up; every problem is given at once."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _editable(monitoring_return)
        problems = return_missing(locked) + return_figure_problems(locked)
        if problems:
            raise ReturnNotReady(problems)
        to = (
            ReturnStatus.SUBMITTED
            if locked.status == ReturnStatus.DRAFT
            else ReturnStatus.RESUBMITTED
        )
        transition(RETURN_WORKFLOW, locked, to=to, actor=actor)
        locked.submitted_at, locked.submitted_by = now, _actor(actor)
        locked.save(update_fields=["submitted_at", "submitted_by"])
    monitoring_return.refresh_from_db()
    return monitoring_return


def return_accept(*, monitoring_return, actor, comments: str = "", now=None) -> MonitoringReturn:
    """The officer accepts the return; every registered hook then runs in the same transaction
    (the release of an in-arrears instalment waiting for this return)."""
    now = now or timezone.now()
    with transaction.atomic():
        transition(
            RETURN_WORKFLOW, monitoring_return, to=ReturnStatus.ACCEPTED, actor=actor, note=comments
        )
        MonitoringReturn.objects.filter(pk=monitoring_return.pk).update(
            reviewed_at=now,
            reviewed_by=_actor(actor),
            review_comments=(comments or "").strip()[:5000],
        )
        monitoring_return.refresh_from_db()
        for hook in tuple(RETURN_ACCEPTED_HOOKS):
            hook(monitoring_return=monitoring_return, actor=actor, now=now)
    return monitoring_return


def return_send_back(*, monitoring_return, actor, comments: str, now=None) -> MonitoringReturn:
    """The officer returns the return to the organisation with comments saying what to change."""
    comments = (comments or "").strip()
    if not comments:
        raise DomainError(_("Say what the organisation needs to change."), field="comments")
    now = now or timezone.now()
    with transaction.atomic():
        transition(
            RETURN_WORKFLOW, monitoring_return, to=ReturnStatus.RETURNED, actor=actor, note=comments
        )
        MonitoringReturn.objects.filter(pk=monitoring_return.pk).update(
            reviewed_at=now, reviewed_by=_actor(actor), review_comments=comments[:5000]
        )
    monitoring_return.refresh_from_db()
    return monitoring_return
