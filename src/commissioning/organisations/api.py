import datetime as dt

from django.utils import timezone
from ninja import Router, Schema

from commissioning.organisations import selectors
from commissioning.organisations.permissions import organisation_for, organisation_roles

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    ref: str
    name: str
    legal_form: str
    applicant_type: str
    charity_number: str
    company_number: str
    org_id: str
    postcode: str
    website: str
    email: str
    your_role: str


class PolicyOut(Schema):
    kind: str
    name: str
    status: str
    adopted_on: dt.date | None
    review_due_on: dt.date | None
    filename: str | None


class DocumentOut(Schema):
    kind: str
    name: str
    period_end: dt.date | None
    filename: str
    added_at: dt.datetime


class OrganisationDetailOut(OrganisationOut):
    address: str
    policies: list[PolicyOut]
    documents: list[DocumentOut]


def _organisation_out(organisation, role: str) -> dict:
    return {
        **{f: getattr(organisation, f) for f in OrganisationOut.model_fields if f != "your_role"},
        "your_role": role,
    }


@router.get("/", response=list[OrganisationOut], summary="Organisations you belong to")
def organisation_list(request):
    memberships = selectors.memberships_of(request.auth).prefetch_related(None)
    return [_organisation_out(m.organisation, m.role) for m in memberships]


@router.get(
    "/{ref}",
    response=OrganisationDetailOut,
    summary="An organisation, its policies on file and its documents",
    description=(
        "Each expected policy (safeguarding, data protection, equality) has a status: "
        "`current`, `due_soon` (review within 60 days), `overdue` or `missing`."
    ),
)
def organisation_detail(request, ref: str):
    organisation = organisation_for(request.auth, ref)
    today = timezone.localdate()
    policies = [
        {
            "kind": status.kind,
            "name": status.policy.name if status.policy else status.label,
            "status": status.state,
            "adopted_on": status.policy.adopted_on if status.policy else None,
            "review_due_on": status.policy.review_due_on if status.policy else None,
            "filename": status.policy.filename if status.policy else None,
        }
        for status in selectors.policy_statuses(organisation, on=today)
    ]
    documents = [
        {
            "kind": d.kind,
            "name": d.name,
            "period_end": d.period_end,
            "filename": d.filename,
            "added_at": d.created_at,
        }
        for d in selectors.documents_of(organisation)
    ]
    return {
        **_organisation_out(
            organisation, organisation_roles(request.auth).get(organisation.pk, "")
        ),
        "address": organisation.address,
        "policies": policies,
        "documents": documents,
    }
