"""Payment and bank detail pages and the API (issue 10, items 4, 5, 8 and 9): finance
officers of the office only, an organisation's own people only, constant queries; and bank
details never shown anywhere but the payment file."""

import datetime as dt
import logging

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.services import api_token_create
from commissioning.audit.models import AuditEvent
from commissioning.awards.bank.models import BankAccountStatus
from commissioning.awards.payments.models import InstalmentStatus
from commissioning.awards.payments.services import (
    instalment_approve,
    payment_run_confirm,
    payment_run_create,
)
from commissioning.organisations.models import OrganisationMember
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import OrganisationFactory, member_of
from tests.awards.payments.conftest import (
    ACCOUNT_NUMBER,
    SORT_CODE,
    activate,
    admin_of,
    enter_bank_details,
    verified_bank_details,
)

pytestmark = pytest.mark.django_db
SECRETS = [SORT_CODE, f"{SORT_CODE[:2]}-{SORT_CODE[2:4]}-{SORT_CODE[4:]}", ACCOUNT_NUMBER]


@pytest.fixture
def paid(office, award, officer, finance):
    """The award active; its first instalment paid through a run; the second releasable; a
    change of bank details waiting."""
    activate(award, officer)
    verified_bank_details(award.organisation, office, finance)
    first = award.instalments.get(sequence=1)
    instalment_approve(instalment=first, actor=finance)
    run = payment_run_create(office=office, actor=finance)
    payment_run_confirm(run=run, paid_on=dt.date(2026, 4, 20), actor=finance)
    pending = enter_bank_details(
        award.organisation, account_number="55667788", phone="0800 1234567"
    )
    return {"award": award, "run": run, "first": first, "pending": pending}


def _staff_pages(office, paid):
    run, first, pending = paid["run"], paid["first"], paid["pending"]
    base = f"/staff/{office.slug}"
    return [
        f"{base}/payments/",
        f"{base}/payments/instalments/{first.pk}/",
        f"{base}/payments/runs/",
        f"{base}/payments/runs/{run.reference}/",
        f"{base}/bank-changes/",
        f"{base}/bank-changes/{pending.pk}/",
    ]


def test_finance_pages_for_the_offices_finance_officers_only(
    client, office, other_office, paid, officer, finance
):
    pages = _staff_pages(office, paid)
    sign_in(client, finance)
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert (
        client.get(
            f"/staff/{office.slug}/payments/runs/{paid['run'].reference}/file.csv"
        ).status_code
        == 200
    )
    for user in (officer, staff_user(other_office, Role.FINANCE_OFFICER)):
        client.logout()
        sign_in(client, user)
        for url in [*pages, f"/staff/{office.slug}/payments/runs/{paid['run'].reference}/file.csv"]:
            assert client.get(url).status_code == 404, (user, url)


def test_the_award_page_shows_its_instalments_to_staff(client, office, paid, officer):
    sign_in(client, officer)
    html = client.get(f"/staff/{office.slug}/awards/{paid['award'].reference}/").content.decode()
    assert "Instalments" in html and "Instalment 2 of 2" in html
    assert "Paid" in html and "Releasable" in html


def test_the_organisation_pages_for_its_own_people_only(client, paid):
    organisation = paid["award"].organisation
    admin = admin_of(organisation)
    member = member_of(organisation)
    OrganisationMember.objects.filter(user=member).update(role=OrganisationMember.Role.MEMBER)
    bank = f"/organisations/{organisation.ref}/bank-details/"
    payments = f"/organisations/{organisation.ref}/payments/"
    client.force_login(admin)
    page = client.get(bank)
    assert page.status_code == 200 and "Ending 6238" in page.content.decode()
    assert "waiting for the office to verify" in page.content.decode()
    received = client.get(payments).content.decode()
    assert "£1,000" in received and "****6238" in received
    client.force_login(member)
    assert client.get(bank).status_code == 404
    assert client.get(payments).status_code == 200
    stranger = member_of(OrganisationFactory())
    client.force_login(stranger)
    assert client.get(bank).status_code == 404 and client.get(payments).status_code == 404


