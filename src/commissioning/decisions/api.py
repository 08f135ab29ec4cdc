"""Decision records for the office's staff, and published decisions for everyone."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from commissioning.accounts.permissions import office_for_staff
from commissioning.decisions.models import DecisionStatus
from commissioning.decisions.permissions import decision_for_staff
from commissioning.decisions.rules import published_award_fields
from commissioning.decisions.selectors import (
    decision_with_parts,
    public_decision,
    public_decisions,
    staff_decisions,
)
from commissioning.decisions.services import role_label
from commissioning.offices.models import Office

router = Router(tags=["decisions"])


class DecisionSummaryOut(Schema):
    number: str
    slug: str
    title: str
    status: str
    total: Decimal
    applications: int
    signatures: int
    signatures_required: list[str]
    created_at: dt.datetime
    signed_at: dt.datetime | None
    published_at: dt.datetime | None


class LineOut(Schema):
    application: str
    organisation: str
    title: str
    outcome: str
    amount: Decimal


class SignatureOut(Schema):
    role: str
    role_title: str
    signed_by: str | None
    signed_at: dt.datetime | None


class LetterOut(Schema):
    id: str
    kind: str
    application: str
    sent_at: dt.datetime | None


class DecisionOut(Schema):
    number: str
    slug: str
    title: str
    status: str
    summary: str
    rationale: str
    options_considered: str
    financial_implications: str
    legal_implications: str
    equality_implications: str
    exempt_parts: list[str]
    exemption_reason: str
    total: Decimal
    applications: list[LineOut]
    signatures: list[SignatureOut]
    letters: list[LetterOut]
    signed_at: dt.datetime | None
    published_at: dt.datetime | None


class PublicAwardOut(Schema):
    organisation: str | None
    project: str
    description: str | None
    amount: Decimal | None


class PublicDecisionOut(Schema):
    number: str
    slug: str
    title: str
    summary: str | None
    rationale: str | None
    options_considered: str | None
    financial_implications: str | None
    legal_implications: str | None
    equality_implications: str | None
    exempt_parts: list[str]
    total: Decimal
    signed_at: dt.datetime | None
    signed_by: list[str]
    awards: list[PublicAwardOut]
    declined: int


def _signatures(decision) -> list[SignatureOut]:
    signed = {s.role: s for s in decision.signatures.all()}
    return [
        SignatureOut(
            role=role,
            role_title=role_label(role),
            signed_by=str(signed[role].user) if role in signed else None,
            signed_at=signed[role].signed_at if role in signed else None,
        )
        for role in decision.required_roles
    ]


@router.get(
    "/offices/{slug}/decisions",
    response=list[DecisionSummaryOut],
    summary="The office's decision records (staff)",
)
def decision_list(request, slug: str, status: Literal[("", *DecisionStatus.values)] = ""):
    office = office_for_staff(request.auth, slug)
    return [
        DecisionSummaryOut(
            number=d.number,
            slug=d.slug,
            title=d.title,
            status=d.status,
            total=d.total,
            applications=d.application_count,
            signatures=d.signature_count,
            signatures_required=d.required_roles,
            created_at=d.created_at,
            signed_at=d.signed_at,
            published_at=d.published_at,
        )
        for d in staff_decisions(office, status=status)
    ]


@router.get(
    "/offices/{slug}/decisions/{decision}",
    response=DecisionOut,
    summary="One decision record, in full (staff)",
)
def decision_detail(request, slug: str, decision: str):
    office = office_for_staff(request.auth, slug)
    record = decision_with_parts(decision_for_staff(request.auth, office, decision).pk)
    return DecisionOut(
        number=record.number,
        slug=record.slug,
        title=record.title,
        status=record.status,
        summary=record.summary,
        rationale=record.rationale,
        options_considered=record.options_considered,
        financial_implications=record.financial_implications,
        legal_implications=record.legal_implications,
        equality_implications=record.equality_implications,
        exempt_parts=record.exempt_parts,
        exemption_reason=record.exemption_reason,
        total=record.total,
        applications=[
            LineOut(
                application=link.application.reference,
                organisation=link.application.organisation.name,
                title=link.application.title,
                outcome=link.outcome,
                amount=link.amount,
            )
            for link in record.decided_applications.all()
        ],
        signatures=_signatures(record),
        letters=[
            LetterOut(
                id=letter.public_id,
                kind=letter.kind,
                application=letter.application.reference,
                sent_at=letter.sent_at,
            )
            for letter in record.letters.all()
        ],
        signed_at=record.signed_at,
        published_at=record.published_at,
    )


def _public_out(decision, fields) -> PublicDecisionOut:
    links = list(decision.decided_applications.all())
    exempt = set(decision.exempt_parts)
    text = {
        name: None if name in exempt else getattr(decision, name)
        for name in (
            "summary",
            "rationale",
            "options_considered",
            "financial_implications",
            "legal_implications",
            "equality_implications",
        )
    }
    return PublicDecisionOut(
        number=decision.number,
        slug=decision.slug,
        title=decision.title,
        exempt_parts=decision.exempt_parts,
        total=decision.total,
        signed_at=decision.signed_at,
        signed_by=[role_label(s.role) for s in decision.signatures.all()],
        awards=[
            PublicAwardOut(
                organisation=link.application.organisation.name
                if "organisation_name" in fields
                else None,
                project=link.application.title,
                description=link.application.short_description if "description" in fields else None,
                amount=link.amount if "amount" in fields else None,
            )
            for link in links
            if link.approved
        ],
        declined=sum(not link.approved for link in links),
        **text,
    )


@router.get(
    "/public/offices/{slug}/decisions",
    response=list[PublicDecisionOut],
    auth=None,
    summary="Published decisions of an office, exempt parts withheld",
)
def public_decision_list(request, slug: str):
    office = get_object_or_404(Office.objects.select_related("policy"), slug=slug)
    fields = published_award_fields(office.policy.publication)
    return [_public_out(d, fields) for d in public_decisions(office)]


@router.get(
    "/public/offices/{slug}/decisions/{decision}",
    response=PublicDecisionOut,
    auth=None,
    summary="One published decision, exempt parts withheld",
)
def public_decision_detail(request, slug: str, decision: str):
    office = get_object_or_404(Office.objects.select_related("policy"), slug=slug)
    record = public_decision(office, decision)
    if record is None:
        raise Http404
    return _public_out(record, published_award_fields(office.policy.publication))
