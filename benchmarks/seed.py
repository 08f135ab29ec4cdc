"""Bulk data for the benchmark: many submitted applications in one office, written with
bulk_create (the services are exercised by the tests; here only volume matters)."""

import datetime as dt
import random
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from commissioning.accounts.mfa import totp_activate
from commissioning.accounts.models import Role, User
from commissioning.accounts.services import membership_grant
from commissioning.applications.models import (
    Application,
    BudgetLine,
    Outcome,
    Round,
    ScreeningResult,
    Status,
)
from commissioning.offices.models import Office
from commissioning.organisations.models import Organisation

STATUSES = [
    Status.SUBMITTED,
    Status.SCREENING,
    Status.ELIGIBLE,
    Status.INELIGIBLE,
    Status.IN_ASSESSMENT,
    Status.WITHDRAWN,
]
BATCH = 2000


def _office() -> Office:
    office = Office.objects.get(slug="essex")
    return office


def _rounds(office) -> list[Round]:
    fund = office.funds.get(code="CSDF")
    rounds = []
    now = timezone.now()
    for index in range(4):
        round_, _created = Round.objects.get_or_create(
            office=office,
            slug=f"bench-{index}",
            defaults={
                "fund": fund,
                "title": f"Benchmark call {index + 1}",
                "summary": "Benchmark",
                "criteria": "Benchmark",
                "opens_at": now - dt.timedelta(days=400 - index * 90),
                "closes_at": now - dt.timedelta(days=340 - index * 90),
            },
        )
        rounds.append(round_)
    return rounds


def seed_applications(target: int) -> dict:
    rng = random.Random(target)
    office = _office()
    rounds = _rounds(office)
    officer = User.objects.filter(email="bench.officer@example.org").first()
    if officer is None:
        officer = User.objects.create_user("bench.officer@example.org", "Bench-password-2026")
        membership_grant(user=officer, office=office, role=Role.COMMISSIONING_OFFICER)
        totp_activate(user=officer, secret="JBSWY3DPEHPK3PXP")  # noqa: S106
    organisations = list(Organisation.objects.filter(name__startswith="Bench group"))
    if not organisations:
        Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench group {i}",
                legal_form="unincorporated",
                applicant_type="community_group",
            )
            for i in range(500)
        )
        organisations = list(Organisation.objects.filter(name__startswith="Bench group"))
    areas = list(office.areas.all())
    priorities = list(office.plans.get(is_current=True).priorities.filter(selectable=True))
    existing = Application.objects.filter(office=office).count()
    now = timezone.now()
    fund = rounds[0].fund
    for start in range(existing, target, BATCH):
        batch = []
        for n in range(start, min(target, start + BATCH)):
            batch.append(
                Application(
                    office=office,
                    fund=fund,
                    round=rounds[n % 4],
                    organisation=organisations[n % len(organisations)],
                    reference=f"ESX-CSDF-B{n // 9999:02d}-{n % 9999 + 1:04d}",
                    public_id=f"bench{n:010d}",
                    status=STATUSES[rng.randrange(len(STATUSES))],
                    screening_outcome=rng.choice(["pass", "fail", "refer"]),
                    title=f"Community project {n}",
                    short_description="A community safety project.",
                    amount_requested=Decimal(rng.randrange(500, 20000)),
                    submitted_at=now - dt.timedelta(minutes=n),
                )
            )
        created = Application.objects.bulk_create(batch)
        Application.areas.through.objects.bulk_create(
            Application.areas.through(application_id=a.pk, area_id=areas[i % len(areas)].pk)
            for i, a in enumerate(created)
        )
        Application.priorities.through.objects.bulk_create(
            Application.priorities.through(
                application_id=a.pk, priority_id=priorities[i % len(priorities)].pk
            )
            for i, a in enumerate(created)
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(application=a, category=c, description=c, amount=Decimal(300), position=j)
            for a in created
            for j, c in enumerate(["staff", "venue", "equipment"])
        )
        Outcome.objects.bulk_create(
            Outcome(
                application=a,
                description="Fewer incidents",
                indicator="Reports",
                baseline="10",
                target="5",
                target_date=dt.date(2027, 3, 31),
            )
            for a in created
        )
    sample = Application.objects.filter(office=office).order_by("-submitted_at").first()
    if not sample.screening_results.exists():
        ScreeningResult.objects.bulk_create(
            ScreeningResult(application=sample, rule=rule, outcome="pass", reason="Benchmark")
            for rule in [
                "amount",
                "applicant_type",
                "endorsements",
                "safeguarding",
                "purpose",
                "ineligible_costs",
                "continuation",
                "duplication",
            ]
        )
    _refresh_statistics()
    return {
        "officer": officer,
        "list_url": f"/staff/{office.slug}/applications/",
        "round_slug": rounds[1].slug,
        "application_url": f"/staff/{office.slug}/applications/{sample.reference}/",
    }


