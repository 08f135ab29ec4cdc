"""The public register of awards (TR1): only awards of published decisions, filters that never
fail with a server error, a CSV of the filtered set, a page per award by its reference, and
nothing personal anywhere."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.decisions.services import decision_publish
from commissioning.offices.models import Area, Priority
from tests.awards.factories import award_by_decision
from tests.decisions.conftest import CONTACT_DOMAIN
from tests.transparency.helpers import charity, personal_data_in, published_awards

pytestmark = pytest.mark.django_db


def register_url(office, **query):
    from urllib.parse import urlencode

    url = reverse("transparency:register", args=[office.slug])
    return f"{url}?{urlencode(query)}" if query else url


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def awards(office, officer, round_, signatories):
    """Two published awards, one by a registered charity, and one whose decision is signed
    but not published."""
    published = published_awards(
        office,
        officer,
        round_,
        signatories,
        amounts=("2000", "1500"),
    )
    unpublished = award_by_decision(office, officer, round_, signatories, amounts=("900",))
    return published, unpublished[0]


def test_the_register_lists_awards_of_published_decisions_only(client, office, awards):  # TR1
    published, unpublished = awards
    response = client.get(register_url(office))
    assert response.status_code == 200
    body = response.content.decode()
    for award in published:
        assert reverse("transparency:award", args=[office.slug, award.reference]) in body
        assert award.organisation.name in body
    assert unpublished.reference not in body
    assert "2 awards" in body


def test_the_register_shows_what_tr1_asks(client, office, awards):  # TR1
    award = awards[0][0]
    body = client.get(register_url(office)).content.decode()
    area = award.application.areas.first()
    priority = award.application.priorities.first()
    for text in (
        award.title,
        award.application.short_description,
        "£2,000",
        award.fund.name,
        area.name,
        priority.title,
    ):
        assert text in body


def test_filters_narrow_the_register(client, office, officer, round_, signatories, awards):
    published, _ = awards
    other_area = (
        Area.objects.filter(office=office)
        .exclude(pk=published[0].application.areas.first().pk)
        .first()
    )
    moved = published_awards(office, officer, round_, signatories, amounts=("700",))[0]
    moved.application.areas.set([other_area])
    p2 = Priority.objects.get(plan__office=office, code="P2")
    moved.application.priorities.set([p2])

    def references(**query):
        response = client.get(register_url(office, **query))
        assert response.status_code == 200
        return {a.reference for a in response.context["page"]}

    everything = {a.reference for a in published} | {moved.reference}
    assert references() == everything
    assert references(area=other_area.ons_code) == {moved.reference}
    assert references(priority="P2") == {moved.reference}
    assert references(fund="CF") == everything
    this_year = (
        timezone.localdate().year
        if timezone.localdate().month >= 4
        else (timezone.localdate().year - 1)
    )
    assert references(year=str(this_year)) == everything
    assert references(q=moved.organisation.name) == {moved.reference}
    assert references(q="no such words anywhere") == set()


@pytest.mark.parametrize(
    "query",
    [
        {"fund": "NOPE"},
        {"year": "1999"},
        {"year": "twenty"},
        {"area": "E99999999"},
        {"priority": "Z9"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999999999999999999"},
        {"q": "x" * 500},
        {"fund": ["CF", "XX"], "year": "\x00"},
    ],
)
def test_bad_filters_are_explained_never_a_server_error(client, office, awards, query):
    response = client.get(register_url(office), query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "govuk-error-message" in body
    csv_response = client.get(reverse("transparency:register_csv", args=[office.slug]), query)
    assert csv_response.status_code == 400


def test_a_page_past_the_end_shows_the_last_page(client, office, awards):
    response = client.get(register_url(office, page="50"))
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_the_csv_holds_the_filtered_set(client, office, awards):  # TR1
    published, unpublished = awards
    url = reverse("transparency:register_csv", args=[office.slug])
    rows = csv_rows(client.get(url))
    assert {r["Reference"] for r in rows} == {a.reference for a in published}
    first = next(r for r in rows if r["Reference"] == published[0].reference)
    assert first["Amount (GBP)"] == "2000.00"
    assert first["Fund"] == published[0].fund.name
    assert first["Area ONS codes"]
    name = published[1].organisation.name
    rows = csv_rows(client.get(url, {"q": name}))
    assert [r["Reference"] for r in rows] == [published[1].reference]


def test_the_csv_does_not_run_what_applicants_typed_as_a_formula(client, office, awards):
    """An organisation's name or a project's title that a spreadsheet would run as a formula
    is written as text (a leading apostrophe); the page shows it as typed."""
    from commissioning.awards.models import Award
    from commissioning.organisations.models import Organisation

    award = awards[0][0]
    Award.objects.filter(pk=award.pk).update(title='=HYPERLINK("http://evil.example","Open")')
    Organisation.objects.filter(pk=award.organisation_id).update(name="@SUM(1+1)*cmd")
    url = reverse("transparency:register_csv", args=[office.slug])
    row = next(r for r in csv_rows(client.get(url)) if r["Reference"] == award.reference)
    assert row["Project"] == '\'=HYPERLINK("http://evil.example","Open")'
    assert row["Organisation"] == "'@SUM(1+1)*cmd"
    assert row["Amount (GBP)"] == "2000.00"


def test_each_award_has_a_public_page_by_its_reference(client, office, awards):
    award = awards[0][0]
    response = client.get(reverse("transparency:award", args=[office.slug, award.reference]))
    assert response.status_code == 200
    body = response.content.decode()
    assert award.title in body
    assert award.decision.number in body
    assert f"/{award.pk}/" not in response.request["PATH_INFO"]


def test_unpublished_unknown_and_other_offices_awards_are_not_found(
    client, office, other_office, awards
):
    published, unpublished = awards
    assert (
        client.get(
            reverse("transparency:award", args=[office.slug, unpublished.reference])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("transparency:award", args=[office.slug, "TST-NOPE-1"])).status_code
        == 404
    )
    # Another office's slug does not show this office's award.
    other = reverse("transparency:award", args=[other_office.slug, published[0].reference])
    assert client.get(other).status_code == 404
    assert client.get(register_url(other_office)).context["page"].paginator.count == 0


def test_an_unknown_office_is_not_found(client, db):
    assert client.get("/no-such-office/awards/").status_code == 404
    assert client.get("/no-such-office/awards/download.csv").status_code == 404
    assert client.get("/no-such-office/awards/TST-CF-2026-0001/").status_code == 404


def test_an_office_that_does_not_publish_awards_shows_none(client, office, awards):
    policy = office.policy
    policy.publication = {**policy.publication, "publish_awards": False}
    policy.save(update_fields=["publication"])
    response = client.get(register_url(office))
    assert response.context["page"].paginator.count == 0
    assert (
        client.get(
            reverse("transparency:award", args=[office.slug, awards[0][0].reference])
        ).status_code
        == 404
    )


def test_the_register_costs_the_same_queries_for_any_number_of_awards(
    client, office, officer, round_, signatories, django_assert_num_queries
):  # constant queries
    published_awards(office, officer, round_, signatories, amounts=("1000",))
    client.get(register_url(office))
    with django_assert_num_queries(QUERIES):
        client.get(register_url(office))
    published_awards(office, officer, round_, signatories, amounts=("1000", "1100", "1200", "1300"))
    with django_assert_num_queries(QUERIES):
        response = client.get(register_url(office, fund="CF", priority="P1"))
    assert response.context["page"].paginator.count == 5


# Office and policy, the filters' choices (funds, areas, priorities, the budgets' years),
# the count, the rows, and the rows' areas and priorities.
QUERIES = 9


def test_no_personal_data_on_the_register_its_csv_or_award_pages(
    client, office, officer, round_, signatories
):  # SE3
    award = published_awards(
        office,
        officer,
        round_,
        signatories,
        organisation=charity(),
        senior_officer_name="Jordan Ellis",
        senior_officer_email=f"jordan@{CONTACT_DOMAIN}",
    )[0]
    texts = [
        client.get(register_url(office)).content.decode(),
        b"".join(
            client.get(reverse("transparency:register_csv", args=[office.slug])).streaming_content
        ).decode(),
        client.get(
            reverse("transparency:award", args=[office.slug, award.reference])
        ).content.decode(),
    ]
    for text in texts:
        main = text.split('id="main-content"', 1)[-1]
        assert personal_data_in(main) == []
        assert CONTACT_DOMAIN not in text
        assert "CONFIDENTIAL-LEGAL-ADVICE" not in text


def test_decisions_published_later_join_the_register(client, office, officer, round_, signatories):
    award = award_by_decision(office, officer, round_, signatories, amounts=("800",))[0]
    assert client.get(register_url(office)).context["page"].paginator.count == 0
    decision_publish(
        decision=award.decision, actor=officer, now=timezone.now() + dt.timedelta(days=1)
    )
    assert client.get(register_url(office)).context["page"].paginator.count == 1
