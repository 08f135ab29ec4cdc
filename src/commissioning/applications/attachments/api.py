import datetime as dt

from django.urls import reverse
from ninja import Router, Schema

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.models import Attachment
from commissioning.applications.permissions import (
    application_for_applicant,
    application_for_staff,
)

router = Router(tags=["attachments"])


class AttachmentOut(Schema):
    id: str
    description: str
    filename: str
    content_type: str
    size: int
    added_at: dt.datetime
    download_url: str


def _out(attachment: Attachment, download_url: str) -> AttachmentOut:
    return AttachmentOut(
        id=attachment.public_id,
        description=attachment.description,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        added_at=attachment.created_at,
        download_url=download_url,
    )


@router.get(
    "/applications/{public_id}/attachments",
    response=list[AttachmentOut],
    summary="Your application's supporting documents",
    description="For members of the applicant organisation. Download each from its page URL.",
)
def applicant_attachments(request, public_id: str):
    application = application_for_applicant(request.auth, public_id)
    return [
        _out(a, reverse("attachments:download", args=[application.public_id, a.public_id]))
        for a in Attachment.objects.filter(application=application)
    ]


@router.get(
    "/offices/{slug}/applications/{reference}/attachments",
    response=list[AttachmentOut],
    summary="An application's supporting documents",
)
def staff_attachments(request, slug: str, reference: str):
    office = office_for_staff(request.auth, slug)
    application = application_for_staff(request.auth, office, reference)
    return [
        _out(
            a,
            reverse(
                "attachments:staff_download", args=[office.slug, application.reference, a.public_id]
            ),
        )
        for a in Attachment.objects.filter(application=application)
    ]
