"""Eligibility screening (AP7): run the rules, let an officer override a result with a reason,
and confirm the outcome. Each function runs in one transaction and writes an audit event."""

import datetime as dt

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.applications.models import (
    TRANSITIONS,
    Application,
    ScreeningOutcome,
    ScreeningResult,
    Status,
)
from commissioning.applications.screening.duplication import (
    duplication_candidates,
    duplication_check,
)
from commissioning.applications.screening.rules import (
    RULE_TITLES,
    ScreeningCheck,
    application_text,
    overall_outcome,
    screen,
)
from commissioning.applications.services import application_transition
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.organisations.models import PolicyDocument
from commissioning.organisations.selectors import policy_on_file

# Where screening can be run (again), and where an officer can change a result.
SCREENABLE = frozenset({Status.SUBMITTED, Status.SCREENING, Status.ELIGIBLE, Status.INELIGIBLE})
OVERRIDABLE = frozenset({Status.SCREENING, Status.ELIGIBLE, Status.INELIGIBLE})
# The outcome a concluded screening stands for.
CONCLUDED = {Status.ELIGIBLE: ScreeningOutcome.PASS, Status.INELIGIBLE: ScreeningOutcome.FAIL}


def _locked(pk: int, *, with_rows: bool = False) -> Application:
    """The application row, locked for the rest of the transaction."""
    queryset = Application.objects.select_for_update(of=("self",)).select_related(
        "office", "office__policy", "fund", "round", "organisation", "submitted_by"
    )
    if with_rows:
        queryset = queryset.prefetch_related("budget_lines", "endorsements")
    return queryset.get(pk=pk)


def _refusal(application: Application) -> DomainError:
    if application.status == Status.DRAFT:
        return DomainError(_("A draft cannot be screened: it has not been submitted yet."))
    if application.status == Status.WITHDRAWN:
        return DomainError(_("This application has been withdrawn, so it cannot be screened."))
    return DomainError(
        _("This application is %(status)s, so its screening can no longer change.")
        % {"status": Status(application.status).label.lower()}
    )


def _current_results(application: Application) -> list[ScreeningResult]:
    return list(
        ScreeningResult.objects.filter(application=application, is_current=True).order_by("id")
    )


def _move(application: Application, to: str, actor, note: str = "") -> None:
    """Move to a state, by way of 'being checked' where the table needs that step."""
    if application.status == to:
        return
    if to not in TRANSITIONS[application.status]:
        application_transition(application=application, to=Status.SCREENING, actor=actor, note=note)
    application_transition(application=application, to=to, actor=actor, note=note)


def _set_outcome(application: Application, results: list[ScreeningResult]) -> str:
    outcome = overall_outcome(r.effective_outcome for r in results)
    application.screening_outcome = outcome
    application.save(update_fields=["screening_outcome", "updated_at"])
    return outcome


# Run ---------------------------------------------------------------------------------------


def _checks(application: Application, *, today: dt.date) -> list[ScreeningCheck]:
    policy = application.office.policy.application
    document = None
    if application.involves_children_or_vulnerable_adults:
        document = policy_on_file(
            application.organisation, PolicyDocument.Kind.SAFEGUARDING, on=today
        )
    checks = screen(application, policy_document=document, application_policy=policy)
    candidates = duplication_candidates(application, today=today)
    checks.append(
        duplication_check(application_text(application), candidates, application_policy=policy)
    )
    return checks


def _result(application, check: ScreeningCheck, actor, now, previous) -> ScreeningResult:
    """A new current result. An officer's override of the same rule is kept while the rule
    still finds the same thing for the same reason."""
    result = ScreeningResult(
        application=application,
        rule=check.rule,
        outcome=check.outcome,
        reason=check.reason,
        details=check.details,
        run_at=now,
        run_by=actor if getattr(actor, "pk", None) else None,
    )
    same = previous and previous.outcome == check.outcome and previous.reason == check.reason
    if same and previous.override_outcome:
        result.override_outcome = previous.override_outcome
        result.override_reason = previous.override_reason
        result.overridden_by_id = previous.overridden_by_id
        result.overridden_at = previous.overridden_at
    return result


