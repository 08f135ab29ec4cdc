"""The officers' round pages: the office's rounds, create one from a fund, edit, publish,
extend the deadline and close early. Only the office's commissioning officers and
administrators see them; anyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.applications.models import Round, Status
from commissioning.applications.permissions import office_for_round_managers
from commissioning.applications.rounds.forms import (
    CloseForm,
    ExtendForm,
    FundChoiceForm,
    RoundForm,
    initial_for,
    initial_of,
)
from commissioning.applications.rounds.services import (
    round_close,
    round_create,
    round_extend,
    round_open,
    round_project_link,
    round_update,
)
from commissioning.core.errors import DomainError
from commissioning.offices.models import Fund

# The form field that shows a service's error about a model field.
FORM_FIELD = {"opens_at": "opens_on", "closes_at": "closes_on"}


def _add_error(form, error: DomainError) -> None:
    field = FORM_FIELD.get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _round_of(office, slug: str) -> Round:
    round_ = (
        Round.objects.select_related("fund", "office", "project")
        .filter(office=office, slug=slug)
        .first()
    )
    if round_ is None:
        raise Http404
    return round_


def _funds(office):
    return Fund.objects.current().filter(office=office, open_to_applications=True).order_by("name")


def _detail(round_):
    return redirect("rounds:detail", round_.office.slug, round_.slug)


@login_required
def round_list(request, office_slug):
    office = office_for_round_managers(request.user, office_slug)
    rounds = (
        Round.objects.filter(office=office)
        .select_related("fund")
        .annotate(
            drafts=Count("applications", filter=Q(applications__status=Status.DRAFT)),
            submitted=Count("applications", filter=~Q(applications__status=Status.DRAFT)),
        )
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "applications/rounds/list.html",
        {"office": office, "rounds": rounds, "now": timezone.now()},
    )


@login_required
def round_new(request, office_slug):
    """Choose the fund, then fill in the round, starting from what the fund and its pack say."""
    office = office_for_round_managers(request.user, office_slug)
    funds = list(_funds(office))
    fund = next((f for f in funds if f.code == request.GET.get("fund")), None)
    if fund is None and len(funds) == 1:
        fund = funds[0]
    if fund is None:
        choice = FundChoiceForm(request.GET if "fund" in request.GET else None, funds=funds)
        choice.is_valid()
        return render(
            request,
            "applications/rounds/choose_fund.html",
            {"office": office, "form": choice, "funds": funds},
        )
    form = RoundForm(
        request.POST or None, fund=fund, initial=initial_for(fund, today=timezone.localdate())
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_create(fund=fund, actor=request.user, **form.values())
            if form.chosen_project() is not None:
                round_project_link(round=round_, actor=request.user, project=form.chosen_project())
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("%(round)s has been saved as a draft. Publish it when it is ready.")
                % {"round": round_.title},
            )
            return _detail(round_)
    return render(
        request,
        "applications/rounds/form.html",
        {"office": office, "fund": fund, "form": form, "round": None, "dates": True},
    )


@login_required
def round_detail(request, office_slug, slug):
    office = office_for_round_managers(request.user, office_slug)
    round_ = _round_of(office, slug)
    now = timezone.now()
    return render(
        request,
        "applications/rounds/detail.html",
        {
            "office": office,
            "round": round_,
            "stage": round_.stage(now),
            "drafts": round_.applications.filter(status=Status.DRAFT).count(),
            "submitted": round_.applications.exclude(status=Status.DRAFT).count(),
        },
    )


@login_required
def round_edit(request, office_slug, slug):
    office = office_for_round_managers(request.user, office_slug)
    round_ = _round_of(office, slug)
    dates = round_.stage() in {"draft", "scheduled"}
    form = RoundForm(
        request.POST or None, fund=round_.fund, dates=dates, initial=initial_of(round_)
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_update(round=round_, actor=request.user, **form.values())
            round_project_link(round=round_, actor=request.user, project=form.chosen_project())
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return _detail(round_)
    return render(
        request,
        "applications/rounds/form.html",
        {"office": office, "fund": round_.fund, "form": form, "round": round_, "dates": dates},
    )


@login_required
def round_publish(request, office_slug, slug):
    office = office_for_round_managers(request.user, office_slug)
    round_ = _round_of(office, slug)
    error = None
    if request.method == "POST":
        try:
            round_ = round_open(round=round_, actor=request.user)
        except DomainError as problem:
            error = problem
        else:
            messages.success(
                request,
                _("%(round)s has been published.") % {"round": round_.title},
            )
            return _detail(round_)
    return render(
        request,
        "applications/rounds/publish.html",
        {"office": office, "round": round_, "error": error},
        status=400 if error else 200,
    )


@login_required
def round_extend_view(request, office_slug, slug):
    office = office_for_round_managers(request.user, office_slug)
    round_ = _round_of(office, slug)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_extend(
                round=round_,
                actor=request.user,
                closes_at=form.closes_at(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The deadline has been extended."))
            return _detail(round_)
    return render(
        request,
        "applications/rounds/extend.html",
        {"office": office, "round": round_, "form": form},
    )


@login_required
def round_close_view(request, office_slug, slug):
    office = office_for_round_managers(request.user, office_slug)
    round_ = _round_of(office, slug)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_close(
                round=round_, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("%(round)s has been closed.") % {"round": round_.title})
            return _detail(round_)
    return render(
        request, "applications/rounds/close.html", {"office": office, "round": round_, "form": form}
    )
