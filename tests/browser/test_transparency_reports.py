"""Issue 12 in Chromium: the public dashboard and the auditor's audit log and a record's
history pass axe. One office's data, made with the services."""

import pytest
from django.conf import settings
from django.test import Client

from commissioning.accounts.models import Role
from tests.accounts.factories import sign_in, staff_user
from tests.browser.axe import check_page
from tests.decisions.conftest import (  # noqa: F401 - fixtures shared with the decision tests
    _letters_storage,
    officer,
    round_,
    signatories,
)
from tests.transparency.dashboards.factories import funded_office

pytestmark = pytest.mark.django_db(transaction=True)


def _session_of(page, base, user) -> None:
    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )


def test_public_dashboard_and_audit_log(live_server, page, artifacts, office, request):
    fixtures = [request.getfixturevalue(n) for n in ("officer", "round_", "signatories")]
    funded = funded_office(office, *fixtures)
    base = live_server.url
    page.goto(f"{base}/{office.slug}/dashboard/")
    assert page.locator("svg[role=img]").count() >= 8
    assert "fewer than 5" in page.content()
    check_page(page, artifacts, "transparency-public-dashboard")

    _session_of(page, base, staff_user(office, Role.AUDITOR))
    page.goto(f"{base}/staff/{office.slug}/audit/")
    assert funded.published.reference in page.content()
    check_page(page, artifacts, "transparency-audit-log")
    page.goto(f"{base}/staff/{office.slug}/history/award/{funded.published.reference}/")
    assert "History of" in page.content()
    check_page(page, artifacts, "transparency-record-history")
