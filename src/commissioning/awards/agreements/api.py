"""Grant agreements in the API: every version of an award's agreement with its status, its
signatures and the hash of the document signed (staff of the award's office). The award's own
endpoints carry the current agreement's status (awards/api.py)."""

import datetime as dt

from ninja import Router, Schema

from commissioning.awards.agreements.models import Agreement, AgreementStatus
from commissioning.awards.agreements.selectors import award_agreements

router = Router(tags=["awards"])


class AgreementOut(Schema):
    version: int
    status: AgreementStatus
    reason: str
    template: str
    template_version: int
    sent_at: dt.datetime | None
    document_sha256: str | None
    signed_by_organisation_at: dt.datetime | None
    organisation_signatory: str | None
    organisation_signatory_role: str | None
    countersigned_at: dt.datetime | None
    countersigned_by: str | None


def agreement_out(agreement: Agreement) -> AgreementOut:
    return AgreementOut(
        version=agreement.version,
        status=agreement.status,
        reason=agreement.reason,
        template=agreement.template_code,
        template_version=agreement.template_version,
        sent_at=agreement.sent_at,
        document_sha256=agreement.document_sha256 or None,
        signed_by_organisation_at=agreement.provider_signed_at,
        organisation_signatory=agreement.provider_name or None,
        organisation_signatory_role=agreement.provider_role or None,
        countersigned_at=agreement.countersigned_at,
        countersigned_by=str(agreement.countersigned_by) if agreement.countersigned_by else None,
    )


class ErrorOut(Schema):
    detail: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "/offices/{slug}/awards/{reference}/agreements",
    response={200: list[AgreementOut], **ERRORS},
    summary="Every version of an award's grant agreement, oldest first (staff)",
    description="`status` is draft, sent, signed_by_provider, countersigned (signed by both: "
    "the award is active) or withdrawn (replaced before it was signed by both). "
    "`document_sha256` is the SHA-256 of the PDF sent, which both signatures are of.",
)
def agreement_list(request, slug: str, reference: str):
    from commissioning.awards.api import _office
    from commissioning.awards.permissions import award_for_staff

    office = _office(request.auth, slug)
    award = award_for_staff(request.auth, office, reference)
    return [agreement_out(a) for a in award_agreements(award).versions]
