"""The one transition guard (issue 8, item 5), walked over every workflow's table: each allowed
move succeeds and is recorded and audited; every other move is refused in plain English and
writes nothing; a stale copy cannot move a record from a state it has already left."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import ProtectedError, TextChoices

from commissioning.applications.models import APPLICATION_WORKFLOW, Application, Status
from commissioning.applications.models import StatusChange as ApplicationStatusChange
from commissioning.audit.models import AuditEvent
from commissioning.awards.agreements.models import Agreement
from commissioning.awards.models import Award, BankAccount, Instalment, PaymentRun
from commissioning.core.errors import DomainError
from commissioning.core.transitions import WORKFLOWS, Workflow, transition
from commissioning.decisions.models import (
    DECISION_WORKFLOW,
    DecisionApplication,
    DecisionRecord,
    DecisionStatus,
)
from commissioning.monitoring.models import MonitoringReturn, MonitoringSchedule
from commissioning.monitoring.performance.models import Decommissioning
from commissioning.procurement.exercises.models import ProcurementExercise, Route
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, OrganisationFactory, RoundFactory

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _application_in(office, state: str) -> Application:
    n = next(_numbers)
    return ApplicationFactory(
        round=RoundFactory(fund=office.funds.get(code="CF")),
        status=state,
        reference=f"TST-CF-2026-{9000 + n}",
        title=f"Project {n}",
    )


def _decision_in(office, state: str) -> DecisionRecord:
    n = next(_numbers)
    return DecisionRecord.objects.create(
        office=office,
        number=f"TST/2026/{900 + n}",
        slug=f"tst-2026-{900 + n}",
        status=state,
        title=f"Decision {n}",
        summary="Awards from the spring panel.",
        rationale="The projects meet the plan's priorities.",
        required_roles=["commissioner"],
    )


def _award_in(office, state: str) -> Award:
    application = _application_in(office, Status.APPROVED)
    decision = _decision_in(office, DecisionStatus.SIGNED)
    line = DecisionApplication.objects.create(
        decision=decision,
        application=application,
        outcome=DecisionApplication.Outcome.APPROVE,
        amount=Decimal("1000.00"),
    )
    return Award.objects.create(
        office=office,
        reference=application.reference,
        application=application,
        decision=decision,
        decision_line=line,
        organisation=application.organisation,
        fund=application.fund,
        title=application.title,
        amount=line.amount,
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2027, 3, 31),
        first_year=2026,
        last_year=2026,
        status=state,
    )


def _variation_in(office, state: str):
    from commissioning.awards.variations.models import Variation

    award = _award_in(office, "active")
    return Variation.objects.create(
        office=office,
        award=award,
        number=1,
        status=state,
        reason="Extension",
        amount_before=award.amount,
        amount_after=award.amount,
        starts_on_before=award.starts_on,
        starts_on_after=award.starts_on,
        ends_on_before=award.ends_on,
        ends_on_after=dt.date(2027, 6, 30),
    )


def _agreement_in(office, state: str) -> Agreement:
    """An agreement with every part filled, so that any state's constraints hold."""
    now = dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC)
    return Agreement.objects.create(
        award=_award_in(office, "sent"),
        version=1,
        status=state,
        reason="The award",
        template_code="grant",
        template_version=1,
        template_title="Grant agreement",
        document_sha256="a" * 64,
        sent_at=now,
        provider_name="Pat Signer",
        provider_role="Chair",
        provider_signature="Pat Signer",
        provider_confirmed=True,
        provider_signed_at=now,
        provider_sha256="a" * 64,
        countersigned_at=now,
        countersigned_sha256="a" * 64,
    )


def _claim_in(office, state: str):
    from commissioning.awards.claims.models import Claim

    award = _award_in(office, "active")
    return Claim.objects.create(
        award=award,
        number=1,
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 6, 30),
        amount=Decimal("500.00"),
        status=state,
        approved_amount=Decimal("500.00") if state == "approved" else None,
    )


def _instalment_in(office, state: str) -> Instalment:
    award = _award_in(office, "active")
    return Instalment.objects.create(
        office=office,
        award=award,
        sequence=1,
        label="Payment on the signed agreement",
        basis="upfront",
        amount=award.amount,
        due_on=award.starts_on,
        condition="agreement",
        condition_label="the grant agreement countersigned",
        status=state,
    )


