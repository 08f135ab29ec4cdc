"""The applicant's journey through the pages, the staff list and page, and who may see what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.models import Role
from commissioning.applications.models import Application, Status
from commissioning.applications.services import application_add_row, application_submit
from tests.accounts.factories import UserFactory, sign_in, staff_user
from tests.applications.factories import (
    ApplicationFactory,
    CompleteDraftFactory,
    OrganisationFactory,
    RoundFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(office):
    return RoundFactory(fund=office.funds.get(code="CF"), slug="spring-2027")


def test_eligibility_questions_are_the_packs_whole_sentences(client, office, round_):
    """Issue 9, item 10: each endorsement question is the pack's sentence, not fragments."""
    page = client.get(f"/{office.slug}/funding/{round_.slug}/").content.decode()
    assert "Does a police officer or PCSO from your area support the bid?" in page
    assert "Do you have the support of" not in page


def test_funding_pages_and_eligibility_check(client, office, round_):
    page = client.get(f"/{office.slug}/funding/")
    assert round_.title.encode() in page.content
    detail = client.get(f"/{office.slug}/funding/{round_.slug}/")
    assert (
        b"Check you can apply" in detail.content
        and b"\xc2\xa3250 to \xc2\xa32,500" in detail.content
    )
    no = client.get(
        f"/{office.slug}/funding/{round_.slug}/",
        {
            "applicant_type": "school",
            "in_area": "True",
            "amount": "3000",
            "endorsement_police_officer_or_pcso": "False",
        },
    ).content.decode()
    assert "You cannot apply to this call, because:" in no
    assert "does not fund school applicants" in no
    assert "£3,000 is over the £2,500 maximum" in no
    assert "You need this support: A police officer or PCSO from your area" in no
    yes = client.get(
        f"/{office.slug}/funding/{round_.slug}/",
        {
            "applicant_type": "charity",
            "in_area": "True",
            "amount": "2,000",
            "endorsement_police_officer_or_pcso": "True",
        },
    ).content.decode()
    assert "You can apply" in yes
    bad = client.get(f"/{office.slug}/funding/{round_.slug}/", {"applicant_type": ""})
    assert b"There is a problem" in bad.content


