"""Issue 7 item 2: staff act only in a session that passed the authenticator code. Having an
authenticator is not enough; the Django admin's own sign-in form is not a way round it."""

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import Role
from tests.accounts.factories import PASSWORD, UserFactory, sign_in, staff_user

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/staff/", "/staff/api-tokens/", "/admin/", "/admin/offices/fund/", "/letters/x/"]


@pytest.fixture
def admin_user(office):
    return staff_user(office, Role.OFFICE_ADMIN)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_password_only_staff_session_is_refused_everywhere(client, admin_user, path):
    sign_in(client, admin_user, mfa=False)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    # The session is ended, so it cannot be used anywhere else either.
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_password_only_session_cannot_use_the_api(client, admin_user):
    sign_in(client, admin_user, mfa=False)
    assert client.get("/api/v1/offices/").status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_a_password_only_session_cannot_create_an_api_token(client, admin_user):
    sign_in(client, admin_user, mfa=False)
    client.post("/staff/api-tokens/", {"name": "Finance export"})
    assert not admin_user.api_tokens.exists()


def test_a_session_that_passed_the_code_reaches_staff_pages_admin_and_api(client, admin_user):
    sign_in(client, admin_user)
    for path in ["/staff/", "/staff/api-tokens/", "/admin/", "/admin/offices/fund/"]:
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/offices/").status_code == 200
    client.post("/staff/api-tokens/", {"name": "Finance export"})
    assert admin_user.api_tokens.count() == 1


def test_signing_in_with_password_and_code_passes(client, admin_user):
    client.post("/accounts/login/", {"login": admin_user.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_current_code(admin_user)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/offices/").status_code == 200


def test_the_admin_has_no_password_form_of_its_own(client, admin_user):
    """/admin/login/ sends people to the product's sign-in, which asks for the code and is
    throttled; posting a password to it signs nobody in."""
    response = client.get("/admin/login/?next=/admin/offices/fund/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Foffices%2Ffund%2F"
    response = client.post(
        "/admin/login/", {"username": admin_user.email, "password": PASSWORD}, follow=False
    )
    assert response.status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_admin_sign_in_refuses_a_redirect_to_another_site(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_a_signed_in_person_who_is_not_an_administrator_is_told_so(client):
    sign_in(client, UserFactory())
    assert client.get("/admin/", follow=True).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_setting_up_an_authenticator_counts_as_passing_the_code(client, office):
    """Setting one up checks a code from it, so a new member of staff goes on to work without
    signing in a second time."""

    user = staff_user(office, mfa=False)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
    client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert client.get("/staff/").status_code == 200