def _bank_account_in(office, state: str) -> BankAccount:
    return BankAccount.objects.create(
        organisation=OrganisationFactory(),
        account_name="Trust",
        sort_code_token="token",
        account_number_token="token",
        last4="1234",
        given_phone="01632 960 001",
        status=state,
    )


def _payment_run_in(office, state: str) -> PaymentRun:
    n = next(_numbers)
    return PaymentRun.objects.create(
        office=office, reference=f"TST-PR-2026-{n:03d}", total=Decimal("100.00"), status=state
    )


def _return_in(office, state: str) -> MonitoringReturn:
    award = _award_in(office, "active")
    schedule = MonitoringSchedule.objects.create(
        award=award,
        office=office,
        award_form="grant",
        subject_reference=award.reference,
        organisation=award.organisation,
    )
    return MonitoringReturn.objects.create(
        office=office,
        award=award,
        schedule=schedule,
        number=1,
        kind="return",
        period_start=award.starts_on,
        period_end=award.ends_on,
        due_on=award.ends_on,
        status=state,
    )


def _decommissioning_in(office, state: str) -> Decommissioning:
    award = _award_in(office, "active")
    return Decommissioning.objects.create(
        office=office,
        award=award,
        reference=f"{award.reference}-DC1",
        reason="Not delivering",
        proposed_end_on=award.ends_on,
        status=state,
    )


def _exercise_in(office, state: str) -> ProcurementExercise:
    n = next(_numbers)
    return ProcurementExercise.objects.create(
        office=office,
        reference=f"TST-PX-2026-{n:03d}",
        title="Victim care",
        description="A victims' service",
        fund=office.funds.first(),
        estimated_value=Decimal("4000.00"),
        route=Route.ONE_QUOTE,
        route_label="One written quote",
        status=state,
    )


def _report_in(office, state: str):
    from commissioning.transparency.reports.models import ReportRequest

    n = next(_numbers)
    return ReportRequest.objects.create(
        office=office, public_id=f"report-{n}", kind="panel", year=2026, format="pdf", status=state
    )


# How to make a record in any state of each workflow. A workflow without an entry here fails
# test_every_workflow_is_walked, so a new one cannot go untested.
MAKERS = {
    "application": _application_in,
    "decision": _decision_in,
    "award": _award_in,
    "variation": _variation_in,
    "agreement": _agreement_in,
    "claim": _claim_in,
    "monitoring_return": _return_in,
    "decommissioning": _decommissioning_in,
    "instalment": _instalment_in,
    "bank_account": _bank_account_in,
    "payment_run": _payment_run_in,
    "procurement_exercise": _exercise_in,
    "report": _report_in,
}

PAIRS = [
    pytest.param(workflow, old, new, id=f"{workflow}:{old}->{new}")
    for workflow in WORKFLOWS
    for old, new in workflow.pairs()
]


def _state(workflow: Workflow, record) -> str:
    return workflow.model._default_manager.values_list(workflow.field, flat=True).get(pk=record.pk)


def _changes(workflow: Workflow, record):
    return workflow.changes._default_manager.filter(**{workflow.changes.subject_field: record})


def _events(record):
    return AuditEvent.objects.filter(target_type=record._meta.label_lower, target_id=str(record.pk))


def test_every_workflow_is_walked():
    assert {str(w) for w in WORKFLOWS} >= {"application", "decision", "award"}
    assert {str(w) for w in WORKFLOWS} <= set(MAKERS)


@pytest.mark.parametrize(("workflow", "old", "new"), PAIRS)
def test_every_pair_in_every_table_is_allowed_or_refused_as_the_table_says(
    office, workflow, old, new
):
    record = MAKERS[str(workflow)](office, old)
    actor = UserFactory()
    if workflow.allows(old, new):
        change = transition(workflow, record, to=new, actor=actor, note="Checked.")
        assert getattr(record, workflow.field) == new
        assert _state(workflow, record) == new
        assert (change.old, change.new, change.actor, change.note) == (old, new, actor, "Checked.")
        assert change.at is not None
        assert list(_changes(workflow, record)) == [change]
        event = _events(record).get()
        assert event.verb == f"{workflow}.{new}"
        assert event.actor == actor and event.office == workflow.office_of(record)
        assert event.data == {"from": old, "to": new, "note": "Checked."}
    else:
        with pytest.raises(DomainError) as refused:
            transition(workflow, record, to=new, actor=actor, note="Checked.")
        assert refused.value.message == workflow.refusal % {
            "old": workflow.label(old),
            "new": workflow.label(new),
        }
        assert getattr(record, workflow.field) == old
        assert _state(workflow, record) == old
        assert not _changes(workflow, record).exists()
        assert not _events(record).exists()


