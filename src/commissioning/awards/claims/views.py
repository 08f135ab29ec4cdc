"""Claim pages. The organisation's members see its claims for an award, make and correct them
and add evidence; its administrators submit them. The office's staff read claims; its finance
officers approve or return them. Anything else is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.models import BudgetLine
from commissioning.awards.claims.forms import (
    ApproveForm,
    ClaimFilterForm,
    ClaimForm,
    EvidenceForm,
    ReturnForm,
    SubmitForm,
)
from commissioning.awards.claims.models import ClaimEvidence, ClaimStatus
from commissioning.awards.claims.permissions import (
    award_for_claim_staff,
    award_for_organisation,
    can_submit_claim,
    claim_of,
    is_claim_checker,
)
from commissioning.awards.claims.selectors import (
    award_unclaimed,
    claim_summary,
    claim_with_parts,
    claims_to_check_page,
)
from commissioning.awards.claims.services import (
    claim_approve,
    claim_change,
    claim_create,
    claim_evidence_add,
    claim_evidence_remove,
    claim_return,
    claim_submit,
)
from commissioning.awards.models import AwardStatus
from commissioning.awards.permissions import is_award_reader
from commissioning.core.errors import DomainError
from commissioning.core.uploads import download_response, uploaded_files


def _list_url(award) -> str:
    return reverse("awards:claims:list", args=[award.organisation.ref, award.reference])


def _claim_url(claim) -> str:
    award = claim.award
    return reverse(
        "awards:claims:detail", args=[award.organisation.ref, award.reference, claim.number]
    )


def _staff_claim_url(office, claim) -> str:
    return reverse(
        "awards:claims:staff_detail", args=[office.slug, claim.award.reference, claim.number]
    )


def _add_error(form, error: DomainError, field: str | None = None) -> None:
    form.add_error(field if field in form.fields else None, error.message)


def _evidence_of(claim, evidence_id: str) -> ClaimEvidence:
    evidence = ClaimEvidence.objects.filter(claim=claim, public_id=evidence_id).first()
    if evidence is None:
        raise Http404
    evidence.claim = claim
    return evidence


def _download(evidence: ClaimEvidence):
    return download_response(
        evidence.file_path, filename=evidence.filename, content_type=evidence.content_type
    )


# The organisation ------------------------------------------------------------------------


@login_required
def claim_list(request, ref, reference):
    award = award_for_organisation(request.user, ref, reference)
    return render(
        request,
        "awards/claims/organisation/list.html",
        {"award": award, "organisation": award.organisation, **claim_summary(award)},
    )


def _claim_form_page(request, award, form, claim=None):
    return render(
        request,
        "awards/claims/organisation/form.html",
        {
            "award": award,
            "organisation": award.organisation,
            "form": form,
            "claim": claim,
            "unclaimed": award_unclaimed(award, exclude_pk=claim.pk if claim else None),
            "is_active": award.status == AwardStatus.ACTIVE,
            "back_url": _claim_url(claim) if claim else _list_url(award),
        },
    )


def _budget_lines(award):
    return list(BudgetLine.objects.filter(application=award.application).order_by("position", "id"))


@login_required
def claim_new(request, ref, reference):
    award = award_for_organisation(request.user, ref, reference)
    form = ClaimForm(request.POST or None, budget_lines=_budget_lines(award))
    if request.method == "POST" and form.is_valid():
        try:
            claim = claim_create(
                award=award,
                actor=request.user,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                amount=form.cleaned_data["amount"],
                lines=form.lines(),
            )
        except DomainError as error:
            _add_error(form, error, form.service_field(error.field))
        else:
            messages.success(
                request,
                _("Claim %(number)s is saved as a draft. Add your evidence, then submit it.")
                % {"number": claim.number},
            )
            return redirect(_claim_url(claim))
    return _claim_form_page(request, award, form)


def _initial(claim, budget_lines) -> dict:
    initial = {
        "period_start": claim.period_start,
        "period_end": claim.period_end,
        "amount": claim.amount,
    }
    lines = list(claim.lines.all())
    if budget_lines:
        for line in lines:
            if line.budget_line_id:
                initial[f"line_{line.budget_line_id}"] = line.amount
    else:
        for n, line in enumerate(lines[:5], start=1):
            initial[f"free_{n}_description"] = line.description
            initial[f"free_{n}_amount"] = line.amount
    return initial


@login_required
def claim_edit(request, ref, reference, number):
    award = award_for_organisation(request.user, ref, reference)
    claim = claim_of(award, number)
    if not claim.is_editable:
        messages.info(request, _("This claim has been submitted, so it cannot be changed."))
        return redirect(_claim_url(claim))
    budget_lines = _budget_lines(award)
    form = ClaimForm(
        request.POST or None, budget_lines=budget_lines, initial=_initial(claim, budget_lines)
    )
    if request.method == "POST" and form.is_valid():
        try:
            claim_change(
                claim=claim,
                actor=request.user,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                amount=form.cleaned_data["amount"],
                lines=form.lines(),
            )
        except DomainError as error:
            _add_error(form, error, form.service_field(error.field))
        else:
            messages.success(request, _("Your changes to the claim are saved."))
            return redirect(_claim_url(claim))
    return _claim_form_page(request, award, form, claim)


def _detail_page(request, award, claim, submit_form=None, status=200):
    claim = claim_with_parts(claim.pk)
    return render(
        request,
        "awards/claims/organisation/detail.html",
        {
            "award": award,
            "organisation": award.organisation,
            "claim": claim,
            "form": submit_form or SubmitForm(),
            "can_submit": can_submit_claim(request.user, award.organisation),
            "is_active": award.status == AwardStatus.ACTIVE,
        },
        status=status,
    )


@login_required
@require_GET
def claim_detail(request, ref, reference, number):
    award = award_for_organisation(request.user, ref, reference)
    return _detail_page(request, award, claim_of(award, number))


@login_required
@require_POST
def claim_submit_view(request, ref, reference, number):
    award = award_for_organisation(request.user, ref, reference)
    claim = claim_of(award, number)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            claim_submit(claim=claim, actor=request.user)
        except DomainError as error:
            form.add_error("confirm" if error.field == "confirm" else None, error.message)
        else:
            messages.success(
                request,
                _("Claim %(number)s is submitted. The office's finance team will check it.")
                % {"number": claim.number},
            )
            return redirect(_claim_url(claim))
    return _detail_page(request, award, claim, submit_form=form)


@login_required
def evidence_add(request, ref, reference, number):
    award = award_for_organisation(request.user, ref, reference)
    claim = claim_of(award, number)
    if not claim.is_editable:
        messages.info(request, _("This claim has been submitted, so it cannot be changed."))
        return redirect(_claim_url(claim))
    form = EvidenceForm(request.POST or None, uploaded_files(request) or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = claim_evidence_add(
                claim=claim,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            _add_error(form, error, error.field)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": evidence.filename})
            return redirect(_claim_url(claim))
    return render(
        request,
        "awards/claims/organisation/evidence_add.html",
        {
            "award": award,
            "organisation": award.organisation,
            "claim": claim,
            "form": form,
            "back_url": _claim_url(claim),
        },
    )


@login_required
@require_GET
def evidence_download(request, ref, reference, number, evidence_id):
    award = award_for_organisation(request.user, ref, reference)
    return _download(_evidence_of(claim_of(award, number), evidence_id))


@login_required
def evidence_remove(request, ref, reference, number, evidence_id):
    award = award_for_organisation(request.user, ref, reference)
    claim = claim_of(award, number)
    evidence = _evidence_of(claim, evidence_id)
    if request.method == "POST":
        try:
            claim_evidence_remove(evidence=evidence, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s has been removed.") % {"name": evidence.filename})
        return redirect(_claim_url(claim))
    if not claim.is_editable:
        return redirect(_claim_url(claim))
    return render(
        request,
        "awards/claims/organisation/evidence_remove.html",
        {
            "award": award,
            "organisation": award.organisation,
            "claim": claim,
            "evidence": evidence,
            "back_url": _claim_url(claim),
        },
    )


# Staff -------------------------------------------------------------------------------------


def _office(user, office_slug):
    office = office_for_staff(user, office_slug)
    if not is_award_reader(user, office):
        raise Http404
    return office


@login_required
@require_GET
def staff_list(request, office_slug):
    office = _office(request.user, office_slug)
    form = ClaimFilterForm(request.GET or None)
    page, status = None, 200
    if not request.GET:
        page = claims_to_check_page(office, ClaimStatus.SUBMITTED, 1)
    elif form.is_valid():
        page = claims_to_check_page(
            office, form.cleaned_data["status"], form.cleaned_data["page"] or 1
        )
    else:
        status = 400
    query = request.GET.copy()
    query.pop("page", None)
    if not request.GET:
        query["status"] = ClaimStatus.SUBMITTED
    selected = query.get("status", "")
    return render(
        request,
        "awards/claims/staff/list.html",
        {
            "office": office,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "selected_status": selected,
            "is_checker": is_claim_checker(request.user, office),
        },
        status=status,
    )


def _staff_page(request, office, award, claim, *, approve_form=None, return_form=None):
    claim = claim_with_parts(claim.pk)
    checker = is_claim_checker(request.user, office)
    waiting = claim.status == ClaimStatus.SUBMITTED
    return render(
        request,
        "awards/claims/staff/detail.html",
        {
            "office": office,
            "award": award,
            "claim": claim,
            "unclaimed": award_unclaimed(award),
            "can_check": checker and waiting,
            "approve_form": approve_form or ApproveForm(initial={"amount": claim.amount}),
            "return_form": return_form or ReturnForm(),
        },
    )


@login_required
@require_GET
def staff_detail(request, office_slug, reference, number):
    office = _office(request.user, office_slug)
    award = award_for_claim_staff(request.user, office, reference)
    return _staff_page(request, office, award, claim_of(award, number, staff=True))


def _checker_claim(request, office_slug, reference, number):
    office = _office(request.user, office_slug)
    award = award_for_claim_staff(request.user, office, reference)
    claim = claim_of(award, number, staff=True)
    if not is_claim_checker(request.user, office):
        raise Http404
    return office, award, claim


@login_required
@require_POST
def staff_approve(request, office_slug, reference, number):
    office, award, claim = _checker_claim(request, office_slug, reference, number)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            claim_approve(
                claim=claim,
                actor=request.user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _add_error(form, error, error.field)
        else:
            messages.success(request, _("Claim %(ref)s is approved.") % {"ref": claim.reference})
            return redirect(_staff_claim_url(office, claim))
    return _staff_page(request, office, award, claim, approve_form=form)


@login_required
@require_POST
def staff_return(request, office_slug, reference, number):
    office, award, claim = _checker_claim(request, office_slug, reference, number)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            claim_return(claim=claim, actor=request.user, comments=form.cleaned_data["comments"])
        except DomainError as error:
            _add_error(form, error, error.field)
        else:
            messages.success(
                request,
                _("Claim %(ref)s is returned to the organisation.") % {"ref": claim.reference},
            )
            return redirect(_staff_claim_url(office, claim))
    return _staff_page(request, office, award, claim, return_form=form)


@login_required
@require_GET
def staff_evidence_download(request, office_slug, reference, number, evidence_id):
    office = _office(request.user, office_slug)
    award = award_for_claim_staff(request.user, office, reference)
    return _download(_evidence_of(claim_of(award, number, staff=True), evidence_id))
