import datetime as dt

from ninja import Router, Schema

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.models import Endorsement
from commissioning.applications.permissions import (
    application_for_applicant,
    application_for_staff,
)

router = Router(tags=["endorsements"])


class EndorsementOut(Schema):
    kind: str
    kind_name: str
    endorser_name: str
    endorser_role: str
    endorser_email: str
    state: str
    state_name: str
    requested_at: dt.datetime | None
    responded_at: dt.datetime | None
    comment: str


def _out(endorsements) -> list[EndorsementOut]:
    return [
        EndorsementOut(
            kind=e.kind,
            kind_name=str(e.get_kind_display()),
            endorser_name=e.endorser_name,
            endorser_role=e.endorser_role,
            endorser_email=e.endorser_email,
            state=e.state,
            state_name=str(e.get_state_display()),
            requested_at=e.requested_at,
            responded_at=e.responded_at,
            comment=e.comment,
        )
        for e in endorsements
    ]


@router.get(
    "/applications/{public_id}/endorsements",
    response=list[EndorsementOut],
    summary="Your application's endorsements",
    description="For members of the applicant organisation.",
)
def applicant_endorsements(request, public_id: str):
    application = application_for_applicant(request.auth, public_id)
    return _out(Endorsement.objects.filter(application=application))


@router.get(
    "/offices/{slug}/applications/{reference}/endorsements",
    response=list[EndorsementOut],
    summary="An application's endorsements",
)
def staff_endorsements(request, slug: str, reference: str):
    office = office_for_staff(request.auth, slug)
    application = application_for_staff(request.auth, office, reference)
    return _out(Endorsement.objects.filter(application=application))
