"""Each 360Giving data-quality check (TR2) fed a record that breaks it; a good grant passes."""

import copy

import pytest

from commissioning.transparency.opendata.quality import grant_problems, org_id_problem

GOOD = {
    "id": "360G-testshirepcc-TST-CF-2026-0001",
    "title": "Safer parks after dark",
    "description": "Volunteer patrols and lighting surveys in three parks.",
    "currency": "GBP",
    "amountAwarded": 2000,
    "awardDate": "2026-05-01",
    "plannedDates": [{"startDate": "2026-06-01", "endDate": "2027-05-31", "duration": 12}],
    "recipientOrganization": [
        {"id": "GB-CHC-1164883", "name": "Safer Streets Trust", "charityNumber": "1164883"}
    ],
    "fundingOrganization": [{"id": "360G-testshirepcc", "name": "Commissioner for Testshire"}],
    "grantProgramme": [{"code": "CF", "title": "Community Fund"}],
    "beneficiaryLocation": [
        {"name": "Testtown", "geoCode": "E06000901", "geoCodeType": "UA", "countryCode": "GB"}
    ],
    "dateModified": "2026-05-01T10:00:00Z",
    "dataSource": "https://example.org/testshire/awards/TST-CF-2026-0001/",
}


def checks(grant) -> set[str]:
    return {p.check for p in grant_problems(grant)}


def changed(**fields):
    grant = copy.deepcopy(GOOD)
    grant.update(fields)
    return grant


def test_a_good_grant_passes_every_check():
    assert grant_problems(GOOD) == []


def test_a_grant_of_nothing_is_flagged():
    assert "zero_amount" in checks(changed(amountAwarded=0))
    assert "zero_amount" in checks(changed(amountAwarded=-5))


@pytest.mark.parametrize(
    "grant_id", ["TST-CF-2026-0001", "360G-", "360G-testshirepcc", "360G testshire-1"]
)
def test_a_grant_identifier_in_a_bad_format_is_flagged(grant_id):
    assert "grant_id" in checks(changed(id=grant_id))


@pytest.mark.parametrize(
    "org_id",
    ["GB-CHC-12", "GB-CHC-ABC123", "GB-COH-123", "GB-XYZ-1", "1164883", "GB-SC-123456", "360G-"],
)
def test_a_recipient_identifier_in_a_bad_format_is_flagged(org_id):
    grant = changed(recipientOrganization=[{"id": org_id, "name": "A group"}])
    assert "recipientOrganization_id" in checks(grant)


def test_a_funder_identifier_in_a_bad_format_is_flagged():
    grant = changed(fundingOrganization=[{"id": "PCC-TESTSHIRE", "name": "Commissioner"}])
    assert "fundingOrganization_id" in checks(grant)


@pytest.mark.parametrize(
    "org_id",
    [
        "GB-CHC-1164883",
        "GB-CHC-502101",
        "GB-COH-01234567",
        "GB-COH-SC123456",
        "GB-SC-SC012345",
        "GB-NIC-100002",
        "GB-EDU-123456",
        "GB-LAE-ESS",
        "360G-testshirepcc-ORG-k7m2q9xdwa",
    ],
)
def test_registered_identifiers_in_their_formats_pass(org_id):
    assert org_id_problem(org_id) == ""


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("title", "Call pat@example.org for details"),
        ("description", "E-mail chair@lead-contact.example to join."),
    ],
)
def test_an_email_address_in_text_is_flagged(field, text):
    assert "email_in_text" in checks(changed(**{field: text}))


@pytest.mark.parametrize(
    "text", ["Ring 01245 291600 to book", "Call +44 1245 291600", "Text 07700 900123"]
)
def test_a_telephone_number_in_text_is_flagged(text):
    assert "phone_in_text" in checks(changed(description=text))


def test_an_email_address_in_the_recipient_name_is_flagged():
    grant = changed(recipientOrganization=[{"id": "GB-CHC-1164883", "name": "a@b.example"}])
    assert "email_in_text" in checks(grant)


def test_a_grant_that_ends_before_it_starts_is_flagged():
    grant = changed(plannedDates=[{"startDate": "2027-06-01", "endDate": "2026-05-31"}])
    assert "start_after_end" in checks(grant)


def test_a_title_of_140_characters_or_more_is_flagged():
    assert "title_length" in checks(changed(title="x" * 140))
    assert "title_length" not in checks(changed(title="x" * 139))


def test_a_title_the_same_as_the_description_is_flagged():
    assert "title_is_description" in checks(changed(description=GOOD["title"].upper() + " "))


def test_a_grant_without_a_beneficiary_location_is_flagged():
    assert "no_beneficiary_location" in checks(changed(beneficiaryLocation=[]))


def test_a_grant_without_a_programme_is_flagged():
    assert "no_grant_programme" in checks(changed(grantProgramme=[]))


def test_a_360g_recipient_identifier_where_a_registered_number_exists_is_flagged():
    grant = changed(
        recipientOrganization=[
            {"id": "360G-testshirepcc-ORG-abc", "name": "Trust", "charityNumber": "1164883"}
        ]
    )
    assert "recipient_360g_id" in checks(grant)
    grant = changed(
        recipientOrganization=[
            {"id": "360G-testshirepcc-ORG-abc", "name": "Ltd", "companyNumber": "01234567"}
        ]
    )
    assert "recipient_360g_id" in checks(grant)


def test_a_grant_without_date_modified_or_data_source_is_flagged():
    assert "no_date_modified" in checks(changed(dateModified=""))
    assert "no_data_source" in checks(changed(dataSource=""))