def test_applicant_journey_through_the_pages(client, office, round_):
    organisation = OrganisationFactory(applicant_type="charity")
    user = member_of(organisation)
    sign_in(client, user)
    response = client.post(
        f"/{office.slug}/funding/{round_.slug}/apply/", {"organisation": organisation.pk}
    )
    application = Application.objects.get()
    assert response["Location"] == f"/applications/{application.public_id}/"
    base = f"/applications/{application.public_id}"
    # Bad input keeps the good answers and explains the bad ones.
    page = client.post(
        f"{base}/about/",
        {
            "title": "Street Angels",
            "amount_requested": "two thousand",
            "starts_on_0": "31",
            "starts_on_1": "2",
            "starts_on_2": "2027",
        },
    )
    html = page.content.decode()
    assert "There is a problem" in html
    assert "Enter an amount in pounds and pence" in html
    assert "The date must be a real date" in html
    application.refresh_from_db()
    assert application.title == "Street Angels" and application.amount_requested is None
    client.post(
        f"{base}/about/",
        {
            "title": "Street Angels",
            "short_description": "Night-time welfare volunteers.",
            "amount_requested": "£2,000",
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2027",
            "ends_on_0": "31",
            "ends_on_1": "3",
            "ends_on_2": "2028",
            "is_pilot": "False",
            "is_continuation": "False",
        },
    )
    application.refresh_from_db()
    assert str(application.amount_requested) == "2000.00"
    client.post(f"{base}/need/", {"need_and_evidence": "Evidence.", "activities": "Patrols."})
    priority = office.plans.get().priorities.filter(selectable=True).first()
    area = office.areas.first()
    client.post(f"{base}/priorities/", {"priorities": [priority.pk], "areas": [area.pk]})
    client.post(
        f"{base}/beneficiaries/",
        {
            "beneficiaries_count": "500",
            "beneficiaries_description": "Night-time visitors",
            "involves_children_or_vulnerable_adults": "False",
        },
    )
    client.post(
        f"{base}/outcomes/",
        {
            "action": "add:outcomes",
            "outcomes-description": "Fewer incidents",
            "outcomes-indicator": "Reports",
            "outcomes-baseline": "10",
            "outcomes-target": "5",
            "outcomes-target_date_0": "31",
            "outcomes-target_date_1": "3",
            "outcomes-target_date_2": "2028",
        },
    )
    bad_row = client.post(
        f"{base}/budget/",
        {
            "action": "add:budget_lines",
            "budget_lines-category": "equipment",
            "budget_lines-description": "Radios",
            "budget_lines-amount": "-5",
        },
    )
    assert b"The amount must be more than" in bad_row.content
    client.post(
        f"{base}/budget/",
        {
            "action": "add:budget_lines",
            "budget_lines-category": "equipment",
            "budget_lines-description": "Radios",
            "budget_lines-amount": "2000",
        },
    )
    assert application.outcomes.count() == 1 and application.budget_lines.count() == 1
    client.post(f"{base}/more/", {"sustainability": "Volunteers"})
    application.endorsements.create(
        kind="police_officer_or_pcso",
        endorser_name="PCSO Lee",
        endorser_email="lee@police.example",
        endorser_role="Neighbourhood team",
    )
    declarations = client.post(f"{base}/declarations/", {})
    assert b"Confirm the declarations to continue" in declarations.content
    client.post(f"{base}/declarations/", {"confirm": "on"})
    check = client.get(f"{base}/check/")
    assert b"Check your answers before you submit" in check.content
    assert b"Street Angels" in check.content
    submitted = client.post(f"{base}/check/", {"send_endorsement_requests": "yes"})
    assert submitted["Location"] == f"{base}/submitted/"
    receipt = client.get(f"{base}/submitted/").content.decode()
    application.refresh_from_db()
    assert application.reference in receipt
    pdf = client.get(f"{base}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # Once submitted, the steps no longer change anything.
    client.post(f"{base}/about/", {"title": "Changed"})
    application.refresh_from_db()
    assert application.title == "Street Angels"


def test_check_answers_lists_what_is_missing(client, office, round_):
    application = ApplicationFactory(round=round_)
    sign_in(client, member_of(application.organisation))
    page = client.post(f"/applications/{application.public_id}/check/").content.decode()
    assert "Your application is not finished yet" in page
    assert "Enter a project title" in page


def test_another_organisation_gets_404(client, office, round_):
    application = CompleteDraftFactory(round=round_)
    sign_in(client, member_of(OrganisationFactory()))
    base = f"/applications/{application.public_id}"
    for path in ("/", "/about/", "/check/", "/pdf/", "/submitted/"):
        assert client.get(base + path).status_code == 404
    assert client.post(base + "/about/", {"title": "Hijack"}).status_code == 404
    application.refresh_from_db()
    assert application.title != "Hijack"


def test_api_applicant_and_staff_scoping(client, office, other_office, round_):
    application = CompleteDraftFactory(round=round_)
    owner = member_of(application.organisation)
    sign_in(client, member_of(OrganisationFactory()))
    assert client.get(f"/api/v1/applications/{application.public_id}").status_code == 404
    assert client.post(f"/api/v1/applications/{application.public_id}/submit").status_code == 404
    sign_in(client, owner)
    response = client.post(f"/api/v1/applications/{application.public_id}/submit")
    assert response.status_code == 200
    reference = response.json()["reference"]
    again = client.post(f"/api/v1/applications/{application.public_id}/submit").json()
    assert again["reference"] == reference
    sign_in(client, staff_user(other_office))
    assert client.get(f"/api/v1/offices/{office.slug}/applications").status_code == 404
    assert client.get(f"/api/v1/offices/{office.slug}/applications/{reference}").status_code == 404
    sign_in(client, staff_user(office))
    listed = client.get(f"/api/v1/offices/{office.slug}/applications?status=&page=1").json()
    assert listed["count"] == 1 and listed["results"][0]["reference"] == reference
    rounds = client.get(f"/api/v1/offices/{office.slug}/rounds").json()
    assert rounds[0]["slug"] == "spring-2027"


def test_staff_pages_are_scoped(client, office, other_office, round_):
    application = application_submit(
        application=CompleteDraftFactory(round=round_), actor=UserFactory()
    )
    sign_in(client, staff_user(other_office))
    assert client.get(f"/staff/{office.slug}/applications/").status_code == 404
    assert (
        client.get(f"/staff/{office.slug}/applications/{application.reference}/").status_code == 404
    )
    sign_in(client, staff_user(office, Role.PANEL_MEMBER))
    assert client.get(f"/staff/{office.slug}/applications/").status_code == 404
    assert (
        client.get(
            f"/staff/{office.slug}/applications/{application.reference}/answers/"
        ).status_code
        == 404
    )
    sign_in(client, staff_user(office, Role.AUDITOR))
    page = client.get(f"/staff/{office.slug}/applications/{application.reference}/")
    assert page.status_code == 200 and application.title.encode() in page.content


def test_the_application_pages_cost_a_few_queries_whatever_the_rows(client, office, round_):
    """The case page and the answers page stay within 15 queries with many rows and parts."""
    user = staff_user(office)
    application = CompleteDraftFactory(round=round_)
    for index in range(6):
        application_add_row(
            application=application,
            actor=user,
            kind="outputs",
            values={"description": f"Output {index}", "quantity": 5},
        )
    application = application_submit(application=application, actor=user)
    sign_in(client, user)
    for page in ("", "answers/"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                f"/staff/{office.slug}/applications/{application.reference}/{page}"
            )
        assert response.status_code == 200
        assert len(queries) <= 15, page
    assert b"Output 5" in response.content


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": "submitted"},
        {"round": "spring-2027"},
        {"round": "spring-2027", "status": "screening"},
    ],
)
def test_staff_list_query_count_does_not_grow(client, office, round_, filters):
    user = staff_user(office)
    sign_in(client, user)

    def make(n):
        for _ in range(n):
            application_submit(application=CompleteDraftFactory(round=round_), actor=user)

    make(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/staff/{office.slug}/applications/", filters).status_code == 200
    make(12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/staff/{office.slug}/applications/", filters).status_code == 200
    assert len(many) == len(few) <= 15


def test_staff_list_filters(client, office, round_):
    user = staff_user(office)
    mine = application_submit(application=CompleteDraftFactory(round=round_), actor=user)
    sign_in(client, user)
    assert mine.reference.encode() in client.get(f"/staff/{office.slug}/applications/").content
    none = client.get(f"/staff/{office.slug}/applications/", {"status": Status.APPROVED})
    assert b"No applications match." in none.content


def test_an_output_number_too_large_for_the_database_is_refused():
    """Issue 7 item 4: a huge number of outputs overflowed the database column (a 500)."""
    from commissioning.applications.forms import OutputRowForm

    form = OutputRowForm({"description": "Sessions", "quantity": "1" + "0" * 20})
    assert not form.is_valid() and "quantity" in form.errors


def test_a_step_with_no_questions_at_this_amount_is_not_shown_as_not_started(
    client, office, round_
):
    """Issue 9, item 12: at £2,000 the small grant asks nothing in 'Sustainability, risks and
    evaluation', so the task list leaves the step out and the pages never say 'Not answered'."""
    application = CompleteDraftFactory(
        round=round_, sustainability="", risks="", evaluation="", partnership=""
    )
    sign_in(client, member_of(application.organisation))
    base = f"/applications/{application.public_id}"
    tasks = client.get(f"{base}/").content.decode()
    assert "Sustainability, risks and evaluation" not in tasks
    assert "Not yet started" not in tasks
    check = client.get(f"{base}/check/").content.decode()
    assert "Your application is not finished yet" not in check
    assert "Not answered" not in check and "Risks" not in check
    onward = client.post(f"{base}/budget/", {"action": "continue"})
    assert onward["Location"] == f"{base}/endorsements/"  # skips the step with no questions
    submitted = client.post(f"{base}/check/", {"send_endorsement_requests": "yes"})
    assert submitted.status_code == 302
    application.refresh_from_db()
    officer = staff_user(office)
    sign_in(client, officer)
    answers = client.get(
        f"/staff/{office.slug}/applications/{application.reference}/answers/"
    ).content.decode()
    assert "Not answered" not in answers and "Evaluation" not in answers


def test_the_same_step_appears_when_the_amount_asks_for_it(client, office, round_):
    application = CompleteDraftFactory(round=round_, amount_requested=5000, risks="")
    sign_in(client, member_of(application.organisation))
    base = f"/applications/{application.public_id}"
    assert "Sustainability, risks and evaluation" in client.get(f"{base}/").content.decode()
    assert "Not answered" in client.get(f"{base}/check/").content.decode()


def test_the_round_page_writes_panel_dates_as_govuk_does(client, office):
    """Issue 9, item 13: '30 January 2027', never '2027-01-30'."""
    round_ = RoundFactory(
        fund=office.funds.get(code="CF"), slug="winter", panel_dates=["2027-01-30", "2027-05-01"]
    )
    page = client.get(f"/{office.slug}/funding/{round_.slug}/").content.decode()
    assert "30 January 2027 and 1 May 2027" in page
    assert "2027-01-30" not in page
