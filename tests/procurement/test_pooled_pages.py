"""Pooled budgets' pages (AS7 co-commissioning): set up by the office's commissioning staff
with partners' contributions by financial year and the office's share committed through its
ledger; bad input is a plain error and nothing is saved; another office gets 404."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.accounts.models import Role
from commissioning.awards.selectors import balance_of
from commissioning.offices.models import Budget
from commissioning.procurement.pooled.models import Contribution, PooledBudget
from tests.accounts.factories import sign_in, staff_user
from tests.awards.test_api import bearer
from tests.procurement.factories import pool_with_shares

pytestmark = pytest.mark.django_db


def _post(vs_fund, **overrides):
    data = {
        "title": "Domestic abuse outreach",
        "purpose": "Outreach workers in every district.",
        "lead_is_office": "True",
        "lead_commissioner": "",
        "office_1_fund": str(vs_fund.pk),
        "office_1_year": "2025",
        "office_1_amount": "30,000",
        "partner_1_name": "County Council",
        "partner_1_year": "2025",
        "partner_1_amount": "£20,000.50",
        "partner_2_name": "County Council",
        "partner_2_year": "2026",
        "partner_2_amount": "15000",
    }
    data.update(overrides)
    return data


def test_an_officer_sets_up_a_pool_and_the_office_share_is_committed(client, cam, officer, vs_fund):
    budget = Budget.objects.get(fund=vs_fund, financial_year=2025)
    before = balance_of(budget).committed
    sign_in(client, officer)
    url = reverse("procurement:pool_create", args=[cam.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, _post(vs_fund))
    assert response.status_code == 302, response.content.decode()[:3000]
    pool = PooledBudget.objects.get(office=cam, title="Domestic abuse outreach")
    assert response["Location"] == reverse("procurement:pool", args=[cam.slug, pool.reference])
    assert pool.lead_commissioner == cam.short_name
    assert balance_of(budget).committed - before == Decimal("30000.00")
    shares = sorted((c.partner, c.financial_year, c.amount) for c in pool.contributions.all())
    assert shares == [
        ("", 2025, Decimal("30000.00")),
        ("County Council", 2025, Decimal("20000.50")),
        ("County Council", 2026, Decimal("15000.00")),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "£65,000.50" in page and "County Council" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"partner_1_amount": "-5"}, "The amount must be more than £0"),
        ({"partner_1_amount": "lots"}, "Enter an amount in pounds and pence"),
        ({"office_1_amount": "999,999,999"}, "is more than the"),
        ({"partner_2_year": "2025"}, "County Council is named twice for 2025/26"),
        ({"partner_1_year": ""}, "Fill in this row&#x27;s financial year too"),
        ({"title": ""}, "Give the service the pool pays for."),
        ({"lead_is_office": "False"}, "Name the partner that leads the commissioning."),
        ({"office_1_year": "1999"}, "Choose a financial year from the list."),
    ],
)
def test_bad_input_is_a_plain_error_and_nothing_is_saved(
    client, cam, officer, vs_fund, overrides, message
):
    budget = Budget.objects.get(fund=vs_fund, financial_year=2025)
    before = balance_of(budget).committed
    sign_in(client, officer)
    response = client.post(
        reverse("procurement:pool_create", args=[cam.slug]), _post(vs_fund, **overrides)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not PooledBudget.objects.filter(office=cam).exists()
    assert not Contribution.objects.exists()
    assert balance_of(budget).committed == before


def test_another_office_and_readers_cannot_set_up_or_see_pools(
    client, cam, officer, vs_fund, other_office
):
    pool = pool_with_shares(cam, officer, title="Ours")
    urls = [
        reverse("procurement:pools", args=[cam.slug]),
        reverse("procurement:pool", args=[cam.slug, pool.reference]),
        reverse("procurement:pool_create", args=[cam.slug]),
    ]
    sign_in(client, staff_user(other_office, Role.COMMISSIONING_OFFICER))
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[2], _post(vs_fund)).status_code == 404
    sign_in(client, staff_user(cam, Role.FINANCE_OFFICER))
    assert client.get(urls[2]).status_code == 404
    assert (
        client.get(reverse("procurement:pool", args=[cam.slug, "CAM-POOL-0000"])).status_code == 404
    )
    assert PooledBudget.objects.filter(office=cam).count() == 1


def test_api_sets_up_a_pool_for_the_office_only(client, cam, officer, vs_fund, other_office):
    url = f"/api/v1/offices/{cam.slug}/procurement/pooled-budgets"
    payload = {
        "title": "Shared outreach",
        "contributions": [
            {"financial_year": 2025, "amount": "1000.00", "fund": vs_fund.code},
            {"financial_year": 2025, "amount": "500.00", "partner": "County Council"},
        ],
    }
    made = client.post(url, json.dumps(payload), content_type="application/json", **bearer(officer))
    assert made.status_code == 201, made.content
    assert made.json()["office_committed"] == "1000.00" and made.json()["total"] == "1500.00"
    bad = {**payload, "contributions": [{**payload["contributions"][1]}] * 2}
    refused = client.post(url, json.dumps(bad), content_type="application/json", **bearer(officer))
    assert refused.status_code == 422 and "named twice" in refused.json()["detail"]
    theirs = staff_user(other_office, Role.COMMISSIONING_OFFICER)
    other = client.post(url, json.dumps(payload), content_type="application/json", **bearer(theirs))
    assert other.status_code == 404
    assert PooledBudget.objects.filter(office=cam).count() == 1