def test_entering_bank_details_gives_plain_errors_and_saves_nothing_bad(client, award):
    organisation = award.organisation
    client.force_login(admin_of(organisation))
    url = f"/organisations/{organisation.ref}/bank-details/"
    page = client.post(
        url,
        {
            "account_name": "Trust",
            "sort_code": "12-34",
            "account_number": "1",
            "phone": "01632 960001",
        },
    )
    assert page.status_code == 400
    assert "Enter a sort code of 6 digits, like 30-99-50." in page.content.decode()
    assert not organisation.bank_accounts.exists()
    page = client.post(
        url,
        {
            "account_name": "Trust",
            "sort_code": "30-99-50",
            "account_number": "00733445",
            "phone": "01632 960001",
        },
    )
    assert page.status_code == 302
    assert organisation.bank_accounts.get().status == BankAccountStatus.ENTERED


def test_finance_acts_through_the_pages(client, office, award, officer, finance):
    activate(award, officer)
    verified_bank_details(award.organisation, office, finance)
    first = award.instalments.get(sequence=1)
    sign_in(client, finance)
    base = f"/staff/{office.slug}/payments"
    page = client.post(f"{base}/instalments/{first.pk}/withhold/", {"reason": ""})
    assert page.status_code == 400 and "Give the reason." in page.content.decode()
    client.post(f"{base}/instalments/{first.pk}/approve/", {"back": "finance"})
    first.refresh_from_db()
    assert first.status == InstalmentStatus.APPROVED
    made = client.post(f"{base}/runs/")
    run = first.__class__.objects.get(pk=first.pk).run
    assert made.status_code == 302 and made.url.endswith(f"/runs/{run.reference}/")
    page = client.post(
        f"{base}/runs/{run.reference}/confirm/",
        {"paid_on_0": "31", "paid_on_1": "2", "paid_on_2": "2026"},
    )
    assert page.status_code == 400 and "real date" in page.content.decode()
    client.post(
        f"{base}/runs/{run.reference}/confirm/",
        {"paid_on_0": "20", "paid_on_1": "4", "paid_on_2": "2026"},
    )
    first.refresh_from_db()
    assert first.status == InstalmentStatus.PAID


def test_finance_records_a_call_back_through_the_page(client, office, award, finance):
    account = enter_bank_details(award.organisation)
    sign_in(client, finance)
    base = f"/staff/{office.slug}/bank-changes/{account.pk}"
    page = client.post(f"{base}/numbers/", {"phone": account.given_phone, "source": "The e-mail"})
    assert page.status_code == 400 and "came with the change" in page.content.decode()
    client.post(f"{base}/numbers/", {"phone": "01632 960 999", "source": "Charity register"})
    number = award.organisation.callback_numbers.get()
    page = client.post(
        f"{base}/verify/", {"number": number.pk, "spoke_to": "", "outcome": "confirmed"}
    )
    assert page.status_code == 400
    page = client.post(
        f"{base}/verify/", {"number": number.pk, "spoke_to": "Sam", "outcome": "confirmed"}
    )
    assert page.status_code == 302
    account.refresh_from_db()
    assert account.status == BankAccountStatus.VERIFIED


