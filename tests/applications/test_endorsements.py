"""AP5: the applicant names endorsers; each endorser answers once, through a signed link that
expires after 14 days, without an account."""

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from commissioning.accounts.models import Role
from commissioning.applications.endorsements.services import (
    LINK_SALT,
    EndorsementLinkError,
    endorsement_add,
    endorsement_for_token,
    endorsement_remove,
    endorsement_request,
    endorsement_respond,
)
from commissioning.applications.models import Endorsement, Status
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from tests.accounts.factories import UserFactory, sign_in, staff_user
from tests.applications.factories import (
    ApplicationFactory,
    ApplicationSubmittedFactory,
    CompleteDraftFactory,
    OrganisationFactory,
    RoundFactory,
    member_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.applications.urls")]

KIND = Endorsement.Kind.POLICE_OFFICER_OR_PCSO
LINK = re.compile(r"https?://\S+/endorse/(?P<token>[^/\s]+)/")


@pytest.fixture
def round_(office):
    return RoundFactory(fund=office.funds.get(code="CF"))


@pytest.fixture
def draft(round_):
    """A complete draft whose police endorser has been named but not yet asked."""
    return CompleteDraftFactory(round=round_)


@pytest.fixture
def member(draft):
    return member_of(draft.organisation, email="lead@group.example")


@pytest.fixture
def endorsement(draft):
    return draft.endorsements.get(kind=KIND)


def request_link(endorsement, actor, capture) -> str:
    """Send a request and return the token from the e-mail the endorser receives."""
    with capture(execute=True):
        endorsement_request(endorsement=endorsement, actor=actor)
    body = mail.outbox[-1].body
    assert mail.outbox[-1].to == [endorsement.endorser_email]
    return LINK.search(body)["token"]


# Naming endorsers.


def test_the_applicant_names_one_endorser_for_each_kind_the_fund_asks_for(round_):
    application = ApplicationFactory(round=round_)
    user = member_of(application.organisation)
    endorsement = endorsement_add(
        application=application,
        actor=user,
        kind=KIND,
        endorser_name=" PCSO Sam Whitfield ",
        endorser_email="sam@police.example",
        endorser_role="Neighbourhood team",
    )
    assert endorsement.state == Endorsement.State.NOT_SENT
    assert endorsement.endorser_name == "PCSO Sam Whitfield"
    assert AuditEvent.objects.filter(verb="endorsement.added", actor=user).exists()
    with pytest.raises(DomainError, match="already named"):
        endorsement_add(
            application=application,
            actor=user,
            kind=KIND,
            endorser_name="Someone else",
            endorser_email="else@police.example",
            endorser_role="Response",
        )
    with pytest.raises(DomainError, match="does not ask") as refused:
        endorsement_add(
            application=application,
            actor=user,
            kind=Endorsement.Kind.CSP,
            endorser_name="CSP manager",
            endorser_email="csp@council.example",
            endorser_role="Community safety",
        )
    assert refused.value.field == "kind"


def test_endorsers_cannot_be_changed_after_submission(round_):
    submitted = ApplicationSubmittedFactory(round=round_, endorsements_confirmed=False)
    user = member_of(submitted.organisation)
    endorsement = submitted.endorsements.get()
    with pytest.raises(DomainError, match="submitted"):
        endorsement_remove(endorsement=endorsement, actor=user)
    assert submitted.endorsements.count() == 1


# The signed link.


def test_a_request_emails_a_signed_link_after_commit(
    endorsement, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        endorsement_request(endorsement=endorsement, actor=member)
    assert not mail.outbox and len(callbacks) == 1
    callbacks[0]()
    message = mail.outbox[0]
    assert message.to == ["jo.bell@police.example"]
    assert endorsement.application.organisation.name in message.subject
    assert "Safer Parks after dark" in message.body
    endorsement.refresh_from_db()
    assert endorsement.state == Endorsement.State.REQUESTED
    assert len(endorsement.nonce) == 32 and endorsement.requested_at
    token = LINK.search(message.body)["token"]
    assert endorsement_for_token(token) == endorsement
    assert str(endorsement.pk) != token  # the link is signed, not a bare id


def test_the_endorser_confirms_without_an_account(
    client, endorsement, member, django_capture_on_commit_callbacks
):
    token = request_link(endorsement, member, django_capture_on_commit_callbacks)
    page = client.get(f"/endorse/{token}/")
    assert page.status_code == 200
    text = page.content.decode()
    for shown in [
        "Safer Parks after dark",
        endorsement.application.organisation.name,
        "Volunteer patrols and lighting surveys in three parks.",
        "£2,000",
    ]:
        assert shown in text
    assert page["Cache-Control"].startswith("max-age=0")
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(f"/endorse/{token}/", {"supports": "True", "comment": ""})
    assert answered.status_code == 302
    endorsement.refresh_from_db()
    assert endorsement.state == Endorsement.State.CONFIRMED and endorsement.responded_at
    assert AuditEvent.objects.filter(verb="endorsement.confirmed", actor=None).exists()
    assert mail.outbox[-1].to == ["lead@group.example"]
    assert "supports your application" in mail.outbox[-1].subject
    after = client.get(f"/endorse/{token}/")
    assert after.status_code == 200
    assert "Answer received" in after.content.decode()
    assert "You support this application" in after.content.decode()


def test_a_used_link_cannot_answer_again(
    client, endorsement, member, django_capture_on_commit_callbacks
):
    token = request_link(endorsement, member, django_capture_on_commit_callbacks)
    endorsement_respond(token=token, confirms=True)
    with pytest.raises(EndorsementLinkError) as used:
        endorsement_respond(token=token, confirms=False, comment="Changed my mind")
    assert used.value.reason == "answered"
    page = client.post(f"/endorse/{token}/", {"supports": "False", "comment": "Changed my mind"})
    assert page.status_code == 200
    assert "Answer received" in page.content.decode()
    endorsement.refresh_from_db()
    assert endorsement.state == Endorsement.State.CONFIRMED and endorsement.comment == ""


def test_the_link_expires_after_14_days(
    client, endorsement, member, time_machine, django_capture_on_commit_callbacks
):
    sent = timezone.now()
    time_machine.move_to(sent, tick=False)
    token = request_link(endorsement, member, django_capture_on_commit_callbacks)
    assert "until" in mail.outbox[-1].body
    time_machine.move_to(sent + dt.timedelta(days=13, hours=23), tick=False)
    assert client.get(f"/endorse/{token}/").status_code == 200
    time_machine.move_to(sent + dt.timedelta(days=14, minutes=1), tick=False)
    page = client.get(f"/endorse/{token}/")
    assert page.status_code == 410
    assert "This link has expired" in page.content.decode()
    with pytest.raises(EndorsementLinkError) as expired:
        endorsement_respond(token=token, confirms=True)
    assert expired.value.reason == "expired"
    posted = client.post(f"/endorse/{token}/", {"supports": "True"})
    assert posted.status_code == 410
    endorsement.refresh_from_db()
    assert endorsement.state == Endorsement.State.REQUESTED


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), id="signature"),
        pytest.param(lambda t: "x" + t, id="payload"),
        pytest.param(lambda t: "not-a-token", id="garbage"),
        pytest.param(lambda t: t.split(":")[0], id="unsigned"),
        pytest.param(
            lambda t: signing.TimestampSigner(salt="other").sign_object({"id": 1, "nonce": "x"}),
            id="other-salt",
        ),
        pytest.param(
            lambda t: signing.TimestampSigner(salt=LINK_SALT).sign_object(["a", "list"]),
            id="wrong-shape",
        ),
        pytest.param(
            lambda t: signing.TimestampSigner(salt=LINK_SALT).sign_object(
                {"id": 999999, "nonce": "0" * 32}
            ),
            id="no-such-endorsement",
        ),
    ],
)
def test_a_tampered_link_shows_a_clear_page(
    client, endorsement, member, tamper, django_capture_on_commit_callbacks
):
    token = request_link(endorsement, member, django_capture_on_commit_callbacks)
    bad = tamper(token)
    page = client.get(f"/endorse/{bad}/")
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()
    assert client.post(f"/endorse/{bad}/", {"supports": "True"}).status_code == 404
    endorsement.refresh_from_db()
    assert endorsement.state == Endorsement.State.REQUESTED


