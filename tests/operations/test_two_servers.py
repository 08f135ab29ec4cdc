"""Two app servers, one database (issue 14, item 3): the concurrency cases fired over HTTP and
split across two gunicorn servers, each with its own worker processes, on one PostgreSQL. Only
the database's row locks keep them apart, as on a scaled-out deployment. PostgreSQL only."""

import datetime as dt
import re
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection  # noqa: F401 - read by the skipif below

from commissioning.accounts.models import Role
from commissioning.applications.models import Application, Status
from commissioning.audit.models import AuditEvent
from commissioning.awards.models import Award, EntryKind, LedgerEntry
from commissioning.awards.selectors import balance_of
from commissioning.awards.services import ledger_sync_office
from commissioning.decisions.models import DecisionRecord, DecisionSequence, DecisionStatus
from commissioning.decisions.services import decision_submit_for_signature
from commissioning.offices.models import Budget
from tests.accounts.factories import PASSWORD, staff_user
from tests.applications.factories import (
    CompleteDraftFactory,
    OrganisationFactory,
    RoundFactory,
    member_of,
)
from tests.decisions.conftest import approve, draft, recommended
from tests.operations.servers import http_session, signed_in_session

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL"),
    pytest.mark.xdist_group("app-servers"),
]


def fire(requests_to_send, workers=30):
    """Send every (session, method, url, data) at once from its own thread."""

    def send(item):
        session, method, url, data = item
        return session.request(method, url, data=data, allow_redirects=False, timeout=60)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(send, requests_to_send))


def sign_in_on_one_server_holds_on_the_other(two_servers, office):
    a, b = two_servers
    user = member_of(
        CompleteDraftFactory(round=RoundFactory(fund=office.funds.get(code="CF"))).organisation
    )
    browser = http_session()
    page = browser.get(f"{a.url}/accounts/login/")
    assert page.status_code == 200
    signed = browser.post(
        f"{a.url}/accounts/login/",
        data={"login": user.email, "password": PASSWORD},
        headers={"X-CSRFToken": browser.cookies["csrftoken"]},
        allow_redirects=False,
    )
    assert signed.status_code == 302, signed.text[:500]
    mine = browser.get(f"{b.url}/applications/", allow_redirects=False)
    assert mine.status_code == 200
    assert "Safer Parks after dark" in mine.text
    # and a stranger on server B is sent to sign in
    assert http_session().get(f"{b.url}/applications/", allow_redirects=False).status_code == 302


def submissions_of_one_draft_submit_it_once(two_servers, office):
    application = CompleteDraftFactory(round=RoundFactory(fund=office.funds.get(code="CF")))
    user = member_of(application.organisation)
    session_key = signed_in_session(user, mfa=False)
    browsers = [http_session(session_key) for _ in range(30)]
    url = f"/applications/{application.public_id}/check/"
    responses = fire(
        [
            (browser, "POST", two_servers[n % 2].url + url, {"send_endorsement_requests": "yes"})
            for n, browser in enumerate(browsers)
        ]
    )
    assert [r.status_code for r in responses] == [302] * 30
    assert {r.headers["Location"] for r in responses} == {
        f"/applications/{application.public_id}/submitted/"
    }
    application.refresh_from_db()
    assert application.status != Status.DRAFT and application.reference
    assert Application.objects.filter(pk=application.pk).count() == 1
    assert (
        AuditEvent.objects.filter(
            verb="application.submitted", target_id=str(application.pk)
        ).count()
        == 1
    )


def decisions_drafted_at_once_never_share_a_number(two_servers, office):
    round_ = RoundFactory(fund=office.funds.get(code="CF"), slug="spring")
    applications = [recommended(round_) for _ in range(30)]
    officer = staff_user(office, Role.COMMISSIONING_OFFICER)
    session_key = signed_in_session(officer, mfa=True)
    url = f"/staff/{office.slug}/decisions/new/"
    record = {"title": "Awards", "summary": "Spring panel.", "rationale": "Meets the plan."}
    responses = fire(
        [
            (
                http_session(session_key),
                "POST",
                two_servers[n % 2].url + url,
                {**record, f"outcome_{a.pk}": "approve", f"amount_{a.pk}": "2000"},
            )
            for n, a in enumerate(applications)
        ]
    )
    assert [r.status_code for r in responses] == [302] * 30, [
        re.findall(r"govuk-error-message[^<]*<[^<]*", r.text)[:2] for r in responses
    ]
    numbers = list(DecisionRecord.objects.filter(office=office).values_list("number", flat=True))
    assert len(numbers) == 30 == len(set(numbers))
    assert DecisionSequence.objects.get(office=office).last == 30


def signatures_against_a_budget_for_60_make_exactly_60_awards(two_servers, office):
    """The ledger case over HTTP: 100 decisions of £100 each wait for the commissioner's
    signature; the last signature makes the award and commits it to the 2027/28 budget of
    £6,000. Fired at once across both servers, exactly 60 are signed and commit, 40 are
    refused because the budget is spent, and the ledger adds up."""
    fund = office.funds.get(code="CF")
    budget = Budget.objects.get(fund=fund, financial_year=2027)
    budget.allocation = Decimal("6000")
    budget.save()
    ledger_sync_office(office=office)
    round_ = RoundFactory(fund=fund, slug="race")
    officer = staff_user(office, Role.COMMISSIONING_OFFICER)
    commissioner = staff_user(office, Role.COMMISSIONER)
    decisions = []
    organisation = OrganisationFactory(applicant_type="charity")
    for _ in range(100):
        application = recommended(
            round_,
            amount="100",
            organisation=organisation,
            starts_on=dt.date(2027, 4, 1),
            ends_on=dt.date(2028, 3, 31),
        )
        decision = draft(office, officer, [approve(application)])
        decisions.append(decision_submit_for_signature(decision=decision, actor=officer))
    session_key = signed_in_session(commissioner, mfa=True)
    started = time.perf_counter()
    responses = fire(
        [
            (
                http_session(session_key),
                "POST",
                f"{two_servers[n % 2].url}/staff/{office.slug}/decisions/{d.slug}/sign/",
                {},
            )
            for n, d in enumerate(decisions)
        ]
    )
    print(f"100 signatures: {time.perf_counter() - started:.1f} s")
    assert [r.status_code for r in responses] == [302] * 100
    assert DecisionRecord.objects.filter(office=office, signed_at__isnull=False).count() == 60
    assert (
        DecisionRecord.objects.filter(
            office=office, status=DecisionStatus.AWAITING_SIGNATURES
        ).count()
        == 40
    )
    assert Award.objects.filter(office=office).count() == 60
    assert LedgerEntry.objects.filter(budget=budget, kind=EntryKind.COMMITMENT).count() == 60
    balance = balance_of(budget)
    assert balance.committed == Decimal("6000.00")
    assert balance.remaining == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_on_one_database(two_servers, office):
    """One test, so the database is emptied once: each case in turn, all across both servers."""
    sign_in_on_one_server_holds_on_the_other(two_servers, office)
    # 30 parallel submissions of one draft: exactly one submission.
    submissions_of_one_draft_submit_it_once(two_servers, office)
    # 30 parallel new decision records: 30 numbers, no duplicate.
    decisions_drafted_at_once_never_share_a_number(two_servers, office)
    # 100 commitments of £100 against £6,000: exactly 60.
    signatures_against_a_budget_for_60_make_exactly_60_awards(two_servers, office)
