"""The monitoring API (issue 11, item 9): schedules and returns for the office's staff, scoped
to the office; figures as the organisation gave them."""

import pytest

from commissioning.accounts.models import Role
from commissioning.monitoring.rules import suppressed
from commissioning.monitoring.selectors import return_figures
from tests.accounts.factories import staff_user
from tests.awards.test_api import bearer
from tests.monitoring.factories import complete, monitored_award, organisation_user

pytestmark = pytest.mark.django_db


def test_schedules_and_returns_are_read_by_the_office_only(
    client, office, officer, round_, signatories, other_office
):
    award = monitored_award(office, officer, round_, signatories)
    ret = award.monitoring_returns.get(number=1)
    complete(ret, organisation_user(award))
    auth = bearer(officer)
    listed = client.get(f"/api/v1/offices/{office.slug}/monitoring/returns", **auth)
    assert listed.status_code == 200 and len(listed.json()) == 2
    schedule = client.get(
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/monitoring", **auth
    )
    assert schedule.status_code == 200
    assert schedule.json()["rules"] == ["Every award"] and len(schedule.json()["returns"]) == 2
    one = client.get(
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/monitoring/returns/1", **auth
    ).json()
    assert one["progress"] == "Twelve patrols this period." and one["people_supported"] == 10
    outsider = bearer(staff_user(other_office, Role.COMMISSIONING_OFFICER))
    for path in (
        f"/api/v1/offices/{office.slug}/monitoring/returns",
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/monitoring",
        f"/api/v1/offices/{office.slug}/awards/{award.reference}/monitoring/returns/1",
    ):
        assert client.get(path, **outsider).status_code == 404
    panel = bearer(staff_user(office, Role.PANEL_MEMBER))
    assert (
        client.get(f"/api/v1/offices/{office.slug}/monitoring/returns", **panel).status_code == 403
    )
    bad = client.get(f"/api/v1/offices/{office.slug}/monitoring/returns?view=nope", **auth)
    assert bad.status_code == 422


def test_small_numbers_are_suppressed_outside_the_office(office, officer, round_, signatories):
    """MO2: counts under the pack's threshold (5 by default) read 'fewer than 5'."""
    award = monitored_award(office, officer, round_, signatories)
    ret = complete(award.monitoring_returns.get(number=1), organisation_user(award))
    outside = return_figures(ret, outside_office=True)
    answers = {a["code"]: a["count"] for a in outside["demographics"]["age_band"]["answers"]}
    assert (
        answers["18_24"] == 6 and answers["not_known"] == "fewer than 5" and answers["55_64"] == 0
    )
    inside = return_figures(ret, outside_office=False)
    assert {a["code"]: a["count"] for a in inside["demographics"]["age_band"]["answers"]}[
        "not_known"
    ] == 4
    assert (
        suppressed(4, 10) == "fewer than 10"
        and suppressed(10, 10) == 10
        and suppressed(None) is None
    )