def test_declining_needs_a_comment_and_keeps_it(
    client, endorsement, member, django_capture_on_commit_callbacks
):
    token = request_link(endorsement, member, django_capture_on_commit_callbacks)
    page = client.post(f"/endorse/{token}/", {"supports": "False", "comment": "  "})
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-error-summary" in text
    assert "Say why you do not support this application" in text
    endorsement.refresh_from_db()
    assert endorsement.state == Endorsement.State.REQUESTED
    with pytest.raises(DomainError):
        endorsement_respond(token=token, confirms=False, comment="")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/endorse/{token}/",
            {"supports": "False", "comment": "I have not met this group."},
        )
    endorsement.refresh_from_db()
    assert endorsement.state == Endorsement.State.DECLINED
    assert endorsement.comment == "I have not met this group."
    assert "does not support" in mail.outbox[-1].subject
    assert "I have not met this group." in mail.outbox[-1].body


def test_sending_again_kills_the_old_link(
    client, endorsement, member, django_capture_on_commit_callbacks
):
    first = request_link(endorsement, member, django_capture_on_commit_callbacks)
    second = request_link(endorsement, member, django_capture_on_commit_callbacks)
    assert first != second
    page = client.get(f"/endorse/{first}/")
    assert page.status_code == 410
    assert "replaced" in page.content.decode()
    with pytest.raises(EndorsementLinkError) as old:
        endorsement_respond(token=first, confirms=True)
    assert old.value.reason == "replaced"
    assert client.get(f"/endorse/{second}/").status_code == 200


