from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.clarifications.forms import AnswerForm, QuestionForm, WithdrawalForm
from commissioning.applications.clarifications.selectors import (
    clarification_by_number,
    clarification_thread,
)
from commissioning.applications.clarifications.services import (
    CLOSED_STATUSES,
    clarification_answer,
    clarification_ask,
)
from commissioning.applications.models import Status
from commissioning.applications.permissions import (
    application_for_applicant,
    application_for_staff,
)
from commissioning.applications.services import application_withdraw
from commissioning.core.errors import DomainError

DECIDED = frozenset({Status.APPROVED, Status.DECLINED})


@login_required
def answer(request, public_id, number):
    """A member of the organisation answers one question."""
    application = application_for_applicant(request.user, public_id)
    clarification = clarification_by_number(application, number)
    if clarification is None:
        raise Http404
    if clarification.answered_at is not None:
        messages.info(request, _("This question has already been answered."))
        return redirect("applications:receipt", public_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clarification_answer(
                clarification=clarification, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Your answer has been sent."))
            return redirect("applications:receipt", public_id)
    return render(
        request,
        "applications/clarifications/answer.html",
        {
            "application": application,
            "office": application.office,
            "clarification": clarification,
            "form": form,
        },
    )


@login_required
def withdraw(request, public_id):
    """The applicant withdraws the application, with an optional reason; after withdrawing,
    the same address confirms it."""
    application = application_for_applicant(request.user, public_id)
    context = {"application": application, "office": application.office}
    if application.status == Status.WITHDRAWN:
        return render(request, "applications/clarifications/withdrawn.html", context)
    if application.status in DECIDED or application.status == Status.DRAFT:
        return render(request, "applications/clarifications/cannot_withdraw.html", context)
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("clarifications:withdraw", public_id)
    return render(request, "applications/clarifications/withdraw.html", {**context, "form": form})


@login_required
def staff_thread(request, office_slug, reference):
    """The questions and answers on an application; officers who screen may ask one."""
    office = office_for_staff(request.user, office_slug)
    application = application_for_staff(request.user, office, reference)
    can_ask = request.user.has_perm("applications.screen_application", application)
    if request.method == "POST" and not can_ask:
        raise Http404
    form = QuestionForm(request.POST or None) if can_ask else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            clarification_ask(
                application=application, actor=request.user, question=form.cleaned_data["question"]
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("Your question has been sent to %(organisation)s.")
                % {"organisation": application.organisation.name},
            )
            return redirect("applications:staff_application", office.slug, application.reference)
    return render(
        request,
        "applications/clarifications/staff_thread.html",
        {
            "office": office,
            "application": application,
            "thread": clarification_thread(application),
            "form": form,
            "can_ask": can_ask and application.status not in CLOSED_STATUSES,
        },
    )