def test_refusals_name_both_states_in_plain_english(office):
    decision = _decision_in(office, DecisionStatus.SIGNED)
    with pytest.raises(DomainError, match="^A decision record that is signed cannot become draft"):
        transition(DECISION_WORKFLOW, decision, to=DecisionStatus.DRAFT, actor=None)
    application = _application_in(office, Status.APPROVED)
    with pytest.raises(
        DomainError, match="^An application that is approved cannot become being checked"
    ):
        transition(APPLICATION_WORKFLOW, application, to=Status.SCREENING, actor=None)


def test_a_stale_copy_cannot_move_a_record_from_a_state_it_has_left(office):
    """The guard reads the state under the row lock, not from the caller's copy: a second
    request holding the draft as it was cannot send it for signature twice, nor withdraw it."""
    stale = _decision_in(office, DecisionStatus.DRAFT)
    fresh = DecisionRecord.objects.get(pk=stale.pk)
    transition(DECISION_WORKFLOW, fresh, to=DecisionStatus.AWAITING_SIGNATURES, actor=None)
    assert stale.status == DecisionStatus.DRAFT
    for to in (DecisionStatus.AWAITING_SIGNATURES, DecisionStatus.WITHDRAWN):
        with pytest.raises(DomainError, match="awaiting signatures cannot become"):
            transition(DECISION_WORKFLOW, stale, to=to, actor=None)
    assert _state(DECISION_WORKFLOW, stale) == DecisionStatus.AWAITING_SIGNATURES
    assert _changes(DECISION_WORKFLOW, stale).count() == 1
    assert _events(stale).count() == 1


def test_a_stale_copy_records_the_state_the_record_was_really_in(office):
    stale = _application_in(office, Status.DRAFT)
    fresh = Application.objects.get(pk=stale.pk)
    transition(APPLICATION_WORKFLOW, fresh, to=Status.SUBMITTED, actor=None)
    change = transition(APPLICATION_WORKFLOW, stale, to=Status.WITHDRAWN, actor=None)
    assert (change.old, change.new) == (Status.SUBMITTED, Status.WITHDRAWN)
    assert stale.status == Status.WITHDRAWN
    assert _events(stale).latest("id").data["from"] == Status.SUBMITTED


def test_a_transition_records_who_last_changed_the_record(office):
    actor = UserFactory()
    application = _application_in(office, Status.SUBMITTED)
    transition(APPLICATION_WORKFLOW, application, to=Status.ELIGIBLE, actor=actor)
    application.refresh_from_db()
    assert application.updated_by == actor
    transition(APPLICATION_WORKFLOW, application, to=Status.IN_ASSESSMENT, actor=None)
    application.refresh_from_db()
    assert application.updated_by == actor  # the system moved it; the last person stays


def test_status_changes_are_never_deleted_with_their_record(office):
    """Applications' status changes used to cascade away with the application; both
    workflows now protect them, as records of public money."""
    application = _application_in(office, Status.DRAFT)
    transition(APPLICATION_WORKFLOW, application, to=Status.WITHDRAWN, actor=None)
    with pytest.raises(ProtectedError):
        Application.objects.filter(pk=application.pk).delete()
    assert ApplicationStatusChange.objects.filter(application_id=application.pk).exists()


class _Colour(TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"


@pytest.mark.parametrize(
    "allowed",
    [
        {_Colour.RED: frozenset({_Colour.GREEN})},  # green is missing
        {_Colour.RED: frozenset({"blue"}), _Colour.GREEN: frozenset()},  # blue is no state
    ],
)
def test_a_table_must_name_every_state_and_no_other(allowed):
    count = len(WORKFLOWS)
    with pytest.raises(ImproperlyConfigured):
        Workflow(
            model=Application,
            changes=ApplicationStatusChange,
            states=_Colour,
            allowed=allowed,
            audit_name="colour",
            refusal="%(old)s cannot become %(new)s",
        )
    assert len(WORKFLOWS) == count