def test_removing_an_endorser_kills_their_link(
    client, endorsement, member, django_capture_on_commit_callbacks
):
    token = request_link(endorsement, member, django_capture_on_commit_callbacks)
    endorsement_remove(endorsement=endorsement, actor=member)
    assert client.get(f"/endorse/{token}/").status_code == 404
    assert AuditEvent.objects.filter(verb="endorsement.removed").exists()


def test_requests_can_be_sent_while_officers_check_the_application(
    round_, django_capture_on_commit_callbacks
):
    submitted = ApplicationSubmittedFactory(round=round_, endorsements_confirmed=False)
    user = member_of(submitted.organisation)
    endorsement = submitted.endorsements.get()
    request_link(endorsement, user, django_capture_on_commit_callbacks)
    submitted.status = Status.SCREENING
    submitted.save(update_fields=["status"])
    request_link(endorsement, user, django_capture_on_commit_callbacks)
    submitted.status = Status.IN_ASSESSMENT
    submitted.save(update_fields=["status"])
    with pytest.raises(DomainError, match="until officers have checked"):
        endorsement_request(endorsement=endorsement, actor=user)


def test_an_answered_endorsement_is_not_asked_again(
    endorsement, member, django_capture_on_commit_callbacks
):
    token = request_link(endorsement, member, django_capture_on_commit_callbacks)
    endorsement_respond(token=token, confirms=True)
    with pytest.raises(DomainError, match="already answered"):
        endorsement_request(endorsement=endorsement, actor=member)


def test_no_answer_is_taken_once_the_application_is_withdrawn(
    client, round_, django_capture_on_commit_callbacks
):
    from commissioning.applications.services import application_withdraw

    submitted = ApplicationSubmittedFactory(round=round_, endorsements_confirmed=False)
    member = member_of(submitted.organisation)
    token = request_link(submitted.endorsements.get(), member, django_capture_on_commit_callbacks)
    application_withdraw(application=submitted, actor=member)
    page = client.get(f"/endorse/{token}/")
    assert page.status_code == 410
    assert "No answer is needed" in page.content.decode()


# The applicant's pages.


