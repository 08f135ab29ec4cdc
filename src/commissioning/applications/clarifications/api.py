import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.clarifications.selectors import clarification_thread
from commissioning.applications.clarifications.services import (
    clarification_ask,
    clarification_number,
)
from commissioning.applications.permissions import (
    application_for_applicant,
    application_for_staff,
)
from commissioning.core.validation import PlainText

router = Router(tags=["clarifications"])


class ClarificationOut(Schema):
    number: int
    question: str
    asked_at: dt.datetime
    asked_by: str
    answer: str
    answered_at: dt.datetime | None
    answered_by: str | None


class QuestionIn(Schema):
    question: PlainText


def _out(clarification) -> ClarificationOut:
    return ClarificationOut(
        number=clarification.number,
        question=clarification.question,
        asked_at=clarification.asked_at,
        asked_by=str(clarification.asked_by),
        answer=clarification.answer,
        answered_at=clarification.answered_at,
        answered_by=str(clarification.answered_by) if clarification.answered_by else None,
    )


@router.get(
    "/applications/{public_id}/clarifications",
    response=list[ClarificationOut],
    summary="Questions from officers about your application, and your answers",
    description="For members of the applicant organisation.",
)
def applicant_clarifications(request, public_id: str):
    application = application_for_applicant(request.auth, public_id)
    return [_out(c) for c in clarification_thread(application)]


@router.get(
    "/offices/{slug}/applications/{reference}/clarifications",
    response=list[ClarificationOut],
    summary="Questions to the applicant and their answers",
)
def staff_clarifications(request, slug: str, reference: str):
    office = office_for_staff(request.auth, slug)
    application = application_for_staff(request.auth, office, reference)
    return [_out(c) for c in clarification_thread(application)]


@router.post(
    "/offices/{slug}/applications/{reference}/clarifications",
    response={201: ClarificationOut},
    summary="Ask the applicant a question",
    description=(
        "For commissioning officers and office administrators. The application's status does "
        "not change; it is marked as waiting for the applicant until the question is answered. "
        "Each question is e-mailed, so an officer, and an application, may only be asked so "
        "many in a period: beyond that the answer is 429 with a Retry-After header."
    ),
    openapi_extra={
        "responses": {
            "429": {
                "description": "Too many questions in the period; try again after Retry-After "
                "seconds.",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "detail": {"type": "string"},
                                "field": {"type": ["string", "null"]},
                            },
                            "required": ["detail"],
                        }
                    }
                },
            }
        }
    },
)
def staff_clarification_ask(request, slug: str, reference: str, payload: QuestionIn):
    office = office_for_staff(request.auth, slug)
    application = application_for_staff(request.auth, office, reference)
    if not request.auth.has_perm("applications.screen_application", application):
        raise Http404
    clarification = clarification_ask(
        application=application, actor=request.auth, question=payload.question
    )
    clarification.number = clarification_number(clarification)
    return _out(clarification)
