"""Monitoring pages (MO2, MO3): the organisation fills in and submits its returns; the office's
staff list returns, see an award's schedule, and accept or send back. Another office's staff
and another organisation's members get 404; lists cost a constant number of queries."""

import pytest

from commissioning.accounts.models import Role
from commissioning.monitoring.models import ReturnStatus
from commissioning.monitoring.services import return_submit
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import OrganisationFactory, member_of
from tests.monitoring.factories import complete, monitored_award, organisation_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(office, officer, round_, signatories):
    return monitored_award(office, officer, round_, signatories)


def org_url(award, path=""):
    return f"/organisations/{award.organisation.ref}/monitoring/{path}"


def staff_url(award, path=""):
    return f"/staff/{award.office.slug}/monitoring/{path}"


def _form(award, **extra):
    application = award.application
    data = {"progress": "Twelve patrols.", "rag": "green", "people_supported": "10"}
    for o in application.outputs.all():
        data[f"output_{o.pk}"] = "12"
    for b in application.budget_lines.all():
        data[f"spend_{b.pk}"] = "400"
    data["demo_age_band_18_24"] = "6"
    data["demo_age_band_not_known"] = "4"
    return {**data, **extra}


def test_the_organisation_fills_in_saves_and_submits_its_return(client, award):
    user = organisation_user(award)
    client.force_login(user)
    listing = client.get(org_url(award))
    assert listing.status_code == 200 and "Monitoring return" in listing.content.decode()
    page = client.get(org_url(award, f"{award.reference}/1/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Patrols" in html and "Target: 50" in html and "Prefer not to say" in html
    saved = client.post(org_url(award, f"{award.reference}/1/"), {**_form(award), "action": "save"})
    assert saved.status_code == 302
    ret = award.monitoring_returns.get(number=1)
    assert ret.progress == "Twelve patrols." and ret.status == ReturnStatus.DRAFT
    sent = client.post(
        org_url(award, f"{award.reference}/1/"), {**_form(award), "action": "submit"}
    )
    assert sent.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED


def test_figures_that_do_not_add_up_are_shown_on_the_form(client, award):
    client.force_login(organisation_user(award))
    page = client.post(
        org_url(award, f"{award.reference}/1/"),
        {**_form(award, demo_age_band_not_known="1", people_supported="x"), "action": "submit"},
    )
    assert page.status_code == 400
    assert "Enter a whole number, such as 12." in page.content.decode()
    page = client.post(
        org_url(award, f"{award.reference}/1/"),
        {**_form(award, demo_age_band_not_known="1"), "action": "submit"},
    )
    html = page.content.decode()
    assert page.status_code == 400 and "There is a problem" in html
    assert "The counts for age add up to 7, but you supported 10 people." in html
    assert award.monitoring_returns.get(number=1).status == ReturnStatus.DRAFT


def test_staff_review_a_submitted_return(client, award, officer):
    ret = award.monitoring_returns.get(number=1)
    user = organisation_user(award)
    complete(ret, user)
    return_submit(monitoring_return=ret, actor=user)
    sign_in(client, officer)
    listing = client.get(staff_url(award))
    assert listing.status_code == 200 and award.reference in listing.content.decode()
    schedule = client.get(staff_url(award, f"awards/{award.reference}/"))
    assert schedule.status_code == 200 and "Every award" in schedule.content.decode()
    page = client.get(staff_url(award, f"awards/{award.reference}/returns/1/"))
    assert page.status_code == 200 and "Twelve patrols this period." in page.content.decode()
    refused = client.post(
        staff_url(award, f"awards/{award.reference}/returns/1/"),
        {"action": "review", "decision": "return", "comments": ""},
    )
    assert refused.status_code == 400
    assert "Say what the organisation needs to change." in refused.content.decode()
    done = client.post(
        staff_url(award, f"awards/{award.reference}/returns/1/"),
        {"action": "review", "decision": "return", "comments": "Add a case study."},
    )
    assert done.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.RETURNED
    client.force_login(user)
    page = client.get(org_url(award, f"{award.reference}/1/"))
    assert "Add a case study." in page.content.decode()


def test_staff_move_a_due_date_and_add_a_return(client, award, officer):
    sign_in(client, officer)
    moved = client.post(
        staff_url(award, f"awards/{award.reference}/returns/1/"),
        {
            "action": "move",
            "due_on_0": "1",
            "due_on_1": "11",
            "due_on_2": "2026",
            "reason": "Illness",
        },
    )
    assert moved.status_code == 302
    assert str(award.monitoring_returns.get(number=1).due_on) == "2026-11-01"
    missing = client.post(
        staff_url(award, f"awards/{award.reference}/returns/add/"),
        {"kind": "return", "due_on_0": "1", "due_on_1": "7", "due_on_2": "2026", "reason": ""},
    )
    assert (
        missing.status_code == 400 and "Give the reason for the change." in missing.content.decode()
    )
    added = client.post(
        staff_url(award, f"awards/{award.reference}/returns/add/"),
        {"kind": "return", "due_on_0": "1", "due_on_1": "7", "due_on_2": "2026", "reason": "Extra"},
    )
    assert added.status_code == 302 and award.monitoring_returns.count() == 3


def test_other_offices_and_organisations_get_404(client, award, other_office):
    outsider = staff_user(other_office, Role.COMMISSIONING_OFFICER)
    sign_in(client, outsider)
    for path in ("", f"awards/{award.reference}/", f"awards/{award.reference}/returns/1/"):
        assert client.get(staff_url(award, path)).status_code == 404
    other_org = OrganisationFactory()
    client.force_login(member_of(other_org))
    assert client.get(org_url(award)).status_code == 404
    assert client.get(org_url(award, f"{award.reference}/1/")).status_code == 404
    assert (
        client.get(f"/organisations/{other_org.ref}/monitoring/{award.reference}/1/").status_code
        == 404
    )


def test_a_panel_member_cannot_review(client, award, office):
    panel = staff_user(office, Role.PANEL_MEMBER)
    sign_in(client, panel)
    assert client.get(staff_url(award)).status_code == 404


def test_lists_cost_a_constant_number_of_queries(
    client, office, officer, round_, signatories, django_assert_max_num_queries
):
    awards = [monitored_award(office, officer, round_, signatories) for _ in range(3)]
    sign_in(client, officer)
    with django_assert_max_num_queries(12):
        page = client.get(f"/staff/{office.slug}/monitoring/?view=all")
    assert page.status_code == 200 and page.content.decode().count("Monitoring return") >= 6
    client.force_login(organisation_user(awards[0]))
    with django_assert_max_num_queries(10):
        assert client.get(org_url(awards[0])).status_code == 200