def test_finance_list_pages_cost_constant_queries(
    client, office, officer, round_, signatories, finance, django_assert_max_num_queries
):
    from tests.awards.factories import award_by_decision

    awards = award_by_decision(
        office,
        officer,
        round_,
        signatories,
        amounts=("500", "600", "700", "800"),
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2027, 3, 31),
    )
    for award in awards:
        activate(award, officer)
        verified_bank_details(award.organisation, office, finance)
        instalment_approve(instalment=award.instalments.get(sequence=1), actor=finance)
    sign_in(client, finance)
    with django_assert_max_num_queries(15):
        assert client.get(f"/staff/{office.slug}/payments/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(f"/staff/{office.slug}/payments/runs/").status_code == 200
    run = payment_run_create(office=office, actor=finance)
    with django_assert_max_num_queries(15):
        assert client.get(f"/staff/{office.slug}/payments/runs/{run.reference}/").status_code == 200


def _bearer(user):
    _token, raw = api_token_create(user=user, name="Payments")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_gives_instalments_and_the_finance_export(
    client, office, other_office, paid, officer, finance
):
    award, run = paid["award"], paid["run"]
    rows = client.get(
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/instalments", **_bearer(officer)
    ).json()
    assert [(r["number"], r["amount"], r["status"]) for r in rows] == [
        (1, "1000.00", "paid"),
        (2, "1000.00", "releasable"),
    ]
    export = f"/api/v1/offices/{office.slug}/payment-runs/{run.reference}/file"
    assert client.get(export, **_bearer(officer)).status_code == 403
    other = staff_user(other_office, Role.FINANCE_OFFICER)
    assert client.get(export, **_bearer(other)).status_code == 404
    answer = client.get(export, **_bearer(finance))
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert ACCOUNT_NUMBER in answer.content.decode()
    runs = client.get(f"/api/v1/offices/{office.slug}/payment-runs", **_bearer(finance)).json()
    assert runs[0]["instalments"][0]["account"] == "****6238"


def test_bank_details_appear_nowhere_but_the_payment_file(
    client, office, award, officer, finance, caplog
):
    """Issue 10: sort code and account number never in pages, API answers, audit events or
    the log; only in the payment file."""
    caplog.set_level(logging.DEBUG)
    activate(award, officer)
    account = verified_bank_details(award.organisation, office, finance)
    first = award.instalments.get(sequence=1)
    instalment_approve(instalment=first, actor=finance)
    run = payment_run_create(office=office, actor=finance)
    sign_in(client, finance)
    file = client.get(
        f"/staff/{office.slug}/payments/runs/{run.reference}/file.csv"
    ).content.decode()
    assert SORT_CODE in file and ACCOUNT_NUMBER in file
    payment_run_confirm(run=run, paid_on=dt.date(2026, 4, 20), actor=finance)
    pending = enter_bank_details(award.organisation, account_number=ACCOUNT_NUMBER[::-1])
    seen = []
    pages = _staff_pages(office, {"award": award, "run": run, "first": first, "pending": pending})
    pages += [f"/staff/{office.slug}/awards/{award.reference}/", f"/staff/{office.slug}/awards/"]
    for url in pages:
        seen.append(client.get(url).content.decode())
    for url in (
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/instalments",
        f"/api/v1/offices/{office.slug}/payment-runs",
        f"/api/v1/offices/{office.slug}/awards/{award.reference}",
    ):
        seen.append(client.get(url, **_bearer(finance)).content.decode())
    client.force_login(admin_of(award.organisation))
    for url in ("bank-details", "payments"):
        seen.append(client.get(f"/organisations/{award.organisation.ref}/{url}/").content.decode())
    seen += [f"{e.verb} {e.target_label} {e.data}" for e in AuditEvent.objects.all()]
    seen.append(caplog.text)
    seen.append(str(account) + repr(account) + str(pending))
    for secret in [*SECRETS, ACCOUNT_NUMBER[::-1]]:
        for text in seen:
            assert secret not in text


def test_the_organisations_award_page_lists_its_payments_and_links_its_claims(client, paid):
    """Item 8: the organisation sees on the award's page what it has been paid, with links
    to all its payments, its bank details (administrators), its claims and its returns."""
    award = paid["award"]
    organisation = award.organisation
    client.force_login(admin_of(organisation))
    page = client.get(f"/organisations/{organisation.ref}/awards/{award.reference}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert paid["first"].label in text and "20 April 2026" in text
    assert "No payments yet" not in text
    for link in (
        f"/organisations/{organisation.ref}/payments/",
        f"/organisations/{organisation.ref}/bank-details/",
        f"/organisations/{organisation.ref}/awards/{award.reference}/claims/",
        f"/organisations/{organisation.ref}/monitoring/",
    ):
        assert f'href="{link}"' in text
