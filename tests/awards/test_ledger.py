"""The budget ledger (issue 10, item 2; ST6): append-only entries, balances derived from them,
never over-committed, including under concurrency on PostgreSQL."""

import io
import itertools
import queue
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.awards.models import EntryKind, LedgerEntry
from commissioning.awards.selectors import balance_of
from commissioning.awards.services import ledger_commit, ledger_entry_add, ledger_sync_office
from commissioning.core.errors import DomainError
from commissioning.offices.models import Budget, BudgetTopSlice
from commissioning.offices.packs import load_pack
from tests.conftest import MINIMAL_PACK, write_pack

_years = itertools.count(2200)


def _budget(office, allocation="10000", year=None) -> Budget:
    return Budget.objects.create(
        fund=office.funds.get(code="CF"),
        financial_year=year or next(_years),
        allocation=Decimal(allocation),
    )


@pytest.mark.django_db
def test_loading_a_pack_writes_allocations_and_top_slices_to_the_ledger(office):
    budget = Budget.objects.get(fund__office=office, fund__code="CF", financial_year=2025)
    balance = balance_of(budget)
    assert balance.allocated == Decimal("30000.00")
    assert balance.top_sliced == Decimal("10000.00")
    assert balance.remaining == Decimal("20000.00")
    kinds = sorted(LedgerEntry.objects.filter(budget=budget).values_list("kind", flat=True))
    assert kinds == [EntryKind.ALLOCATION, EntryKind.TOP_SLICE]


@pytest.mark.django_db
def test_loading_the_same_pack_again_adds_no_entry(office):
    before = LedgerEntry.objects.count()
    load_pack(MINIMAL_PACK)
    assert LedgerEntry.objects.count() == before


@pytest.mark.django_db
def test_a_changed_allocation_is_an_adjustment_and_the_first_is_kept(office, tmp_path):
    import yaml

    data = yaml.safe_load(MINIMAL_PACK.read_text())
    data["funds"][0]["budgets"][0]["allocation"] = 55000
    load_pack(write_pack(tmp_path / "testshire.yaml", data))
    budget = Budget.objects.get(fund__office=office, fund__code="CF", financial_year=2026)
    entries = list(LedgerEntry.objects.filter(budget=budget).order_by("id"))
    assert [(e.kind, e.amount) for e in entries] == [
        (EntryKind.ALLOCATION, Decimal("50000.00")),
        (EntryKind.ADJUSTMENT, Decimal("5000.00")),
    ]
    assert balance_of(budget).allocated == Decimal("55000.00")


@pytest.mark.django_db
def test_a_pack_that_cuts_a_budget_below_its_commitments_is_refused(office, tmp_path):
    import yaml

    budget = Budget.objects.get(fund__office=office, fund__code="CF", financial_year=2026)
    ledger_commit(budget=budget, amount="40000", actor=None, reason="Awards")
    data = yaml.safe_load(MINIMAL_PACK.read_text())
    data["funds"][0]["budgets"][0]["allocation"] = 30000
    with pytest.raises(DomainError, match="£30,000.00 to award, but £40,000.00 is already"):
        load_pack(write_pack(tmp_path / "testshire.yaml", data))
    budget.refresh_from_db()
    assert budget.allocation == Decimal("50000.00")
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 pack"):
        call_command("load_pack", str(tmp_path / "testshire.yaml"), stderr=stderr)
    assert "£30,000.00 to award, but £40,000.00 is already committed" in stderr.getvalue()


@pytest.mark.django_db
def test_a_commitment_larger_than_remains_is_refused_with_both_figures(office):
    budget = _budget(office, "20500", year=2030)
    ledger_commit(budget=budget, amount="12000", actor=None, reason="Earlier awards")
    with pytest.raises(DomainError) as refused:
        ledger_commit(budget=budget, amount="12000", actor=None, reason="One more")
    assert refused.value.message == (
        "£12,000.00 is more than the £8,500.00 that remains in the Community Fund for 2030/31."
    )
    assert balance_of(budget).committed == Decimal("12000.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "amount", "message"),
    [
        (EntryKind.PAYMENT, "600", "£600.00 is more than the £500.00 committed and not yet paid"),
        (EntryKind.RELEASE, "600", "£600.00 is more than the £500.00 committed and not yet paid"),
        (EntryKind.CLAWBACK, "1", "£1.00 is more than the £0.00 paid"),
        (EntryKind.TOP_SLICE, "9600", "£9,600.00 is more than the £9,500.00 that remains"),
        (EntryKind.ADJUSTMENT, "-9600", "£9,600.00 is more than the £9,500.00 that remains"),
        (EntryKind.COMMITMENT, "-5", "more than £0"),
        (EntryKind.PAYMENT, "1.001", "more than two decimal places"),
    ],
)
def test_entries_that_would_break_the_ledger_are_refused(office, kind, amount, message):
    budget = _budget(office)
    ledger_commit(budget=budget, amount="500", actor=None, reason="An award")
    before = LedgerEntry.objects.filter(budget=budget).count()
    with pytest.raises(DomainError, match=message):
        ledger_entry_add(budget=budget, kind=kind, amount=amount, actor=None, reason="Try")
    assert LedgerEntry.objects.filter(budget=budget).count() == before