def screening_run(*, application: Application, actor, today: dt.date | None = None):
    """Run every rule and keep the results; the earlier run's are kept as history. All pass:
    the application becomes eligible; otherwise it is being checked until an officer
    concludes. Runs on submission (actor None) and again on demand, before assessment."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(application.pk, with_rows=True)
        if locked.status not in SCREENABLE:
            raise _refusal(locked)
        checks = _checks(locked, today=today)
        previous = {r.rule: r for r in _current_results(locked)}
        ScreeningResult.objects.filter(application=locked, is_current=True).update(is_current=False)
        now = timezone.now()
        results = ScreeningResult.objects.bulk_create(
            [_result(locked, c, actor, now, previous.get(c.rule)) for c in checks]
        )
        outcome = _set_outcome(locked, results)
        target = Status.ELIGIBLE if outcome == ScreeningOutcome.PASS else Status.SCREENING
        _move(
            locked,
            target,
            actor,
            note=_("Screening result: %(outcome)s") % {"outcome": ScreeningOutcome(outcome).label},
        )
        audit_event_record(
            actor=actor,
            verb="application.screening_run",
            target=locked,
            office=locked.office,
            data={"outcome": outcome, "results": {r.rule: r.effective_outcome for r in results}},
        )
    application.status, application.screening_outcome = locked.status, outcome
    return results


# Override ----------------------------------------------------------------------------------


def _check_override(outcome: str, reason: str) -> None:
    if outcome not in ScreeningOutcome.values:
        raise DomainError(_("Choose the officer's result"), field="outcome")
    if not reason:
        raise DomainError(_("Enter the reason for the officer's result"), field="reason")


def screening_override(
    *, result: ScreeningResult, outcome: str, reason: str, actor
) -> ScreeningResult:
    """An officer sets one result, with the reason recorded. A concluded screening whose
    overall result this changes goes back to 'being checked' to be confirmed again."""
    reason = (reason or "").strip()
    _check_override(outcome, reason)
    with transaction.atomic():
        application = _locked(result.application_id)
        locked = ScreeningResult.objects.select_for_update().get(pk=result.pk)
        if not locked.is_current:
            raise DomainError(_("A later screening has replaced this result; change that one."))
        if application.status not in OVERRIDABLE:
            raise _refusal(application)
        before = locked.effective_outcome
        locked.override_outcome = outcome
        locked.override_reason = reason
        locked.overridden_by = actor
        locked.overridden_at = timezone.now()
        locked.save(
            update_fields=["override_outcome", "override_reason", "overridden_by", "overridden_at"]
        )
        overall = _set_outcome(application, _current_results(application))
        if CONCLUDED.get(application.status, overall) != overall:
            application_transition(
                application=application,
                to=Status.SCREENING,
                actor=actor,
                note=_("An officer changed a screening result."),
            )
        audit_event_record(
            actor=actor,
            verb="application.screening_overridden",
            target=application,
            office=application.office,
            data={"rule": locked.rule, "from": before, "to": outcome, "reason": reason},
        )
    return locked


# Conclude ----------------------------------------------------------------------------------


def failure_reason(result: ScreeningResult) -> str:
    """Why a result fails, in the words of the rule or of the officer who failed it."""
    if result.override_outcome == ScreeningOutcome.FAIL and result.outcome != ScreeningOutcome.FAIL:
        return result.override_reason
    return result.reason


def screening_conclude(*, application: Application, actor) -> Application:
    """The officer confirms the screening. Any fail: the application is not eligible and the
    person who submitted it is told why. Any result still referred: refused until an officer
    has given a result for it. Otherwise: eligible."""
    with transaction.atomic():
        locked = _locked(application.pk)
        if locked.status in CONCLUDED:
            raise DomainError(
                _("The screening has already been confirmed: the application is %(status)s.")
                % {"status": Status(locked.status).label.lower()}
            )
        if locked.status not in SCREENABLE:
            raise _refusal(locked)
        results = _current_results(locked)
        if not results:
            raise DomainError(_("Run the screening before confirming it."))
        outcome = _set_outcome(locked, results)
        if outcome == ScreeningOutcome.REFER:
            raise DomainError(
                _(
                    "Some results are referred to an officer. Give the officer's result, with "
                    "a reason, for each of them before confirming the screening."
                )
            )
        if outcome == ScreeningOutcome.FAIL:
            _move(locked, Status.INELIGIBLE, actor)
            failed = [r for r in results if r.effective_outcome == ScreeningOutcome.FAIL]
            job_enqueue(
                send_not_eligible,
                office=locked.office,
                application_id=locked.pk,
                result_ids=[r.pk for r in failed],
            )
        else:
            _move(locked, Status.ELIGIBLE, actor)
        audit_event_record(
            actor=actor,
            verb="application.screening_concluded",
            target=locked,
            office=locked.office,
            data={"outcome": outcome},
        )
    application.status, application.screening_outcome = locked.status, outcome
    return locked


@background_job(label=gettext_lazy("Not eligible e-mail"))
def send_not_eligible(*, application_id: int, result_ids: list[int]) -> None:
    """Tell the person who submitted an application why it is not eligible."""
    application = Application.objects.select_related(
        "office", "fund", "round", "organisation", "submitted_by"
    ).get(pk=application_id)
    failed = list(ScreeningResult.objects.filter(pk__in=result_ids).order_by("id"))
    submitter = application.submitted_by
    recipient = submitter.email if submitter else application.organisation.email
    if not recipient:
        return
    reasons = "\n".join(f"- {RULE_TITLES.get(r.rule, r.rule)}: {failure_reason(r)}" for r in failed)
    send_mail(
        subject=_("Application %(ref)s is not eligible") % {"ref": application.reference},
        message=_(
            "%(office)s has checked your application %(ref)s, '%(title)s', to %(round)s "
            "against the rules of the %(fund)s. It is not eligible, for these reasons:\n\n"
            "%(reasons)s\n\nIf you have a question about this, contact %(contact)s.\n"
        )
        % {
            "office": application.office.name,
            "ref": application.reference,
            "title": application.title,
            "round": application.round.title,
            "fund": application.fund.name,
            "reasons": reasons,
            "contact": application.office.email or application.office.name,
        },
        from_email=None,
        recipient_list=[recipient],
    )
