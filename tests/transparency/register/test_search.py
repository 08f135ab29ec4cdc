"""The public register's search (TR1): every word is found in the organisation's name, the
project's title or short description or the award's reference, whatever its case, with the
other filters; an organisation renamed is found by its new name. On PostgreSQL the search is
served by the trigram index on the awards' search text."""

import pytest
from django.db import connection
from django.urls import reverse

from commissioning.awards.models import Award, search_text_of, search_words
from commissioning.organisations.services import organisation_update
from commissioning.transparency.register.selectors import filter_awards, public_awards
from tests.organisations.factories import AdminMemberFactory, OrganisationFactory
from tests.transparency.helpers import published_awards

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(office, officer, round_, signatories):
    """Three published awards with words of their own in each part that is searched."""
    boxing = published_awards(
        office,
        officer,
        round_,
        signatories,
        organisation=OrganisationFactory(name="Harbourside Boxing Club"),
        title="Evening sessions for young people",
        short_description="Coaching and mentoring on Friday nights.",
    )[0]
    gardens = published_awards(
        office,
        officer,
        round_,
        signatories,
        organisation=OrganisationFactory(name="Friends of Elm Park"),
        title="Community gardens against fly-tipping",
        short_description="Volunteers turn waste ground into Gardens for everyone.",
    )[0]
    scams = published_awards(
        office,
        officer,
        round_,
        signatories,
        organisation=OrganisationFactory(name="Age Well Straße"),
        title="Scam awareness for older residents",
        short_description="Talks in libraries on doorstep and telephone fraud.",
    )[0]
    return boxing, gardens, scams


def found(client, office, **query) -> set[str]:
    response = client.get(reverse("transparency:register", args=[office.slug]), query)
    assert response.status_code == 200
    page = response.context["page"]
    references = {a.reference for a in page}
    assert page.paginator.count == len(references)  # the count counts what the search finds
    return references


def test_the_search_finds_by_organisation_title_description_and_reference(
    client, office, three
):  # TR1
    boxing, gardens, scams = three
    assert found(client, office, q="harbourside") == {boxing.reference}  # organisation
    assert found(client, office, q="FLY-TIPPING") == {gardens.reference}  # title
    assert found(client, office, q="libraries") == {scams.reference}  # description
    assert found(client, office, q=gardens.reference.lower()) == {gardens.reference}
    assert found(client, office, q=gardens.reference[-3:]) == set()  # a reference is whole
    assert found(client, office, q="strasse") == {scams.reference}  # case-folded: ß is ss
    assert found(client, office, q="friday nights boxing") == {boxing.reference}
    assert found(client, office, q="gardens") == {gardens.reference}
    assert found(client, office, q="for") == {a.reference for a in three}
    assert found(client, office, q="boxing gardens") == set()  # every word must be found
    assert found(client, office, q="100%") == set()  # LIKE's wildcards are searched as text
    assert found(client, office, q="e_ening") == set()


def test_the_count_is_right_with_the_search_and_the_other_filters(
    client, office, officer, round_, signatories, three
):
    boxing, gardens, scams = three
    other_fund = published_awards(
        office,
        officer,
        round_,
        signatories,
        organisation=OrganisationFactory(name="Harbourside Rowing"),
        title="Rowing for young people",
    )[0]
    assert found(client, office, q="harbourside") == {boxing.reference, other_fund.reference}
    area = boxing.application.areas.first()
    other_fund.application.areas.clear()
    assert found(client, office, q="harbourside", area=area.ons_code) == {boxing.reference}
    assert found(client, office, q="young people", fund="CF") == {
        boxing.reference,
        other_fund.reference,
    }
    assert found(client, office, q="young", priority="P1") == {
        a.reference for a in (boxing, other_fund) if a.application.priorities.filter(code="P1")
    }


def test_the_csv_holds_what_the_search_finds(client, office, three):
    response = client.get(
        reverse("transparency:register_csv", args=[office.slug]), {"q": "elm park"}
    )
    body = b"".join(response.streaming_content).decode()
    assert three[1].reference in body
    assert three[0].reference not in body


def test_a_renamed_organisation_is_found_by_its_new_name(client, office, three):
    boxing = three[0]
    admin = AdminMemberFactory(organisation=boxing.organisation)
    organisation_update(
        organisation=boxing.organisation, actor=admin.user, name="Quayside Boxing Academy"
    )
    assert found(client, office, q="quayside") == {boxing.reference}
    assert found(client, office, q="harbourside") == set()
    boxing.refresh_from_db()
    assert boxing.search_text == search_text_of(
        "Quayside Boxing Academy",
        boxing.title,
        boxing.application.short_description,
    )


def test_other_changes_to_an_organisation_leave_its_awards_alone(office, three):
    boxing = three[0]
    before = Award.objects.get(pk=boxing.pk).updated_at
    admin = AdminMemberFactory(organisation=boxing.organisation)
    organisation_update(organisation=boxing.organisation, actor=admin.user, postcode="sw1a1aa")
    assert Award.objects.get(pk=boxing.pk).updated_at == before


def test_the_search_text_is_made_with_the_award(three):
    for award in three:
        assert award.search_text == search_text_of(
            award.organisation.name,
            award.title,
            award.application.short_description,
        )
        assert award.search_text == award.search_text.casefold()
        assert "  " not in award.search_text


def test_search_words_are_folded_as_the_text_is():
    assert search_words("  Age   WELL Straße ") == ["age", "well", "strasse"]
    assert len(search_words(" ".join(f"w{n}" for n in range(20)))) == 8
    assert search_text_of("A\nB", None, " C  d ") == "a b c d"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_on_postgresql_the_search_uses_the_trigram_index(office, three):
    # The lookup the register's search makes, planned as at volume (on three rows a scan of
    # the table is cheaper, so scans that do not use an index on the search text are off).
    queryset = Award.objects.filter(search_text__contains=search_words("Harbourside")[0])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "awards_award_search_trgm" in plan
    assert {a.pk for a in queryset} == {three[0].pk}
    assert filter_awards(office, public_awards(office), {"q": "harbourside boxing"}).count() == 1