@pytest.mark.django_db
def test_the_budget_rows_own_top_slices_reach_the_ledger_on_the_next_entry(office):
    budget = _budget(office, "9000")
    BudgetTopSlice.objects.create(budget=budget, purpose="Partnership", amount=Decimal("3000"))
    with pytest.raises(DomainError, match="£6,000.00 that remains"):
        ledger_commit(budget=budget, amount="6000.01", actor=None, reason="Too much")
    ledger_sync_office(office=office)
    assert balance_of(budget).remaining == Decimal("6000.00")


# Invariants under any sequence of operations ----------------------------------------------

KINDS = [k for k in EntryKind.values if k != EntryKind.ALLOCATION]
operations = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.decimals(min_value="-3000", max_value="6000", places=2, allow_nan=False),
    ),
    max_size=25,
)


def _sums(budget) -> dict[str, Decimal]:
    totals = {kind: Decimal("0.00") for kind in EntryKind.values}
    for kind, amount in LedgerEntry.objects.filter(budget=budget).values_list("kind", "amount"):
        totals[kind] += amount
    return totals


@pytest.mark.django_db
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(allocation=st.integers(min_value=0, max_value=20000), ops=operations)
def test_ledger_invariants_hold_under_any_sequence_of_operations(office, allocation, ops):
    with transaction.atomic():
        budget = _budget(office, str(allocation))
        for kind, amount in ops:
            try:
                ledger_entry_add(budget=budget, kind=kind, amount=amount, actor=None, reason="x")
            except DomainError:
                pass
            balance = balance_of(budget)
            sums = _sums(budget)
            # Balances are the sums of the entries, nothing stored beside them.
            assert balance.allocated == sums["allocation"] + sums["adjustment"]
            assert balance.top_sliced == sums["top_slice"]
            assert balance.committed == sums["commitment"]
            assert balance.released == sums["release"]
            assert balance.paid == sums["payment"] - sums["clawback"]
            # Paid never exceeds committed; committed never exceeds allocated less top-slices.
            assert Decimal("0") <= balance.paid <= balance.net_committed
            assert Decimal("0") <= balance.net_committed <= balance.allocated - balance.top_sliced
            assert balance.top_sliced >= 0
            assert balance.remaining >= 0
        transaction.set_rollback(True)


# Concurrency: real row locks ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_100_concurrent_commitments_against_a_budget_for_60_give_exactly_60(office):
    """Ten runs: each fires 100 commitments of £100 from a pool of threads at a budget of
    £6,000; exactly 60 succeed, 40 are refused with the plain message, and the figures add up."""
    fund = office.funds.get(code="CF")

    def worker(budget, tasks, results, barrier):
        barrier.wait()
        try:
            while True:
                try:
                    tasks.get_nowait()
                except queue.Empty:
                    return
                try:
                    ledger_commit(budget=budget, amount="100", actor=None, reason="Race")
                    results.append(None)
                except DomainError as exc:
                    results.append(exc.message)
        finally:
            connection.close()

    for run in range(10):
        year = 2100 + run
        budget = Budget.objects.create(fund=fund, financial_year=year, allocation=Decimal("6000"))
        ledger_sync_office(office=office)
        tasks, results, barrier = queue.Queue(), [], threading.Barrier(8)
        for n in range(100):
            tasks.put(n)
        threads = [
            threading.Thread(target=worker, args=(budget, tasks, results, barrier))
            for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 100
        refusals = [r for r in results if r is not None]
        assert results.count(None) == 60, run
        label = f"{year}/{(year + 1) % 100:02d}"
        assert (
            refusals
            == [f"£100.00 is more than the £0.00 that remains in the Community Fund for {label}."]
            * 40
        )
        balance = balance_of(budget)
        assert balance.committed == Decimal("6000.00")
        assert balance.remaining == Decimal("0.00")
        assert LedgerEntry.objects.filter(budget=budget, kind=EntryKind.COMMITMENT).count() == 60
