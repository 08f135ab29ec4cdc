"""AP8: officers ask the applicant questions, kept on the record with the answers; asking marks
the application as waiting for the applicant without changing its status. Withdrawal."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory

from commissioning.accounts.models import Role
from commissioning.applications.clarifications.services import (
    clarification_answer,
    clarification_ask,
)
from commissioning.applications.models import Application, Clarification, Status
from commissioning.applications.services import application_withdraw
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


@pytest.fixture
def round_(office):
    return RoundFactory(fund=office.funds.get(code="CF"))


@pytest.fixture
def submitted(round_):
    return ApplicationSubmittedFactory(round=round_)


@pytest.fixture
def officer(office):
    return staff_user(office, Role.COMMISSIONING_OFFICER, email="officer@testshire.example")


@pytest.fixture
def member(submitted):
    return member_of(submitted.organisation, email="lead@group.example")


def set_status(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()


# Services.


def test_asking_marks_the_application_as_waiting_without_changing_its_status(
    submitted, officer, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = clarification_ask(
            application=submitted, actor=officer, question="  Who will run the patrols?  "
        )
    submitted.refresh_from_db()
    assert submitted.awaiting_applicant is True
    assert submitted.status == Status.SUBMITTED
    assert not submitted.status_changes.exclude(new=Status.SUBMITTED).exists()
    assert question.question == "Who will run the patrols?"
    assert AuditEvent.objects.filter(verb="clarification.asked", actor=officer).exists()
    [message] = [m for m in mail.outbox if "lead@group.example" in m.to]
    assert submitted.reference in message.subject
    assert "Who will run the patrols?" in message.body
    assert f"/applications/{submitted.public_id}/questions/1/answer/" in message.body


def test_the_flag_clears_only_when_every_question_is_answered(
    submitted, officer, member, django_capture_on_commit_callbacks
):
    first = clarification_ask(application=submitted, actor=officer, question="First?")
    second = clarification_ask(application=submitted, actor=officer, question="Second?")
    with django_capture_on_commit_callbacks(execute=True):
        clarification_answer(clarification=second, actor=member, answer="Two.")
    submitted.refresh_from_db()
    assert submitted.awaiting_applicant is True
    assert mail.outbox[-1].to == ["officer@testshire.example"]
    clarification_answer(clarification=first, actor=member, answer="One.")
    submitted.refresh_from_db()
    assert submitted.awaiting_applicant is False
    assert submitted.status == Status.SUBMITTED
    assert [c.answer for c in submitted.clarifications.all()] == ["One.", "Two."]


def test_an_answer_cannot_be_changed_once_sent(submitted, officer, member):
    question = clarification_ask(application=submitted, actor=officer, question="When?")
    clarification_answer(clarification=question, actor=member, answer="In April.")
    with pytest.raises(DomainError, match="already been answered"):
        clarification_answer(clarification=question, actor=member, answer="In May.")
    question.refresh_from_db()
    assert question.answer == "In April." and question.answered_by == member


def test_empty_questions_and_answers_are_refused(submitted, officer, member):
    with pytest.raises(DomainError) as empty:
        clarification_ask(application=submitted, actor=officer, question="   ")
    assert empty.value.field == "question"
    question = clarification_ask(application=submitted, actor=officer, question="When?")
    with pytest.raises(DomainError):
        clarification_answer(clarification=question, actor=member, answer="")
    assert not Clarification.objects.filter(answered_at__isnull=False).exists()


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.WITHDRAWN, Status.APPROVED, Status.DECLINED]
)
def test_questions_are_refused_before_submission_and_after_the_end(round_, officer, status):
    application = (
        CompleteDraftFactory(round=round_)
        if status == Status.DRAFT
        else ApplicationSubmittedFactory(round=round_)
    )
    set_status(application, status)
    with pytest.raises(DomainError):
        clarification_ask(application=application, actor=officer, question="Why?")
    assert not application.clarifications.exists()


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.SCREENING, Status.ELIGIBLE, Status.IN_ASSESSMENT]
)
def test_questions_can_be_asked_while_the_application_is_considered(submitted, officer, status):
    set_status(submitted, status)
    clarification_ask(application=submitted, actor=officer, question="Why?")
    submitted.refresh_from_db()
    assert submitted.status == status and submitted.awaiting_applicant


# Pages.


def test_the_officer_asks_and_the_applicant_answers_through_the_pages(
    client, office, submitted, officer, member, django_capture_on_commit_callbacks
):
    thread = f"/staff/{office.slug}/applications/{submitted.reference}/questions/"
    sign_in(client, officer)
    page = client.get(thread)
    assert page.status_code == 200 and "Send question" in page.content.decode()
    empty = client.post(thread, {"question": ""})
    assert "govuk-error-summary" in empty.content.decode()
    assert not submitted.clarifications.exists()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(thread, {"question": "How many volunteers have you recruited?"})
    assert asked.status_code == 302
    assert asked["Location"] == f"/staff/{office.slug}/applications/{submitted.reference}/"
    sign_in(client, member)
    answer_url = f"/applications/{submitted.public_id}/questions/1/answer/"
    page = client.get(answer_url)
    assert "How many volunteers have you recruited?" in page.content.decode()
    assert "govuk-error-summary" in client.post(answer_url, {"answer": " "}).content.decode()
    answered = client.post(answer_url, {"answer": "Twelve, all trained."})
    assert answered.status_code == 302
    assert answered["Location"] == f"/applications/{submitted.public_id}/submitted/"
    assert client.get(answer_url).status_code == 302  # answered: nothing to edit
    assert client.get(f"/applications/{submitted.public_id}/questions/2/answer/").status_code == 404
    assert client.get(f"/applications/{submitted.public_id}/questions/0/answer/").status_code == 404
    sign_in(client, officer)
    text = client.get(thread).content.decode()
    assert "Twelve, all trained." in text and "How many volunteers" in text
    submitted.refresh_from_db()
    assert submitted.awaiting_applicant is False


def test_the_thread_is_shown_to_both_sides(submitted, officer, member):
    clarification_ask(application=submitted, actor=officer, question="Who checks the DBS?")
    request = RequestFactory().get("/")
    request.user = member
    applicant = render_to_string(
        "applications/_clarifications_panel.html",
        {"application": submitted, "staff": False},
        request=request,
    )
    assert "Who checks the DBS?" in applicant and "Waiting for your answer" in applicant
    assert f"/applications/{submitted.public_id}/questions/1/answer/" in applicant
    assert "Withdraw this application" in applicant
    request.user = officer
    staff = render_to_string(
        "applications/_clarifications_panel.html",
        {"application": submitted, "staff": True, "can_screen": True},
        request=request,
    )
    assert "Who checks the DBS?" in staff and "Waiting for the applicant" in staff
    assert "Ask the applicant a question" in staff and "Withdraw" not in staff


def test_staff_who_only_read_see_the_thread_but_cannot_ask(client, office, submitted, officer):
    clarification_ask(application=submitted, actor=officer, question="Who checks the DBS?")
    thread = f"/staff/{office.slug}/applications/{submitted.reference}/questions/"
    sign_in(client, staff_user(office, Role.AUDITOR))
    page = client.get(thread)
    assert page.status_code == 200
    assert "Who checks the DBS?" in page.content.decode()
    assert "Send question" not in page.content.decode()
    assert client.post(thread, {"question": "Sneaky?"}).status_code == 404
    assert submitted.clarifications.count() == 1


def test_others_get_404(client, office, other_office, submitted, officer):
    clarification_ask(application=submitted, actor=officer, question="Who?")
    thread = f"/staff/{office.slug}/applications/{submitted.reference}/questions/"
    for outsider in [
        staff_user(other_office, Role.COMMISSIONING_OFFICER),
        staff_user(office, Role.PANEL_MEMBER),
        member_of(submitted.organisation),
    ]:
        sign_in(client, outsider)
        assert client.get(thread).status_code == 404
        assert client.post(thread, {"question": "Hijack?"}).status_code == 404
    other_thread = thread.replace(office.slug, other_office.slug)
    sign_in(client, staff_user(other_office, Role.OFFICE_ADMIN))
    assert client.get(other_thread).status_code == 404
    sign_in(client, member_of(OrganisationFactory()))
    answer_url = f"/applications/{submitted.public_id}/questions/1/answer/"
    assert client.get(answer_url).status_code == 404
    assert client.post(answer_url, {"answer": "Hijack"}).status_code == 404
    assert submitted.clarifications.get().answer == ""


# API.


def test_api_thread_for_members_and_staff(client, office, other_office, submitted, officer):
    applicant_url = f"/api/v1/applications/{submitted.public_id}/clarifications"
    staff_url = f"/api/v1/offices/{office.slug}/applications/{submitted.reference}/clarifications"
    sign_in(client, officer)
    created = client.post(staff_url, {"question": "Who?"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["number"] == 1 and created.json()["answered_at"] is None
    refused = client.post(staff_url, {"question": " "}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "question"
    submitted.refresh_from_db()
    assert submitted.awaiting_applicant
    [row] = client.get(staff_url).json()
    assert row["question"] == "Who?" and row["asked_by"] == str(officer)
    member = member_of(submitted.organisation)
    sign_in(client, member)
    assert client.get(applicant_url).json()[0]["question"] == "Who?"
    assert (
        client.post(staff_url, {"question": "x"}, content_type="application/json").status_code
        == 404
    )
    sign_in(client, member_of(OrganisationFactory()))
    assert client.get(applicant_url).status_code == 404
    sign_in(client, staff_user(office, Role.AUDITOR))
    assert client.get(staff_url).status_code == 200
    assert (
        client.post(staff_url, {"question": "x"}, content_type="application/json").status_code
        == 404
    )
    sign_in(client, staff_user(other_office))
    assert client.get(staff_url).status_code == 404
    assert (
        client.post(staff_url, {"question": "x"}, content_type="application/json").status_code
        == 404
    )
    assert submitted.clarifications.count() == 1


# Limits on questions (issue 7 item 9): each is e-mailed to the applicant's members.


@pytest.fixture
def limits(settings):
    settings.COMMISSIONING_CLARIFICATION_LIMITS = {
        "per_officer": 3,
        "per_application": 2,
        "period_seconds": 3600,
    }


def test_an_application_is_asked_only_so_many_questions_in_a_period(
    limits, round_, submitted, officer, office
):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    other_officer = staff_user(office, Role.COMMISSIONING_OFFICER)
    clarification_ask(application=submitted, actor=officer, question="One?", now=now)
    clarification_ask(application=submitted, actor=other_officer, question="Two?", now=now)
    with pytest.raises(DomainError) as refused:
        clarification_ask(application=submitted, actor=officer, question="Three?", now=now)
    assert refused.value.message.startswith(
        "2 questions have been asked about this application in the last hour, the most allowed."
    )
    assert submitted.clarifications.count() == 2
    # Another application can still be asked, and this one again once the hour has passed.
    other = ApplicationSubmittedFactory(round=round_)
    clarification_ask(application=other, actor=officer, question="Elsewhere?", now=now)
    later = now + dt.timedelta(hours=1, seconds=1)
    clarification_ask(application=submitted, actor=officer, question="Three?", now=later)


def test_an_officer_asks_only_so_many_questions_in_a_period(limits, round_, officer):
    from django.utils import timezone

    now = timezone.now()
    for number in range(3):
        application = ApplicationSubmittedFactory(round=round_)
        clarification_ask(application=application, actor=officer, question=f"Q{number}?", now=now)
    with pytest.raises(DomainError) as refused:
        clarification_ask(
            application=ApplicationSubmittedFactory(round=round_),
            actor=officer,
            question="One more?",
            now=now,
        )
    assert "You have asked 3 questions in the last hour, the most allowed." in str(refused.value)
    assert refused.value.field == "question"


def test_the_limit_is_a_clear_message_on_the_page_and_a_429_in_the_api(
    client, limits, office, submitted, officer
):
    thread = f"/staff/{office.slug}/applications/{submitted.reference}/questions/"
    api = f"/api/v1/offices/{office.slug}/applications/{submitted.reference}/clarifications"
    sign_in(client, officer)
    assert client.post(thread, {"question": "First?"}).status_code == 302
    assert (
        client.post(api, {"question": "Second?"}, content_type="application/json").status_code
        == 201
    )
    page = client.post(thread, {"question": "Third?"})
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "the most allowed. You can ask another from" in text
    refused = client.post(api, {"question": "Third?"}, content_type="application/json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 3500
    assert "the most allowed" in refused.json()["detail"]
    assert submitted.clarifications.count() == 2


# Withdrawal.


@pytest.mark.parametrize(
    "status",
    [
        Status.SUBMITTED,
        Status.SCREENING,
        Status.ELIGIBLE,
        Status.INELIGIBLE,
        Status.IN_ASSESSMENT,
        Status.RECOMMENDED,
        Status.AWAITING_DECISION,
    ],
)
def test_the_applicant_withdraws_before_a_decision(client, submitted, member, status):
    set_status(submitted, status)
    sign_in(client, member)
    url = f"/applications/{submitted.public_id}/withdraw/"
    page = client.get(url)
    assert page.status_code == 200
    assert "govuk-warning-text" in page.content.decode()
    done = client.post(url, {"reason": "Our volunteers have moved on."})
    assert done.status_code == 302 and done["Location"] == url
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN
    assert submitted.withdrawal_reason == "Our volunteers have moved on."
    assert submitted.status_changes.filter(old=status, new=Status.WITHDRAWN, actor=member).exists()
    confirmation = client.get(url).content.decode()
    assert "govuk-panel--confirmation" in confirmation and "Application withdrawn" in confirmation


def test_a_reason_is_optional(client, submitted, member):
    sign_in(client, member)
    client.post(f"/applications/{submitted.public_id}/withdraw/", {"reason": ""})
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN and submitted.withdrawal_reason == ""


@pytest.mark.parametrize("status", [Status.APPROVED, Status.DECLINED])
def test_withdrawal_is_refused_after_a_decision(client, submitted, member, status):
    set_status(submitted, status)
    sign_in(client, member)
    url = f"/applications/{submitted.public_id}/withdraw/"
    page = client.get(url)
    assert "You cannot withdraw this application" in page.content.decode()
    client.post(url, {"reason": "Too late"})
    submitted.refresh_from_db()
    assert submitted.status == status
    with pytest.raises(DomainError, match="decision"):
        application_withdraw(application=submitted, actor=member)


def test_a_draft_has_nothing_to_withdraw(client, round_):
    draft = CompleteDraftFactory(round=round_)
    sign_in(client, member_of(draft.organisation))
    url = f"/applications/{draft.public_id}/withdraw/"
    assert "There is nothing to withdraw" in client.get(url).content.decode()
    client.post(url, {"reason": ""})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_only_the_organisation_can_withdraw(client, office, submitted):
    url = f"/applications/{submitted.public_id}/withdraw/"
    for outsider in [member_of(OrganisationFactory()), staff_user(office, Role.OFFICE_ADMIN)]:
        sign_in(client, outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
