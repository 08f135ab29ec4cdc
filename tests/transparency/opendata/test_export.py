"""360Giving open data (TR2): the package of an office's published awards passes the
standard's schema and quality checks, identifies recipients by org-id, streams, round-trips
through the spreadsheet layout, and holds nothing personal."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.http import StreamingHttpResponse
from django.urls import reverse

from commissioning.transparency.opendata.export import (
    package_problems,
    schema_errors,
    stream_package,
    unflatten,
    write_package,
)
from commissioning.transparency.opendata.grants import OGL_V3, Publisher, award_grant
from commissioning.transparency.register.selectors import public_award
from tests.applications.factories import OrganisationFactory
from tests.decisions.conftest import CONTACT_DOMAIN
from tests.transparency.helpers import charity, personal_data_in, published_awards

pytestmark = pytest.mark.django_db


def package_of(office, **kwargs) -> dict:
    return json.loads("".join(stream_package(office, **kwargs)))


@pytest.fixture
def awards(office, officer, round_, signatories):
    registered = published_awards(
        office, officer, round_, signatories, amounts=("2000",), organisation=charity()
    )
    plain = published_awards(office, officer, round_, signatories, amounts=("1250.50",))
    return registered + plain


def test_the_package_passes_the_schema_and_the_quality_checks(office, awards):  # TR2
    package = package_of(office)
    assert len(package["grants"]) == 2
    assert schema_errors(package) == []
    assert package_problems(package) == []


def test_the_schema_check_finds_a_broken_package(office, awards):
    package = package_of(office)
    package["grants"][0]["amountAwarded"] = "lots"
    package["license"] = "not a link"
    del package["grants"][1]["fundingOrganization"]
    errors = " ".join(schema_errors(package))
    assert "amountAwarded" in errors
    assert "grants/1:" in errors  # no funder: neither kind of grant the schema allows


def test_each_grant_says_what_the_standard_asks(office, awards):  # TR2
    package = package_of(office)
    prefix = office.policy.publication.get("open_data", {}).get("prefix") or f"360G-{office.code}"
    assert package["license"] == OGL_V3
    assert package["publisher"]["name"] == office.name
    registered, plain = (
        next(g for g in package["grants"] if g["id"].endswith(a.reference)) for a in awards
    )
    assert registered["id"] == f"{prefix}-{awards[0].reference}"
    assert registered["recipientOrganization"][0]["id"] == "GB-CHC-1164883"
    assert registered["recipientOrganization"][0]["charityNumber"] == "1164883"
    assert plain["recipientOrganization"][0]["id"] == (f"{prefix}-ORG-{awards[1].organisation.ref}")
    assert plain["amountAwarded"] == 1250.5
    assert registered["fundingOrganization"] == [{"id": prefix, "name": office.name}]
    assert registered["grantProgramme"][0]["code"] == "CF"
    assert registered["grantProgramme"][0]["title"] == awards[0].fund.name
    assert registered["fromOpenCall"] == "Yes"
    area = awards[0].application.areas.first()
    location = registered["beneficiaryLocation"][0]
    assert location["geoCode"] == area.ons_code
    assert location["geoCodeType"] == {"E07": "NMD", "E06": "UA"}[area.ons_code[:3]]
    priority = awards[0].application.priorities.first()
    assert registered["classifications"][0]["code"] == priority.code
    assert registered["plannedDates"][0] == {
        "startDate": awards[0].starts_on.isoformat(),
        "endDate": awards[0].ends_on.isoformat(),
        "duration": 12,
    }
    page = reverse("transparency:award", args=[office.slug, awards[0].reference])
    assert registered["dataSource"].endswith(page)
    assert registered["dateModified"].endswith("Z")


def test_the_funder_is_identified_by_the_offices_org_id_when_the_pack_gives_one(office):
    office.org_id = "GB-GOR-PC000123"
    publisher = Publisher.for_office(office)
    assert publisher.funder_id == "GB-GOR-PC000123"


def test_a_company_is_identified_by_its_company_number(office, officer, round_, signatories):
    company = OrganisationFactory(
        applicant_type="charity", company_number="1234567", email=f"a@{CONTACT_DOMAIN}"
    )
    award = published_awards(office, officer, round_, signatories, organisation=company)[0]
    grant = package_of(office)["grants"][0]
    assert grant["id"].endswith(award.reference)
    assert grant["recipientOrganization"][0]["id"] == "GB-COH-01234567"
    assert grant["recipientOrganization"][0]["companyNumber"] == "01234567"


def test_awards_with_text_that_would_fail_the_checks_are_exported_clean(
    office, officer, round_, signatories
):  # TR2 quality
    title = "Youth work " + "and more youth work " * 7
    published_awards(
        office,
        officer,
        round_,
        signatories,
        title=title[:150],
        short_description=f"Call 01245 291600 or e-mail lead@{CONTACT_DOMAIN} to join.",
    )
    grant = package_of(office)["grants"][0]
    assert len(grant["title"]) < 140
    assert "[removed]" in grant["description"]
    assert CONTACT_DOMAIN not in json.dumps(grant)
    assert package_problems({"grants": [grant]}) == []


def test_a_title_used_as_the_description_gets_a_description_of_its_own(
    office, officer, round_, signatories
):
    award = published_awards(
        office, officer, round_, signatories, title="Safer parks", short_description="Safer parks"
    )[0]
    grant = award_grant(Publisher.for_office(office), public_award(office, award.reference))
    assert grant["description"] != grant["title"]
    assert package_problems({"grants": [grant]}) == []


def test_a_grant_for_no_area_is_for_the_whole_force_area(office, officer, round_, signatories):
    award = published_awards(office, officer, round_, signatories)[0]
    award.application.areas.clear()
    grant = package_of(office)["grants"][0]
    assert grant["beneficiaryLocation"] == [
        {
            "name": office.force_area,
            "countryCode": "GB",
            "geoCode": office.force_area_ons_code,
            "geoCodeType": "PFA",
        }
    ]


def test_the_package_streams_a_chunk_at_a_time_with_the_same_result(office, awards):
    whole = package_of(office, chunk_size=2000)
    chunked = package_of(office, chunk_size=1)
    assert [g["id"] for g in chunked["grants"]] == [g["id"] for g in whole["grants"]]
    assert chunked["grants"] == whole["grants"]


def test_the_flat_formats_round_trip(office, awards, tmp_path):  # TR2
    package = package_of(office)
    xlsx = tmp_path / "grants.xlsx"
    call_command("export_360giving", office=office.slug, output=str(xlsx), output_format="xlsx")
    assert unflatten(xlsx, "xlsx")["grants"] == package["grants"]
    one_row = package_of(office, one_row=True)
    csv_path = tmp_path / "grants.csv"
    call_command("export_360giving", office=office.slug, output=str(csv_path), output_format="csv")
    header = csv_path.read_text().splitlines()[0]
    assert header.startswith("Identifier,Title,Description,Currency,Amount Awarded")
    back = unflatten(csv_path, "csv")["grants"]
    assert [
        {k: v for k, v in g.items() if k != "classifications"} for g in one_row["grants"]
    ] == back
    assert schema_errors({"grants": back}) == []
    assert package_problems({"grants": back}) == []


def test_text_that_looks_like_a_formula_is_text_in_the_spreadsheet(office, awards, tmp_path):
    """A title an applicant typed as "=HYPERLINK(...)" is a text cell, not a formula the
    reader's spreadsheet would run, and reads back as typed."""
    from openpyxl import load_workbook

    from commissioning.awards.models import Award

    title = '=HYPERLINK("http://evil.example","Open")'
    Award.objects.filter(pk=awards[0].pk).update(title=title)
    xlsx = tmp_path / "grants.xlsx"
    call_command("export_360giving", office=office.slug, output=str(xlsx), output_format="xlsx")
    cells = [
        cell
        for sheet in load_workbook(xlsx).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == title
    ]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert title in {g["title"] for g in unflatten(xlsx, "xlsx")["grants"]}


