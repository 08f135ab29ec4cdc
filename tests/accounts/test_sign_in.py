"""Sign-in (SE2, SE3): e-mail login, TOTP required for staff before they act, throttling."""

import pytest
from django.core.cache import cache

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import Role
from tests.accounts.factories import PASSWORD, UserFactory, staff_user

pytestmark = pytest.mark.django_db


def test_staff_without_an_authenticator_must_set_one_up_before_acting(client, office):
    client.force_login(staff_user(office, Role.COMMISSIONING_OFFICER, mfa=False))
    for path in ("/staff/", "/admin/", "/staff/api-tokens/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_staff_api_session_without_an_authenticator_is_refused(client, office):
    client.force_login(staff_user(office, mfa=False))
    assert client.get("/api/v1/offices/").status_code == 401


def test_applicants_are_not_asked_for_an_authenticator(client):
    client.force_login(UserFactory())
    assert client.get("/staff/").status_code == 200


def test_staff_sign_in_asks_for_the_code(client, office):
    user = staff_user(office, Role.COMMISSIONER)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/staff/").status_code == 302  # not signed in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert b"govuk-error-message" in wrong.content or b"Incorrect code" in wrong.content
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_current_code(user)})
    assert response.status_code == 302
    page = client.get("/staff/")
    assert page.status_code == 200
    assert b"Decisions to sign" in page.content


def test_sign_in_is_by_email_and_case_insensitive(client):
    user = UserFactory(email="jo@example.org")
    response = client.post("/accounts/login/", {"login": "JO@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/").wsgi_request.user == user


def test_failed_sign_ins_are_throttled(client):
    user = UserFactory()
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
        assert b"There is a problem" in response.content
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert b"This account is locked for now" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_a_locked_account_does_not_lock_others_behind_the_same_address(client):
    """Issue 7 item 5: failed sign-ins are counted per account, and per address only loosely,
    so one person's wrong passwords do not lock out an office behind one gateway."""
    locked, colleague = UserFactory(), UserFactory()
    for _ in range(8):
        client.post("/accounts/login/", {"login": locked.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": colleague.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user == colleague


def test_a_locked_account_is_told_when_to_try_again(client):
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    text = response.content.decode()
    assert "This account is locked for now because of too many wrong passwords." in text
    assert "Try again in 5 minutes, or reset your password." in text


def test_many_failures_from_one_address_are_still_throttled(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "5/5m/key,3/5m/ip",
    }
    for _ in range(3):
        client.post("/accounts/login/", {"login": UserFactory().email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": UserFactory().email, "password": PASSWORD})
    assert "Too many wrong passwords have been entered from your network." in (
        response.content.decode()
    )
    assert not response.wsgi_request.user.is_authenticated


def test_rapid_requests_get_the_too_many_attempts_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content


def test_wrong_password_gives_a_plain_error_summary(client):
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email, "password": "nope"})
    assert b"govuk-error-summary" in response.content


# Issue 9, item 7: each role lands on its own home after signing in.


def _sign_in(client, user, next_url=None):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    if response["Location"] == "/accounts/2fa/authenticate/":
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_current_code(user)})
    assert response.status_code == 302
    return response["Location"]


def test_an_applicant_lands_on_their_organisations_applications(client):
    from tests.organisations.factories import MemberFactory

    member = MemberFactory()
    assert _sign_in(client, member.user) == "/applications/"


def test_an_applicant_without_an_organisation_lands_on_their_account(client):
    assert _sign_in(client, UserFactory()) == "/staff/"


def test_a_panel_member_lands_on_their_panels(client, office):
    user = staff_user(office, Role.PANEL_MEMBER)
    assert _sign_in(client, user) == f"/staff/{office.slug}/panels/"


@pytest.mark.parametrize(
    "role", [Role.COMMISSIONER, Role.MONITORING_OFFICER, Role.CHIEF_FINANCE_OFFICER]
)
def test_a_signatory_lands_on_what_awaits_their_signature(client, office, role):
    user = staff_user(office, role)
    expected = f"/staff/{office.slug}/decisions/?status=awaiting_signatures"
    assert _sign_in(client, user) == expected


def test_an_officer_and_staff_with_several_roles_land_on_the_staff_home(client, office):
    from commissioning.accounts.services import membership_grant

    assert _sign_in(client, staff_user(office, Role.COMMISSIONING_OFFICER)) == "/staff/"
    client.logout()
    cache.clear()  # the same code is refused twice within its period
    both = staff_user(office, Role.PANEL_MEMBER)
    membership_grant(user=both, office=office, role=Role.COMMISSIONER)
    assert _sign_in(client, both) == "/staff/"


def test_a_safe_next_still_wins_and_an_unsafe_one_is_ignored(client, office):
    user = staff_user(office, Role.PANEL_MEMBER)
    assert _sign_in(client, user, "/staff/api-tokens/") == "/staff/api-tokens/"
    client.logout()
    other = staff_user(office, Role.PANEL_MEMBER)  # a code is used once, so another person
    assert _sign_in(client, other, "https://evil.example/") == f"/staff/{office.slug}/panels/"
