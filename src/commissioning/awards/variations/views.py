"""Staff pages for variations and early termination: the variations section of the award page,
the form that proposes a change, the page that approves or refuses one, and the form that ends
an award early. Anything not yours, or not yours to do, is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from commissioning.accounts.permissions import office_for_staff
from commissioning.awards.permissions import award_for_staff, is_award_reader
from commissioning.awards.variations import selectors
from commissioning.awards.variations.forms import (
    TerminateForm,
    VariationDecideForm,
    VariationProposeForm,
)
from commissioning.awards.variations.permissions import (
    can_decide_variation,
    can_propose_variation,
    can_terminate_award,
)
from commissioning.awards.variations.rules import approver_roles
from commissioning.awards.variations.services import (
    SUBJECT_KIND,
    award_terminate,
    variation_approve,
    variation_decision,
    variation_decision_draft,
    variation_propose,
    variation_refuse,
)
from commissioning.core.errors import DomainError
from commissioning.decisions.hooks import SubjectKind
from commissioning.decisions.models import DecisionRecord
from commissioning.decisions.services import role_label


def _variation_link(decision) -> str | None:
    reference, _slash, number = decision.subject_reference.rpartition("/")
    if not number.isdigit():
        return None
    return reverse("awards:variation", args=[decision.office.slug, reference, int(number)])


VARIATION_DECISIONS = SubjectKind(
    code=SUBJECT_KIND, label=gettext_lazy("Variation of an award"), link=_variation_link
)


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _award(request, office_slug, reference):
    office = office_for_staff(request.user, office_slug)
    if not is_award_reader(request.user, office):
        raise Http404
    award = award_for_staff(request.user, office, reference)
    award.office = office  # the same row, with its policy loaded
    return office, award


def variations_section(user, office, award) -> dict:
    """What the award page shows of variations: their history, and what this user may do.
    Two queries, whatever the number of variations."""
    award.office = office
    variations = list(selectors.award_variations(award))
    for variation in variations:
        variation.office = office
    return {
        "variations": variations,
        "termination": selectors.award_termination(award),
        "can_propose": can_propose_variation(user, award),
        "can_terminate": can_terminate_award(user, award),
        "decidable": {v.pk for v in variations if can_decide_variation(user, v)},
    }


@login_required
@require_http_methods(["GET", "POST"])
def variation_new(request, office_slug, reference):
    office, award = _award(request, office_slug, reference)
    if not can_propose_variation(request.user, award):
        raise Http404
    form = VariationProposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            variation = variation_propose(
                award=award,
                actor=request.user,
                reason=data["reason"],
                amount=data["amount"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                outcomes=data["outcomes"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Variation %(number)s is proposed.") % {"number": variation.number},
            )
            return redirect("awards:variation", office.slug, award.reference, variation.number)
    return render(
        request,
        "awards/variations/propose.html",
        {"office": office, "award": award, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def variation_detail(request, office_slug, reference, number):
    office, award = _award(request, office_slug, reference)
    variation = selectors.award_variations(award).filter(number=number).first()
    if variation is None:
        raise Http404
    variation.office = office
    may_decide = can_decide_variation(request.user, variation)
    drafted = variation_decision(variation) if variation.needs_decision else None
    signed = drafted is not None and drafted.is_signed
    form = VariationDecideForm(
        request.POST if request.method == "POST" else None,
        initial={"decision": drafted.number} if signed else None,
    )
    if request.method == "POST":
        if not may_decide and request.POST.get("action") != "draft_decision":
            raise Http404
        action = request.POST.get("action")
        if action == "draft_decision":
            if not can_propose_variation(request.user, award):
                raise Http404
            try:
                decision = variation_decision_draft(variation=variation, actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("awards:variation", office.slug, award.reference, number)
            messages.success(
                request,
                _("Decision %(number)s is drafted. Check it, then send it for signature.")
                % {"number": decision.number},
            )
            return redirect("decisions:staff_edit", office.slug, decision.slug)
        if form.is_valid() and action in ("approve", "refuse"):
            data = form.cleaned_data
            try:
                if action == "approve":
                    decision = None
                    if data["decision"]:
                        decision = DecisionRecord.objects.filter(
                            office=office, number=data["decision"].strip()
                        ).first()
                        if decision is None:
                            raise DomainError(
                                _("This office has no decision record %(number)s.")
                                % {"number": data["decision"].strip()},
                                field="decision",
                            )
                    variation_approve(
                        variation=variation,
                        actor=request.user,
                        note=data["note"],
                        decision=decision,
                    )
                    done = _("Variation %(number)s is approved.")
                else:
                    variation_refuse(variation=variation, actor=request.user, reason=data["note"])
                    done = _("Variation %(number)s is refused.")
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, done % {"number": variation.number})
                return redirect("awards:staff_detail", office.slug, award.reference)
        elif action not in ("approve", "refuse"):
            form.add_error(None, _("Choose approve or refuse."))
    roles = approver_roles(variation.amount_before, variation.amount_after, office.policy.sign_off)
    return render(
        request,
        "awards/variations/detail.html",
        {
            "office": office,
            "award": award,
            "variation": variation,
            "form": form,
            "may_decide": may_decide,
            "drafted": drafted,
            "may_draft": variation.needs_decision
            and variation.is_pending
            and drafted is None
            and can_propose_variation(request.user, award),
            "approvers": sorted(str(role_label(r)) for r in roles),
            "changes": variation.status_changes.select_related("actor").order_by("at", "id"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_terminate_view(request, office_slug, reference):
    office, award = _award(request, office_slug, reference)
    if not can_terminate_award(request.user, award):
        raise Http404
    form = TerminateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            award_terminate(
                award=award,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                unspent=form.cleaned_data["unspent"] or "0",
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(ref)s has ended.") % {"ref": award.reference})
            return redirect("awards:staff_detail", office.slug, award.reference)
    committed, paid = selectors.award_year_figures(award)
    return render(
        request,
        "awards/variations/terminate.html",
        {
            "office": office,
            "award": award,
            "form": form,
            "committed": sum(committed.values(), selectors.ZERO),
            "paid": sum(paid.values(), selectors.ZERO),
        },
        status=400 if form.errors else 200,
    )