def test_the_command_writes_json_and_refuses_an_unknown_office(office, awards, tmp_path):
    path = tmp_path / "grants.json"
    call_command("export_360giving", office=office.slug, output=str(path))
    assert schema_errors(json.loads(path.read_text())) == []
    with pytest.raises(CommandError):
        call_command("export_360giving", office="nowhere")
    with pytest.raises(CommandError):
        call_command("export_360giving", office=office.slug, output_format="csv")


def test_the_open_data_pages_for_anyone(client, office, awards):
    assert client.get(reverse("transparency:open_data", args=[office.slug])).status_code == 200
    response = client.get(reverse("transparency:360giving", args=[office.slug, "json"]))
    assert isinstance(response, StreamingHttpResponse)
    package = json.loads(b"".join(response.streaming_content))
    assert schema_errors(package) == []
    for output_format in ("csv", "xlsx"):
        response = client.get(reverse("transparency:360giving", args=[office.slug, output_format]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)
    assert client.get(f"/{office.slug}/open-data/360giving.xml").status_code == 404
    assert client.get("/nowhere/open-data/360giving.json").status_code == 404
    assert client.get("/nowhere/open-data/").status_code == 404


def test_no_personal_data_in_the_exports(client, office, officer, round_, signatories, tmp_path):
    award = published_awards(
        office,
        officer,
        round_,
        signatories,
        organisation=charity(),
        senior_officer_name="Jordan Ellis",
        senior_officer_email=f"jordan@{CONTACT_DOMAIN}",
    )[0]
    text = json.dumps(package_of(office))
    csv_path = tmp_path / "grants.csv"
    call_command("export_360giving", office=office.slug, output=str(csv_path), output_format="csv")
    for content in (text, csv_path.read_text()):
        assert personal_data_in(content) == []
        assert CONTACT_DOMAIN not in content
        assert award.contact_email not in content if award.contact_email else True


def test_an_empty_office_still_writes_a_package(office, tmp_path):
    path = write_package(office, tmp_path / "empty.json")
    package = json.loads(path.read_text())
    assert package["grants"] == []
    # The schema wants at least one grant: an office with none has nothing to publish yet.
    assert schema_errors(package) == ["grants: [] should be non-empty"]
