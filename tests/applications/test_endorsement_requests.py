"""Issue 9, item 5: an endorsement can always be requested. The check page asks before an
application goes in with a request never sent, and the applicant and the office's officers can
send and resend it after submission; the endorser's answer runs the screening again."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from commissioning.accounts.models import Role
from commissioning.applications.endorsements.services import (
    REQUESTS_A_DAY,
    endorsement_request,
    endorsement_respond,
)
from commissioning.applications.models import Endorsement, ScreeningOutcome, Status
from commissioning.applications.screening.services import screening_run
from commissioning.applications.services import IncompleteApplication, application_submit
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import (
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
def submitted(round_):
    """Submitted with the endorser named but never asked, and screened: the check fails."""
    application = ApplicationSubmittedFactory(round=round_, endorsements_confirmed=False)
    screening_run(application=application, actor=None)
    return application


def endorser_mails() -> list:
    return [m for m in mail.outbox if m.to == ["jo.bell@police.example"]]


# (a) Asked before submission.


def test_check_page_says_the_request_has_not_been_sent_and_does_not_submit_without_it(
    client, draft, django_capture_on_commit_callbacks
):
    sign_in(client, member_of(draft.organisation))
    url = f"/applications/{draft.public_id}/check/"
    page = client.get(url).content.decode()
    assert "You have not sent the request to your endorser" in page
    assert "PC Jo Bell" in page
    assert "Send the request and submit application" in page

    refused = client.post(url)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "govuk-error-summary" in text and "Send it before you submit" in text
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.reference
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"send_endorsement_requests": "yes"})
    assert sent["Location"] == f"/applications/{draft.public_id}/submitted/"
    draft.refresh_from_db()
    assert draft.status != Status.DRAFT and draft.reference
    endorsement = draft.endorsements.get()
    assert endorsement.state == Endorsement.State.REQUESTED
    assert len(endorser_mails()) == 1


def test_check_page_submits_as_before_once_every_request_is_sent(client, draft):
    draft.endorsements.update(state=Endorsement.State.REQUESTED)
    sign_in(client, member_of(draft.organisation))
    url = f"/applications/{draft.public_id}/check/"
    page = client.get(url).content.decode()
    assert "You have not sent the request" not in page
    assert "Submit application" in page
    assert client.post(url)["Location"] == f"/applications/{draft.public_id}/submitted/"


def test_a_refused_submission_sends_no_request(draft, django_capture_on_commit_callbacks):
    draft.title = ""
    draft.save(update_fields=["title"])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(IncompleteApplication):
        application_submit(
            application=draft,
            actor=member_of(draft.organisation),
            send_endorsement_requests=True,
        )
    assert draft.endorsements.get().state == Endorsement.State.NOT_SENT
    assert not mail.outbox


def test_the_api_sends_unsent_requests_on_submission(
    client, draft, django_capture_on_commit_callbacks
):
    sign_in(client, member_of(draft.organisation))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/applications/{draft.public_id}/submit")
    assert response.status_code == 200
    assert draft.endorsements.get().state == Endorsement.State.REQUESTED
    assert len(endorser_mails()) == 1


# (b) Sent and resent after submission.


def test_the_applicant_sends_the_request_from_the_receipt_after_submission(
    client, submitted, django_capture_on_commit_callbacks
):
    assert submitted.status == Status.SCREENING
    sign_in(client, member_of(submitted.organisation))
    receipt = client.get(f"/applications/{submitted.public_id}/submitted/").content.decode()
    assert "Send request" in receipt and "PC Jo Bell" in receipt
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/applications/{submitted.public_id}/endorsements/{KIND}/request/")
    assert sent["Location"] == f"/applications/{submitted.public_id}/submitted/"
    assert submitted.endorsements.get().state == Endorsement.State.REQUESTED
    assert len(endorser_mails()) == 1
    again = client.get(f"/applications/{submitted.public_id}/submitted/").content.decode()
    assert "Send the request again" in again


def test_an_officer_sends_and_resends_the_request_after_submission(
    client, office, submitted, django_capture_on_commit_callbacks
):
    officer = staff_user(office)
    sign_in(client, officer)
    case = f"/staff/{office.slug}/applications/{submitted.reference}/"
    page = client.get(case).content.decode()
    assert "PC Jo Bell" in page and "Send request" in page
    url = f"{case}endorsements/{KIND}/request/"
    assert client.get(url).status_code == 405
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url)["Location"] == case
    assert len(endorser_mails()) == 2
    endorsement = submitted.endorsements.get()
    assert endorsement.state == Endorsement.State.REQUESTED
    events = AuditEvent.objects.filter(verb="endorsement.requested", actor=officer)
    assert [e.data["resent"] for e in events.order_by("id")] == [False, True]
    assert "Send the request again" in client.get(case).content.decode()
    # Sending a request changes none of the applicant's answers.
    submitted.refresh_from_db()
    assert submitted.title == "Safer Parks after dark"


def test_only_the_offices_screeners_can_send_the_request(client, office, other_office, submitted):
    url = f"/staff/{office.slug}/applications/{submitted.reference}/endorsements/{KIND}/request/"
    for user in (
        staff_user(other_office),
        staff_user(office, Role.AUDITOR),
        member_of(submitted.organisation),
        member_of(OrganisationFactory()),
    ):
        sign_in(client, user)
        assert client.post(url).status_code == 404
    sign_in(client, staff_user(office, Role.AUDITOR))
    case = f"/staff/{office.slug}/applications/{submitted.reference}/"
    page = client.get(case).content.decode()
    assert "PC Jo Bell" in page and "Send request" not in page
    assert submitted.endorsements.get().state == Endorsement.State.NOT_SENT
    assert not mail.outbox


def test_requests_are_limited_to_a_few_a_day(submitted, time_machine):
    endorsement = submitted.endorsements.get()
    officer = staff_user(submitted.office)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    for minutes in range(REQUESTS_A_DAY):
        time_machine.move_to(start + dt.timedelta(minutes=minutes), tick=False)
        endorsement_request(endorsement=endorsement, actor=officer)
    with pytest.raises(DomainError, match="3 times in the last 24 hours"):
        endorsement_request(endorsement=endorsement, actor=officer)
    time_machine.move_to(start + dt.timedelta(days=1, seconds=1), tick=False)
    endorsement_request(endorsement=endorsement, actor=officer)


def test_requests_cannot_be_sent_once_screening_is_concluded(submitted):
    submitted.status = Status.INELIGIBLE
    submitted.save(update_fields=["status"])
    with pytest.raises(DomainError, match="until officers have checked"):
        endorsement_request(endorsement=submitted.endorsements.get(), actor=None)


def test_the_endorsers_answer_runs_the_screening_again(
    submitted, django_capture_on_commit_callbacks
):
    endorsement_check = submitted.screening_results.get(is_current=True, rule="endorsements")
    assert endorsement_check.outcome == ScreeningOutcome.FAIL
    assert "has not been sent" in endorsement_check.reason
    with django_capture_on_commit_callbacks(execute=True):
        endorsement_request(endorsement=submitted.endorsements.get(), actor=None)
    token = LINK.search(endorser_mails()[-1].body)["token"]
    with django_capture_on_commit_callbacks(execute=True):
        endorsement_respond(token=token, confirms=True)
    current = submitted.screening_results.get(is_current=True, rule="endorsements")
    assert current.outcome == ScreeningOutcome.PASS
    submitted.refresh_from_db()
    assert submitted.screening_outcome == ScreeningOutcome.PASS
    assert submitted.status == Status.ELIGIBLE


def test_an_answer_after_screening_is_concluded_leaves_the_screening_alone(
    submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        endorsement_request(endorsement=submitted.endorsements.get(), actor=None)
    token = LINK.search(endorser_mails()[-1].body)["token"]
    submitted.status = Status.IN_ASSESSMENT
    submitted.save(update_fields=["status"])
    runs = submitted.screening_results.count()
    with django_capture_on_commit_callbacks(execute=True):
        endorsement_respond(token=token, confirms=True)
    assert submitted.screening_results.count() == runs
