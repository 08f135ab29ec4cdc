"""Bank detail pages: the organisation's administrators enter or change their details (shown
masked afterwards); an office's finance officers see the changes waiting and record the
call-back that verifies or rejects them. Full details are never shown on a page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.awards.bank.forms import (
    BankDetailsForm,
    CallbackNumberForm,
    RejectForm,
    VerificationForm,
)
from commissioning.awards.bank.models import CallbackNumber
from commissioning.awards.bank.permissions import finance_office, organisation_for_bank_details
from commissioning.awards.bank.rules import phone_key
from commissioning.awards.bank.selectors import (
    bank_change_for_office,
    bank_changes_waiting,
    callback_numbers,
    organisation_accounts,
    pending_change,
    verified_account,
)
from commissioning.awards.bank.services import (
    bank_change_reject,
    bank_change_verify,
    bank_details_enter,
    callback_number_add,
)
from commissioning.core.errors import DomainError


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def organisation_bank_details(request, ref):
    organisation = organisation_for_bank_details(request.user, ref)
    form = BankDetailsForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                bank_details_enter(
                    organisation=organisation, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your new bank details are saved. The office will call your organisation "
                        "on a number it already holds to check them before paying into them."
                    ),
                )
                return redirect("awards:organisation_bank_details", organisation.ref)
        status = 400
    return render(
        request,
        "awards/bank/organisation.html",
        {
            "organisation": organisation,
            "form": form,
            "current": verified_account(organisation),
            "pending": pending_change(organisation),
            "accounts": organisation_accounts(organisation)[:20],
        },
        status=status,
    )


@login_required
def bank_changes(request, office_slug):
    office = finance_office(request.user, office_slug)
    return render(
        request,
        "awards/bank/changes.html",
        {"office": office, "changes": bank_changes_waiting(office)},
    )


def _change(request, office_slug, pk):
    office = finance_office(request.user, office_slug)
    account = bank_change_for_office(office, pk)
    if account is None:
        raise Http404
    return office, account


@login_required
def bank_change(request, office_slug, pk, *, verify_form=None, reject_form=None, number_form=None):
    office, account = _change(request, office_slug, pk)
    numbers = list(callback_numbers(account.organisation))
    usable = [n for n in numbers if phone_key(n.phone) != phone_key(account.given_phone)]
    bound = verify_form or reject_form or number_form
    return render(
        request,
        "awards/bank/change.html",
        {
            "office": office,
            "account": account,
            "organisation": account.organisation,
            "numbers": numbers,
            "usable": usable,
            "current": verified_account(account.organisation),
            "verify_form": verify_form or VerificationForm(numbers=usable),
            "reject_form": reject_form or RejectForm(),
            "number_form": number_form or CallbackNumberForm(),
            "form": bound,
            "changes": account.status_changes.all(),
        },
        status=400 if bound else 200,
    )


@login_required
@require_POST
def bank_change_verify_view(request, office_slug, pk):
    office, account = _change(request, office_slug, pk)
    numbers = list(callback_numbers(account.organisation))
    form = VerificationForm(request.POST, numbers=numbers)
    if form.is_valid():
        data = form.cleaned_data
        try:
            account = bank_change_verify(
                account=account,
                number=CallbackNumber.objects.filter(pk=data["number"]).first(),
                spoke_to=data["spoke_to"],
                outcome=data["outcome"],
                note=data["note"],
                office=office,
                actor=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("The call-back is recorded: the details are %(state)s.")
                % {"state": account.get_status_display().lower()},
            )
            return redirect("awards:bank_changes", office.slug)
    return bank_change(request, office_slug, pk, verify_form=form)


@login_required
@require_POST
def bank_change_reject_view(request, office_slug, pk):
    office, account = _change(request, office_slug, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            bank_change_reject(
                account=account,
                reason=form.cleaned_data["reason"],
                office=office,
                actor=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The change of bank details is rejected."))
            return redirect("awards:bank_changes", office.slug)
    return bank_change(request, office_slug, pk, reject_form=form)


@login_required
@require_POST
def callback_number_add_view(request, office_slug, pk):
    office, account = _change(request, office_slug, pk)
    form = CallbackNumberForm(request.POST)
    if form.is_valid():
        try:
            callback_number_add(
                organisation=account.organisation,
                phone=form.cleaned_data["phone"],
                source=form.cleaned_data["source"],
                office=office,
                actor=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The number is on file."))
            return redirect("awards:bank_change", office.slug, account.pk)
    return bank_change(request, office_slug, pk, number_form=form)
