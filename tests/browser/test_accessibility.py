"""Every page that exists, in Chromium, with axe finding nothing (WCAG 2.2 AA), signed in as
each kind of user where a page needs it. Screenshots are saved under test-artifacts/."""

import pytest
from django.core.cache import cache

from commissioning.accounts.demo import DEMO_PASSWORD
from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import User
from tests.browser.axe import check_page

DEMO_OFFICES = ()  # all five

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = [
    ("home", "/"),
    ("sign-in", "/accounts/login/"),
    ("create-account", "/accounts/signup/"),
    ("password-reset", "/accounts/password/reset/"),
    ("not-found", "/no-such-office/"),
    ("demo-outbox", "/demo/outbox/"),
    ("api-reference", "/api/"),
]
OFFICES = ["cumbria", "cambridgeshire", "lancashire", "essex", "cleveland"]


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


def sign_in(page, base, email, *, lands_on="**/2fa/authenticate/"):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lands_on)


def enter_code(page, email, *, lands_on="**/staff/"):
    # One person signing in twice within 30 seconds would reuse a code, which is refused.
    cache.clear()
    page.fill("#id_code", totp_current_code(User.objects.get(email=email)))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lands_on)


# Where each demo role lands after signing in (issue 9, item 7); the rest land on /staff/.
TO_SIGN = "/staff/{office}/decisions/?status=awaiting_signatures"
LANDS_ON = {
    "panel": "/staff/{office}/panels/",
    "commissioner": TO_SIGN,
    "monitoring": TO_SIGN,
    "cfo": TO_SIGN,
    "chief-executive": TO_SIGN,
}


def lands_on(email: str):
    """The page a demo staff member lands on after signing in, from their e-mail address."""
    role, _at, domain = email.partition("@")
    path = LANDS_ON.get(role, "/staff/").format(office=domain.split(".")[0])
    return lambda url: url.split("://", 1)[-1].partition("/")[2] == path.lstrip("/")


def test_public_pages(live_server, page, artifacts, demo):
    for name, path in PUBLIC:
        page.goto(live_server.url + path)
        check_page(page, artifacts, name)
    for slug in OFFICES:
        page.goto(f"{live_server.url}/{slug}/")
        assert page.locator("h1").inner_text()
        check_page(page, artifacts, f"office-{slug}")


def test_applicant_pages(live_server, page, artifacts, demo):
    sign_in(
        page, live_server.url, "director@safer-streets-youth.example", lands_on="**/applications/"
    )
    check_page(page, artifacts, "applicant-lands-on-applications")
    page.goto(live_server.url + "/staff/")
    check_page(page, artifacts, "applicant-home")
    for name, path in [
        ("change-password", "/accounts/password/change/"),
        ("email-addresses", "/accounts/email/"),
        ("two-factor", "/accounts/2fa/"),
        ("sign-out", "/accounts/logout/"),
    ]:
        page.goto(live_server.url + path)
        check_page(page, artifacts, name)


def test_staff_pages_for_every_role(live_server, page, artifacts, demo):
    roles = [
        "officer",
        "panel",
        "commissioner",
        "monitoring",
        "cfo",
        "finance",
        "admin",
        "auditor",
        "chief-executive",
    ]
    for index, role in enumerate(roles):
        email = f"{role}@{OFFICES[index % len(OFFICES)]}.example"
        page.context.clear_cookies()
        sign_in(page, live_server.url, email)
        if index == 0:
            check_page(page, artifacts, "two-factor-code")
        enter_code(page, email, lands_on=lands_on(email))
        check_page(page, artifacts, f"lands-on-{role}")
        page.goto(live_server.url + "/staff/")
        check_page(page, artifacts, f"staff-home-{role}")
        if role == "admin":
            check_staff_and_roles(page, live_server.url, OFFICES[index % len(OFFICES)], artifacts)
    page.goto(live_server.url + "/staff/api-tokens/")
    page.fill("#id_name", "")
    page.get_by_role("button", name="Create token").click()
    check_page(page, artifacts, "api-tokens-error")
    page.fill("#id_name", "Finance export")
    page.get_by_role("button", name="Create token").click()
    assert "Token created" in page.content()
    check_page(page, artifacts, "api-tokens")
    # Awards and budgets (issue 10), as the last role, who works in Essex.
    from commissioning.awards.models import Award

    award = Award.objects.filter(office__slug="essex").order_by("id").first()
    assert award is not None
    office = f"{live_server.url}/staff/essex"
    for name, path in [
        ("awards", "/awards/"),
        ("awards-bad-filter", "/awards/?status=nonsense&year=soon"),
        ("award", f"/awards/{award.reference}/"),
        ("budgets", "/budgets/"),
        ("budget", f"/budgets/{award.fund.code}/{award.first_year}/"),
    ]:
        page.goto(office + path)
        check_page(page, artifacts, name)


def test_failed_jobs_page_for_the_office_administrator(live_server, page, artifacts, demo):
    """Background work that still failed after its retries, with the retry button."""
    from commissioning.applications.models import Application
    from commissioning.core.models import Job

    application = Application.objects.filter(office__slug="essex").exclude(reference="").first()
    Job.objects.create(
        name="commissioning.applications.services.send_receipt",
        kwargs={"application_id": application.pk},
        office=application.office,
        status=Job.Status.FAILED,
        attempts=3,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    email = "admin@essex.example"
    sign_in(page, live_server.url, email)
    enter_code(page, email)
    page.goto(live_server.url + "/staff/failed-jobs/")
    assert "Application receipt e-mail" in page.content()
    check_page(page, artifacts, "failed-jobs")
    page.get_by_role("button", name="Retry").click()
    page.wait_for_url("**/staff/failed-jobs/")
    assert "No background job has failed." in page.content()
    check_page(page, artifacts, "failed-jobs-retried")


def check_staff_and_roles(page, base, office, artifacts):
    """The office administrator's staff page, the invitation form (with its errors) and the
    change-role page."""
    page.get_by_role("link", name="Staff and roles").first.click()
    page.wait_for_url(f"**/staff/{office}/people/")
    check_page(page, artifacts, "staff-and-roles")
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_role("button", name="Send the invitation").click()
    assert "Enter the e-mail address of the person to invite" in page.content()
    check_page(page, artifacts, "staff-invite-error")
    page.fill("#id_email", "new.colleague@example.org")
    page.get_by_label("Finance officer", exact=True).check()
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(f"**/staff/{office}/people/")
    assert "new.colleague@example.org" in page.content()
    check_page(page, artifacts, "staff-and-roles-with-invitation")
    page.get_by_role("link", name="Change role").first.click()
    check_page(page, artifacts, "staff-change-role")


def test_staff_must_set_up_an_authenticator(live_server, page, artifacts, demo):
    user = User.objects.create_user("new.officer@example.org", DEMO_PASSWORD)
    from allauth.account.models import EmailAddress

    from commissioning.accounts.services import membership_grant
    from commissioning.offices.models import Office

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    essex = Office.objects.get(slug="essex")
    membership_grant(user=user, office=essex, role="commissioning_officer")
    sign_in(page, live_server.url, user.email, lands_on=lambda url: "/2fa/totp/activate/" in url)
    check_page(page, artifacts, "set-up-authenticator")
    page.goto(live_server.url + "/admin/")
    page.wait_for_url(lambda url: "/2fa/totp/activate/" in url)