def _refresh_statistics() -> None:
    """What autovacuum does on a live database after bulk loading: without it the planner
    guesses row counts from an empty table and counts cannot use index-only scans."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


DECISION_SIZE = 100  # approved lines per benchmark decision record


def seed_awards(target: int) -> dict:
    """`target` awards in the Essex office, one for each of the first `target` benchmark
    applications, made by signed decision records of 100 lines each and committed to the
    fund's budgets: the volume the staff awards list and the budget page must carry."""
    from commissioning.awards.models import (
        Award,
        AwardStatus,
        EntryKind,
        LedgerEntry,
        search_text_of,
    )
    from commissioning.decisions.models import (
        DecisionApplication,
        DecisionRecord,
        DecisionStatus,
    )
    from commissioning.offices.models import Budget

    setup = seed_applications(target)
    rng = random.Random(target + 1)
    office = _office()
    fund = office.funds.get(code="CSDF")
    budgets = {b.financial_year: b for b in Budget.objects.filter(fund=fund)}
    years = sorted(budgets)
    pending = list(
        Application.objects.filter(office=office, award__isnull=True)
        .order_by("id")
        .values_list(
            "id",
            "organisation_id",
            "reference",
            "title",
            "organisation__name",
            "short_description",
        )[: max(0, target - Award.objects.filter(office=office).count())]
    )
    now = timezone.now()
    statuses = [AwardStatus.OFFERED, AwardStatus.SENT, AwardStatus.ACTIVE, AwardStatus.COMPLETED]
    first = DecisionRecord.objects.filter(office=office, number__startswith="ESX/BENCH/").count()
    for index, start in enumerate(range(0, len(pending), DECISION_SIZE)):
        chunk = pending[start : start + DECISION_SIZE]
        number = f"ESX/BENCH/{first + index + 1:05d}"
        amounts = [Decimal(rng.randrange(250, 2500)) for _ in chunk]
        decision = DecisionRecord.objects.bulk_create(
            [
                DecisionRecord(
                    office=office,
                    number=number,
                    slug=number.lower().replace("/", "-"),
                    status=DecisionStatus.SIGNED,
                    title="Benchmark awards",
                    summary="Benchmark",
                    rationale="Benchmark",
                    total=sum(amounts, Decimal("0")),
                    required_roles=["commissioner"],
                    signed_at=now,
                )
            ]
        )[0]
        lines = DecisionApplication.objects.bulk_create(
            DecisionApplication(
                decision=decision, application_id=app_id, outcome="approve", amount=amount
            )
            for (app_id, *_rest), amount in zip(chunk, amounts, strict=True)
        )
        awards = []
        for n, (application, line) in enumerate(zip(chunk, lines, strict=True)):
            app_id, org_id, ref, title, organisation_name, description = application
            year = years[(start + n) % len(years)]
            starts_on = dt.date(year, 4, 1) + dt.timedelta(days=rng.randrange(0, 60))
            awards.append(
                Award(
                    office=office,
                    reference=ref,
                    application_id=app_id,
                    decision=decision,
                    decision_line=line,
                    organisation_id=org_id,
                    fund=fund,
                    title=title,
                    amount=line.amount,
                    starts_on=starts_on,
                    ends_on=starts_on + dt.timedelta(days=300),
                    first_year=year,
                    last_year=year,
                    status=statuses[(start + n) % len(statuses)],
                    made_at=now - dt.timedelta(minutes=start + n),
                    search_text=search_text_of(organisation_name, title, description),
                )
            )
        awards = Award.objects.bulk_create(awards)
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                budget=budgets[award.first_year],
                kind=EntryKind.COMMITMENT,
                amount=award.amount,
                award=award,
                reason=f"Award {award.reference}, decision {number}",
                at=award.made_at,
            )
            for award in awards
        )
    _refresh_statistics()
    sample = Award.objects.filter(office=office).order_by("-made_at", "-id").first()
    return {
        **setup,
        "awards_url": f"/staff/{office.slug}/awards/",
        "award_url": f"/staff/{office.slug}/awards/{sample.reference}/",
        "budgets_url": f"/staff/{office.slug}/budgets/",
        "budget_url": f"/staff/{office.slug}/budgets/{fund.code}/{years[-1]}/",
    }