def test_naming_an_endorser_through_the_page(client, round_):
    application = ApplicationFactory(round=round_, title="Speed watch")
    sign_in(client, member_of(application.organisation))
    url = f"/applications/{application.public_id}/endorsements/add/"
    page = client.get(url)
    assert page.status_code == 200
    assert "A police officer or PCSO from your area" in page.content.decode()
    refused = client.post(url, {"kind": KIND, "endorser_name": "", "endorser_email": "nope"})
    text = refused.content.decode()
    assert "govuk-error-summary" in text
    assert "Enter the endorser&#x27;s full name" in text
    assert "Enter an e-mail address in the correct format" in text
    assert not application.endorsements.exists()
    saved = client.post(
        url,
        {
            "kind": KIND,
            "endorser_name": "PCSO Sam Whitfield",
            "endorser_email": "sam@police.example",
            "endorser_role": "Neighbourhood team",
        },
    )
    assert saved.status_code == 302
    assert saved["Location"] == f"/applications/{application.public_id}/endorsements/"
    assert application.endorsements.get().endorser_name == "PCSO Sam Whitfield"
    # Everything the fund asks for is named: the page sends the applicant back.
    assert client.get(url).status_code == 302


def test_sending_and_removing_through_the_pages(
    client, draft, endorsement, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    base = f"/applications/{draft.public_id}/endorsements/{KIND}"
    assert client.get(f"{base}/request/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"{base}/request/")
    assert sent.status_code == 302
    assert mail.outbox[-1].to == ["jo.bell@police.example"]
    confirm = client.get(f"{base}/remove/")
    assert confirm.status_code == 200
    assert "will stop working" in confirm.content.decode()
    assert client.post(f"{base}/remove/").status_code == 302
    assert not draft.endorsements.exists()


def test_other_organisations_get_404(client, draft, endorsement):
    sign_in(client, member_of(OrganisationFactory()))
    base = f"/applications/{draft.public_id}/endorsements"
    assert client.get(f"{base}/add/").status_code == 404
    assert client.get(f"{base}/{KIND}/remove/").status_code == 404
    assert client.post(f"{base}/{KIND}/remove/").status_code == 404
    assert client.post(f"{base}/{KIND}/request/").status_code == 404
    assert draft.endorsements.filter(state=Endorsement.State.NOT_SENT).count() == 1


def test_the_panel_shows_each_state_to_staff_and_applicant(
    draft, endorsement, member, django_capture_on_commit_callbacks
):
    token = request_link(endorsement, member, django_capture_on_commit_callbacks)
    endorsement_respond(token=token, confirms=False, comment="Not known to the team.")
    request = RequestFactory().get("/")
    request.user = member
    for staff in (True, False):
        html = render_to_string(
            "applications/_endorsements_panel.html",
            {"application": draft, "staff": staff},
            request=request,
        )
        assert "Declined" in html and "Not known to the team." in html
        assert "Send request" not in html


# The API.


def test_api_lists_endorsements_for_members_and_office_staff(
    client, office, other_office, round_, django_capture_on_commit_callbacks
):
    submitted = ApplicationSubmittedFactory(round=round_, endorsements_confirmed=False)
    user = member_of(submitted.organisation)
    request_link(submitted.endorsements.get(), user, django_capture_on_commit_callbacks)
    applicant_url = f"/api/v1/applications/{submitted.public_id}/endorsements"
    staff_url = f"/api/v1/offices/{office.slug}/applications/{submitted.reference}/endorsements"
    assert client.get(applicant_url).status_code == 401
    sign_in(client, user)
    [row] = client.get(applicant_url).json()
    assert row["kind"] == KIND and row["state"] == "requested"
    assert row["state_name"] == "Waiting for a reply"
    sign_in(client, member_of(OrganisationFactory()))
    assert client.get(applicant_url).status_code == 404
    sign_in(client, staff_user(office, Role.AUDITOR))
    assert client.get(staff_url).json()[0]["endorser_name"] == "PC Jo Bell"
    sign_in(client, staff_user(other_office))
    assert client.get(staff_url).status_code == 404
    other_staff_url = staff_url.replace(office.slug, other_office.slug)
    assert client.get(other_staff_url).status_code == 404
    sign_in(client, UserFactory())
    assert client.get(staff_url).status_code == 404
