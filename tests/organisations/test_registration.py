"""AP2: registering an organisation, its org-id, and refusing a second registration."""

import pytest

from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.organisations.models import Organisation, OrganisationMember
from commissioning.organisations.services import organisation_register, organisation_update
from tests.accounts.factories import UserFactory, sign_in
from tests.organisations.factories import AdminMemberFactory, CharityFactory, MemberFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Safer Estates Trust",
    "legal_form": Organisation.LegalForm.CIO,
    "applicant_type": "charity",
    "charity_number": " 1188123 ",
    "company_number": "",
    "address": "4 Mill Lane\nColchester",
    "postcode": "co1 1aa",
    "website": "https://safer-estates.example",
    "email": "hello@safer-estates.example",
}


def register(user, **changes):
    return organisation_register(actor=user, **{**GOOD, **changes})


def test_the_person_registering_becomes_the_administrator():
    user = UserFactory()
    organisation = register(user)
    assert organisation.org_id == "GB-CHC-1188123"
    assert organisation.charity_number == "1188123"
    assert organisation.postcode == "CO1 1AA"
    assert len(organisation.ref) == 10
    member = OrganisationMember.objects.get(organisation=organisation)
    assert (member.user, member.role) == (user, OrganisationMember.Role.ADMIN)
    event = AuditEvent.objects.get(verb="organisation.registered")
    assert event.actor == user and event.data == {"org_id": "GB-CHC-1188123"}
    assert organisation.history.first().history_user == user


def test_company_numbers_get_their_leading_zeros():
    organisation = register(
        UserFactory(),
        legal_form=Organisation.LegalForm.COMPANY_LIMITED_BY_GUARANTEE,
        applicant_type="company",
        charity_number="",
        company_number="1234567",
    )
    assert organisation.company_number == "01234567"
    assert organisation.org_id == "GB-COH-01234567"


def test_an_organisation_without_numbers_has_no_org_id_and_many_can_register():
    data = {"legal_form": Organisation.LegalForm.UNINCORPORATED, "charity_number": ""}
    first = register(UserFactory(), **data)
    second = register(UserFactory(), **data, name="Another Watch Group")
    assert first.org_id == second.org_id == ""


def test_a_second_registration_of_the_same_org_id_is_refused():
    register(UserFactory())
    with pytest.raises(DomainError) as refusal:
        register(UserFactory(), name="Copycat", charity_number="1188123-2")
    assert refusal.value.field == "charity_number"
    assert refusal.value.message == (
        "An organisation with charity number 1188123 is already registered; "
        "ask one of its members to invite you."
    )
    assert Organisation.objects.count() == 1


def test_the_company_number_of_a_registered_charity_is_refused_too():
    register(
        UserFactory(),
        legal_form=Organisation.LegalForm.CHARITABLE_COMPANY,
        company_number="9990002",
    )
    with pytest.raises(DomainError, match="company number 09990002 is already registered"):
        register(
            UserFactory(),
            legal_form=Organisation.LegalForm.COMPANY_LIMITED_BY_GUARANTEE,
            charity_number="",
            company_number="09990002",
        )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"charity_number": ""}, "charity_number", "every charitable incorporated organisation"),
        (
            {"legal_form": "cic", "charity_number": "", "company_number": ""},
            "company_number",
            "community interest company is registered at Companies House",
        ),
        ({"charity_number": "12345"}, "charity_number", "6 or 7 digits"),
        ({"postcode": "nowhere"}, "postcode", "full UK postcode"),
        ({"name": "  "}, "name", "Enter the name"),
        ({"legal_form": "llp"}, "legal_form", "Select the legal form"),
    ],
)
def test_details_are_checked(changes, field, message):
    with pytest.raises(DomainError, match=message) as refusal:
        register(UserFactory(), **changes)
    assert refusal.value.field == field


def test_administrators_change_details_and_the_org_id_follows():
    member = AdminMemberFactory(organisation=CharityFactory())
    organisation = organisation_update(
        organisation=member.organisation,
        actor=member.user,
        charity_number="1199001",
        postcode="sw1a1aa",
    )
    organisation.refresh_from_db()
    assert organisation.org_id == "GB-CHC-1199001"
    assert organisation.postcode == "SW1A 1AA"
    event = AuditEvent.objects.get(verb="organisation.updated")
    assert event.data["after"]["org_id"] == "GB-CHC-1199001"


def test_members_cannot_change_details_nor_take_another_org_id():
    member = MemberFactory(organisation=CharityFactory())
    with pytest.raises(DomainError, match="Only the organisation's administrators"):
        organisation_update(organisation=member.organisation, actor=member.user, name="X")
    other = CharityFactory()
    admin = AdminMemberFactory(organisation=member.organisation)
    with pytest.raises(DomainError, match="already registered"):
        organisation_update(
            organisation=member.organisation, actor=admin.user, charity_number=other.charity_number
        )


# Pages


def test_signing_in_is_needed_to_register(client):
    response = client.get("/organisations/register/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_registration_with_bad_input_shows_the_error_summary_and_saves_nothing(client):
    sign_in(client, UserFactory())
    page = client.post(
        "/organisations/register/",
        {**GOOD, "name": "", "charity_number": "12345", "postcode": "nowhere", "email": "x"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert 'class="govuk-error-summary"' in html
    for message in [
        "Enter the name of the organisation",
        "6 or 7 digits, like 1164883",
        "Enter a full UK postcode, like CM1 1QH",
        "Enter an e-mail address in the correct format",
    ]:
        assert message in html
    assert 'href="#id_charity_number"' in html
    assert "govuk-form-group--error" in html
    assert "<title>Error:" in html
    assert Organisation.objects.count() == 0


def test_registration_page_registers_and_shows_the_organisation(client):
    user = UserFactory()
    sign_in(client, user)
    assert client.get("/organisations/register/").status_code == 200
    response = client.post("/organisations/register/", GOOD)
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.ref}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Safer Estates Trust is registered. You are its administrator." in html
    assert "GB-CHC-1188123" in html
    assert response["Location"] == f"/organisations/{organisation.ref}/"  # the ref, not the id


def test_registering_twice_shows_the_invite_message_on_the_field(client):
    register(UserFactory())
    sign_in(client, UserFactory())
    page = client.post("/organisations/register/", GOOD)
    html = page.content.decode()
    assert page.status_code == 200
    assert "is already registered; ask one of its members to invite you." in html
    assert 'href="#id_charity_number"' in html
    assert Organisation.objects.count() == 1


def test_edit_page_for_administrators(client):
    member = AdminMemberFactory(organisation=CharityFactory())
    organisation = member.organisation
    sign_in(client, member.user)
    page = client.get(f"/organisations/{organisation.ref}/change/")
    assert page.status_code == 200
    assert organisation.charity_number in page.content.decode()
    data = {**GOOD, "name": "Renamed Trust", "charity_number": organisation.charity_number}
    response = client.post(f"/organisations/{organisation.ref}/change/", data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Renamed Trust"


def test_staff_home_links_the_organisations_and_registration(client):
    member = AdminMemberFactory()
    sign_in(client, member.user)
    html = client.get("/staff/").content.decode()
    assert f'href="/organisations/{member.organisation.ref}/"' in html
    assert 'href="/organisations/register/"' in html
    sign_in(client, UserFactory())
    html = client.get("/staff/").content.decode()
    assert "You are not a member of an organisation yet" in html
    assert 'href="/organisations/register/"' in html
