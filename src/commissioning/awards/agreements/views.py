"""Pages for grant agreements. Staff: draw up, send, read, download and countersign an award's
agreement (from the award page). The organisation: its awards, and each award's agreement to
read, download and sign. Anything not yours is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.awards.agreements.document import (
    agreement_content,
    agreement_html,
    agreement_pdf,
)
from commissioning.awards.agreements.forms import CountersignForm, IssueForm, ProviderSignForm
from commissioning.awards.agreements.models import Agreement, AgreementStatus
from commissioning.awards.agreements.permissions import (
    agreement_for_organisation,
    agreement_for_staff,
    award_for_organisation,
    can_sign_for_organisation,
    is_agreement_sender,
    is_countersigner,
)
from commissioning.awards.agreements.selectors import (
    HEAVY,
    award_agreements,
    organisation_awards,
)
from commissioning.awards.agreements.services import (
    agreement_countersign,
    agreement_issue,
    agreement_send,
    agreement_sign_by_provider,
    countersigning_roles,
)
from commissioning.awards.permissions import award_for_staff
from commissioning.core.errors import DomainError
from commissioning.decisions.permissions import mfa_passed
from commissioning.decisions.services import role_label


def _staff_office(request, office_slug):
    from commissioning.awards.views import _office

    return _office(request.user, office_slug)


def _staff_award(request, office_slug, reference):
    office = _staff_office(request, office_slug)
    award = award_for_staff(
        request.user,
        office,
        reference,
        queryset=_award_queryset(),
    )
    return office, award


def _award_queryset():
    from commissioning.awards.models import Award

    return Award.objects.select_related(
        "office", "office__policy", "organisation", "fund", "application", "decision"
    )


def _add_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _pdf_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def staff_section(request, office, award) -> dict:
    """The agreement section of the staff award page (awards/views.py staff_detail)."""
    agreements = award_agreements(award)
    return {
        "agreements": agreements,
        "can_send_agreement": is_agreement_sender(request.user, office),
        "can_countersign": is_countersigner(request.user, office),
        "issue_form": IssueForm(
            initial={
                "reason": _("The award made by decision %(number)s")
                % {"number": award.decision.number}
                if not agreements.versions
                else ""
            }
        ),
    }


@login_required
@require_POST
def staff_issue(request, office_slug, reference):
    office, award = _staff_award(request, office_slug, reference)
    if not is_agreement_sender(request.user, office):
        raise Http404
    form = IssueForm(request.POST)
    back = reverse("awards:staff_detail", args=[office.slug, award.reference]) + "#agreement"
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect(back)
    try:
        agreement = agreement_issue(
            award=award, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request,
        _("Version %(v)s of the agreement is drawn up. Check it, then send it.")
        % {"v": agreement.version},
    )
    return redirect("awards:staff_agreement", office.slug, award.reference, agreement.version)


@login_required
@require_POST
def staff_send(request, office_slug, reference, version):
    office, award = _staff_award(request, office_slug, reference)
    agreement = agreement_for_staff(request.user, office, award, version)
    if not is_agreement_sender(request.user, office):
        raise Http404
    try:
        agreement_send(agreement=agreement, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The agreement has been sent to %(email)s to sign.") % {"email": award.contact_email},
        )
    return redirect("awards:staff_agreement", office.slug, award.reference, version)


def _document(agreement: Agreement, award) -> tuple[dict | None, str]:
    """The document to show: frozen once sent; for a draft, drawn up now from the award."""
    if agreement.status != AgreementStatus.DRAFT:
        return agreement.content, ""
    template = (
        (award.office.policy.agreements or {}).get("templates", {}).get(agreement.template_code)
    )
    try:
        if template is None:
            raise DomainError(_("The pack no longer has this agreement's template."))
        return (
            agreement_content(
                award,
                version=agreement.version,
                template={"code": agreement.template_code, **template},
            ),
            "",
        )
    except DomainError as exc:
        return None, exc.message


def _staff_agreement_page(request, office, award, agreement, form=None, status=200):
    agreements = award_agreements(award)
    shown = next(a for a in agreements.versions if a.pk == agreement.pk)
    doc, problem = _document(agreement, award)
    can_countersign = is_countersigner(request.user, office)
    return render(
        request,
        "awards/agreements/staff_agreement.html",
        {
            "office": office,
            "award": award,
            "agreement": shown,
            "doc": doc,
            "problem": problem,
            "versions": agreements.versions,
            "can_send": is_agreement_sender(request.user, office)
            and agreement.status == AgreementStatus.DRAFT,
            "can_countersign": can_countersign
            and agreement.status == AgreementStatus.SIGNED_BY_PROVIDER,
            "countersigners": [role_label(r) for r in countersigning_roles(office)],
            "mfa_passed": mfa_passed(request),
            "form": form or CountersignForm(initial={"document_sha256": agreement.document_sha256}),
        },
        status=status,
    )


@login_required
def staff_agreement(request, office_slug, reference, version):
    office, award = _staff_award(request, office_slug, reference)
    agreement = agreement_for_staff(request.user, office, award, version)
    agreement = Agreement.objects.defer(*HEAVY).get(pk=agreement.pk)
    return _staff_agreement_page(request, office, award, agreement)


@login_required
@require_POST
def staff_countersign(request, office_slug, reference, version):
    office, award = _staff_award(request, office_slug, reference)
    agreement = agreement_for_staff(request.user, office, award, version)
    if not is_countersigner(request.user, office):
        raise Http404
    form = CountersignForm(request.POST)
    if form.is_valid():
        try:
            agreement_countersign(
                agreement=agreement,
                signatory=request.user,
                mfa_verified=mfa_passed(request),
                code=form.cleaned_data["code"],
                document_sha256=form.cleaned_data["document_sha256"],
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(
                request,
                _("You have countersigned: the agreement is signed by both; the award is active."),
            )
            return redirect("awards:staff_agreement", office.slug, award.reference, version)
    agreement = Agreement.objects.defer(*HEAVY).get(pk=agreement.pk)
    return _staff_agreement_page(request, office, award, agreement, form=form, status=400)


@login_required
def staff_pdf(request, office_slug, reference, version):
    office, award = _staff_award(request, office_slug, reference)
    agreement = agreement_for_staff(request.user, office, award, version)
    if agreement.status != AgreementStatus.DRAFT:
        return _pdf_response(agreement.document_pdf, agreement.pdf_name)
    doc, problem = _document(agreement, award)
    if doc is None:
        raise Http404
    name = f"{award.reference}-agreement-v{agreement.version}-draft.pdf"
    return _pdf_response(agreement_pdf(agreement_html(doc)), name)


# The organisation's pages ---------------------------------------------------------------------


@login_required
def org_list(request, ref):
    from commissioning.organisations.permissions import organisation_for

    organisation = organisation_for(request.user, ref)
    return render(
        request,
        "awards/organisation/list.html",
        {"organisation": organisation, "awards": list(organisation_awards(organisation)[:200])},
    )


def _org_award_page(request, organisation, award, form=None, status=200):
    agreements = award_agreements(award)
    sent = agreements.sent()
    current = next((a for a in reversed(sent) if a.status != AgreementStatus.WITHDRAWN), None)
    if current is not None:
        current = Agreement.objects.defer(*HEAVY).get(pk=current.pk)
    can_sign = can_sign_for_organisation(request.user, organisation)
    return render(
        request,
        "awards/organisation/detail.html",
        {
            "organisation": organisation,
            "award": award,
            "agreement": current,
            "doc": current.content if current else None,
            "versions": sent,
            "can_sign": can_sign and current is not None and current.status == AgreementStatus.SENT,
            "is_admin": can_sign,
            "paid": list(award.instalments.filter(status="paid").order_by("paid_on", "sequence")),
            "claims": list(award.claims.order_by("number")),
            "form": form
            or ProviderSignForm(
                initial={
                    "document_sha256": current.document_sha256 if current else "",
                    "name": request.user.get_full_name(),
                }
            ),
        },
        status=status,
    )


@login_required
def org_award(request, ref, reference):
    organisation, award = award_for_organisation(request.user, ref, reference)
    return _org_award_page(request, organisation, award)


@login_required
@require_POST
def org_sign(request, ref, reference, version):
    organisation, award = award_for_organisation(request.user, ref, reference)
    agreement = agreement_for_organisation(award, version)
    if not can_sign_for_organisation(request.user, organisation):
        raise Http404
    form = ProviderSignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            agreement_sign_by_provider(
                agreement=agreement,
                signatory=request.user,
                name=data["name"],
                role=data["role"],
                signature=data["signature"],
                confirmed=data["confirmed"],
                document_sha256=data["document_sha256"],
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "You have signed the agreement. The office will countersign it; no money "
                    "is paid before then."
                ),
            )
            return redirect("awards:org_award", organisation.ref, award.reference)
    return _org_award_page(request, organisation, award, form=form, status=400)


@login_required
def org_pdf(request, ref, reference, version):
    _organisation, award = award_for_organisation(request.user, ref, reference)
    agreement = agreement_for_organisation(award, version)
    return _pdf_response(agreement.document_pdf, agreement.pdf_name)
