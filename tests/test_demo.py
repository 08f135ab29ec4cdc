"""The demo data (`make run`): every office shows each part of the cycle in its typical states,
and seeding again adds nothing. The demo is seeded once, for real (committed, as `seed_demo`
does: the decisions' demo waits for its commit), and each app's expectations are checked on it.
"""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from commissioning.assessment import demo as assessment_demo
from commissioning.assessment.models import ConflictDeclaration, Panel, ScoreSheet
from commissioning.awards.agreements.models import Agreement, AgreementStatus
from commissioning.awards.bank.models import BankAccount, BankAccountStatus
from commissioning.awards.claims.models import Claim, ClaimStatus
from commissioning.awards.models import Award, AwardStatus, EntryKind, LedgerEntry
from commissioning.awards.payments.models import Instalment, InstalmentStatus, PaymentRun
from commissioning.awards.variations.models import Variation, VariationStatus
from commissioning.cycle.evidence.models import EvidenceItem
from commissioning.cycle.models import CommissioningProject, ExistingProvision, NeedsAssessment
from commissioning.cycle.needs.selectors import office_gaps
from commissioning.monitoring.models import (
    MeetingAction,
    MonitoringMeeting,
    MonitoringReturn,
    MonitoringSchedule,
)
from commissioning.offices.models import Office
from tests.conftest import PACKS
from tests.procurement.demo_checks import check_procurement_and_ocds
from tests.transparency.helpers import check_register_and_open_data

pytestmark = pytest.mark.django_db(transaction=True)


def _check_panels(office):
    moderated = Panel.objects.get(office=office, name=assessment_demo.MODERATED)
    scoring = Panel.objects.get(office=office, name=assessment_demo.SCORING)
    assert {r.outcome for r in moderated.recommendations.all()} == {
        "fund",
        "fund_with_conditions",
        "decline",
    }
    assert moderated.allocation_runs.count() == 1
    assert ConflictDeclaration.objects.filter(member__panel=moderated, has_conflict=True).exists()
    sheets = ScoreSheet.objects.filter(member__panel=scoring)
    assert sheets.filter(submitted_at__isnull=True).exists()
    assert sheets.filter(submitted_at__isnull=False).exists()
    assert not scoring.recommendations.exists()


def _check_agreements(office):
    agreements = Agreement.objects.filter(award__office=office).select_related("award")
    by_status = {a.status: a for a in agreements}
    assert set(by_status) == {
        AgreementStatus.SENT,
        AgreementStatus.SIGNED_BY_PROVIDER,
        AgreementStatus.COUNTERSIGNED,
    }
    assert by_status[AgreementStatus.COUNTERSIGNED].award.status == AwardStatus.ACTIVE
    assert by_status[AgreementStatus.SENT].award.status == AwardStatus.SENT


def _check_payments(office):
    statuses = set(Instalment.objects.filter(office=office).values_list("status", flat=True))
    assert {InstalmentStatus.PAID, InstalmentStatus.RELEASABLE, InstalmentStatus.SCHEDULED} <= (
        statuses
    )
    assert PaymentRun.objects.get(office=office).status == "paid"
    assert LedgerEntry.objects.filter(award__office=office, kind=EntryKind.PAYMENT).exists()
    accounts = BankAccount.objects.filter(organisation__awards__office=office)
    assert accounts.filter(status=BankAccountStatus.ENTERED).exists()
    assert accounts.filter(status=BankAccountStatus.VERIFIED).exists()


def _check_claims(office):
    claims = Claim.objects.filter(award__office=office)
    assert {c.status for c in claims} == {ClaimStatus.APPROVED, ClaimStatus.SUBMITTED}
    assert all(c.award.status == "active" and c.evidence.exists() for c in claims)
    approved = claims.get(status=ClaimStatus.APPROVED)
    assert approved.approved_amount < approved.amount and approved.finance_comments


def _check_variations(office):
    statuses = sorted(Variation.objects.filter(office=office).values_list("status", flat=True))
    assert statuses == [VariationStatus.APPROVED, VariationStatus.PROPOSED]


def _check_monitoring(office):
    statuses = set(MonitoringReturn.objects.filter(office=office).values_list("status", flat=True))
    assert {"draft", "submitted", "accepted", "returned"} <= statuses
    assert MonitoringSchedule.objects.filter(award__office=office).count() == (
        Award.objects.filter(office=office).count()
    )
    drafts = MonitoringReturn.objects.filter(office=office, status="draft")
    today = timezone.localdate()
    assert drafts.filter(due_on__lt=today).exists(), "no overdue return"
    assert drafts.filter(due_on__gte=today).exists(), "no return due"
    assert EvidenceItem.objects.filter(office=office).exists(), "no evidence item"
    assert MonitoringMeeting.objects.filter(award__office=office, held_on__isnull=False).exists()
    assert MeetingAction.objects.filter(meeting__award__office=office).exists()


def _check_cycle(office):
    projects = CommissioningProject.objects.filter(office=office)
    assert projects.count() >= 2
    assert NeedsAssessment.objects.filter(office=office, project__isnull=False).exists()
    assert ExistingProvision.objects.filter(office=office, priorities__isnull=False).exists()
    assert office_gaps(office, office.created_at.date())["gap_count"] > 0
    assert office.engagement_events.exists() and office.feedback_surveys.exists()
    if office.slug == "cleveland":  # its commissioned services, one at each of its five stages
        assert sorted(projects.values_list("stage", flat=True)) == sorted(
            ["ASSESS", "ANALYSE", "ADVERTISE", "AWARD", "AUDIT"]
        )
        titles = set(projects.values_list("title", flat=True))
        assert {"Appropriate Adult Service", "Victim Care and Advice Service"} <= titles
        assert any("Probation" in title for title in titles)


CHECKS = [
    _check_cycle,
    _check_panels,
    _check_agreements,
    _check_payments,
    _check_claims,
    _check_variations,
    _check_monitoring,
    check_register_and_open_data,
    check_procurement_and_ocds,
]


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label.startswith(("accounts", "organisations"))
        or model.__module__.startswith("commissioning.")
    }


def test_every_office_shows_each_part_of_the_cycle_and_seeding_twice_adds_nothing(settings):
    settings.DEMO_MODE = True
    call_command("load_pack", all=True, verbosity=0)
    call_command("seed_demo", quiet_logins=True)
    offices = list(Office.objects.filter(slug__in=[p.stem for p in PACKS]).order_by("slug"))
    assert len(offices) == 5
    failures = []
    for office in offices:
        for check in CHECKS:
            try:
                check(office)
            except AssertionError as error:
                failures.append(f"{office.slug}: {check.__name__}: {error}")
    assert not failures, "\n".join(failures)

    before = _row_counts()
    call_command("seed_demo", quiet_logins=True)
    after = _row_counts()
    grew = {
        label: (before[label], after[label]) for label in before if after[label] != before[label]
    }
    # The second run only adds what a run always adds: audit events of the sign-ins it checks,
    # sessions, and the like are not domain records.
    grew.pop("audit.AuditEvent", None)
    assert not grew, grew
