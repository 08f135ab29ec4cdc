"""Public funding pages, the applicant's form, and the staff list and application page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications import forms as f
from commissioning.applications.completeness import missing_parts
from commissioning.applications.models import (
    Application,
    Endorsement,
    Round,
    RoundStatus,
    ScreeningOutcome,
    Status,
)
from commissioning.applications.permissions import (
    application_for_applicant,
    application_for_staff_at,
)
from commissioning.applications.rules import (
    eligibility_reasons,
    required_sections,
    steps_without_questions,
)
from commissioning.applications.selectors import (
    application_with_parts,
    applications_of_user,
    applications_with_parts,
    open_rounds,
    staff_application_page,
    upcoming_rounds,
)
from commissioning.applications.services import (
    IncompleteApplication,
    application_add_row,
    application_confirm_declarations,
    application_remove_row,
    application_start,
    application_submit,
    application_update,
)
from commissioning.core import registry
from commissioning.core.errors import DomainError
from commissioning.offices.models import Office
from commissioning.organisations.models import ApplicantType

# Public: open calls and the eligibility check ---------------------------------------------


def funding_list(request, office_slug):
    office = get_object_or_404(Office, slug=office_slug)
    return render(
        request,
        "applications/funding_list.html",
        {"office": office, "rounds": open_rounds(office), "upcoming": upcoming_rounds(office)},
    )


class EligibilityForm(f.forms.Form):
    applicant_type = f.forms.ChoiceField(
        label=_("What kind of organisation are you?"),
        choices=[("", _("Choose one"))] + list(ApplicantType.choices),
        error_messages={"required": _("Choose the kind of organisation you are")},
    )
    in_area = f.YesNoField(
        label=_("Will the project serve people in the office's area?"),
        error_messages={"required": _("Say whether the project serves people in the area")},
    )
    amount = f.MoneyField(label=_("Roughly how much would you ask for?"), required=False)


def round_detail(request, office_slug, round_slug):
    office = get_object_or_404(Office, slug=office_slug)
    round_ = get_object_or_404(
        Round.objects.exclude(status=RoundStatus.DRAFT).select_related("fund"),
        office=office,
        slug=round_slug,
    )
    endorsement_fields = {f"endorsement_{e['kind']}": e for e in round_.fund.required_endorsements}
    form = EligibilityForm(request.GET if "applicant_type" in request.GET else None)
    for name, required in endorsement_fields.items():
        form.fields[name] = f.YesNoField(
            label=required.get("question") or _("Do you have this support?"),
            help_text=required["description"] if not required.get("question") else "",
            error_messages={"required": _("Say whether you have this support")},
        )
    reasons = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        reasons = eligibility_reasons(
            fund=round_.fund,
            award_min=round_.award_min,
            award_max=round_.award_max,
            applicant_type=data["applicant_type"],
            applicant_type_label=ApplicantType(data["applicant_type"]).label,
            in_area=data["in_area"],
            amount=data.get("amount"),
            endorsements_held={
                e["kind"] for name, e in endorsement_fields.items() if data.get(name)
            },
        )
    return render(
        request,
        "applications/round_detail.html",
        {
            "office": office,
            "round": round_,
            "form": form,
            "reasons": reasons,
            "is_open": round_.is_open(),
        },
    )


# Applicant: start, task list, steps, check answers, submit, receipt ------------------------


@login_required
def application_start_view(request, office_slug, round_slug):
    office = get_object_or_404(Office, slug=office_slug)
    round_ = get_object_or_404(
        Round.objects.exclude(status=RoundStatus.DRAFT), office=office, slug=round_slug
    )
    memberships = list(request.user.organisation_memberships.select_related("organisation"))
    if not memberships:
        return render(
            request, "applications/start_no_organisation.html", {"office": office, "round": round_}
        )
    error = None
    if request.method == "POST":
        chosen = next(
            (
                m.organisation
                for m in memberships
                if m.organisation.pk == _int(request.POST.get("organisation"))
            ),
            None,
        )
        if chosen is None:
            error = _("Choose the organisation that is applying")
        else:
            try:
                application = application_start(
                    round=round_, organisation=chosen, actor=request.user
                )
            except DomainError as exc:
                error = exc.message
            else:
                return redirect("applications:task_list", application.public_id)
    return render(
        request,
        "applications/start.html",
        {"office": office, "round": round_, "memberships": memberships, "error": error},
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def my_applications(request):
    return render(
        request,
        "applications/my_applications.html",
        {"applications": applications_of_user(request.user)},
    )


STEPS = [
    ("about", _("About the project")),
    ("need", _("The need and what you will do")),
    ("priorities", _("Plan priorities and areas")),
    ("beneficiaries", _("Who will benefit")),
    ("outcomes", _("Outcomes and outputs")),
    ("budget", _("Costs and match funding")),
    ("more", _("Sustainability, risks and evaluation")),
    ("endorsements", _("Endorsements")),
    ("attachments", _("Supporting documents")),
    ("declarations", _("Declarations")),
]
STEP_NAMES = dict(STEPS)


def _context(application):
    policy = application.office.policy.application
    missing = missing_parts(
        application,
        application_policy=policy,
        endorsements_required=application.fund.required_endorsements,
    )
    return policy, missing


@login_required
def task_list(request, public_id):
    application = application_for_applicant(request.user, public_id)
    if not application.is_editable:
        return redirect("applications:receipt", public_id)
    application = application_with_parts(application.pk)
    _policy, missing = _context(application)
    incomplete = {m.step for m in missing}
    started = _started_steps(application)
    skipped = _steps_skipped(application)
    tasks = [
        {
            "slug": slug,
            "name": name,
            "state": "complete"
            if slug not in incomplete and slug in started
            else ("in_progress" if slug in started else "not_started"),
        }
        for slug, name in STEPS
        if slug not in skipped
    ]
    return render(
        request,
        "applications/task_list.html",
        {
            "application": application,
            "office": application.office,
            "tasks": tasks,
            "missing": missing,
            "done": sum(t["state"] == "complete" for t in tasks),
        },
    )


def _steps_skipped(a) -> frozenset[str]:
    """Steps with no questions for the amount asked: not on the task list, not in the way."""
    return steps_without_questions(a.asked_sections, is_continuation=bool(a.is_continuation))


def _started_steps(a) -> set[str]:
    started = set()
    if a.title or a.amount_requested:
        started.add("about")
    if a.need_and_evidence or a.activities:
        started.add("need")
    if a.priorities.all() or a.areas.all():
        started.add("priorities")
    if a.beneficiaries_count or a.beneficiaries_description:
        started.add("beneficiaries")
    if a.outcomes.all() or a.outputs.all():
        started.add("outcomes")
    if a.budget_lines.all():
        started.add("budget")
    if a.sustainability or a.risks or a.evaluation or a.partnership or a.previous_funding:
        started.add("more")
    if a.endorsements.all() or not a.fund.required_endorsements:
        started.add("endorsements")
    started.add("attachments")
    if a.declarations_confirmed_at:
        started.add("declarations")
    return started


def _step_form(step, application, data=None):
    a = application
    if step == "about":
        initial = {k: getattr(a, k) for k in f.AboutForm.base_fields}
        sections = required_sections(a.amount_requested, a.office.policy.application)
        return f.AboutForm(data, initial=initial, round=a.round, sections=sections)
    if step == "need":
        return f.NeedForm(data, initial={k: getattr(a, k) for k in f.NeedForm.base_fields})
    if step == "priorities":
        from commissioning.offices.models import Area, Priority

        priorities = (
            Priority.objects.current()
            .filter(plan__office=a.office, plan__is_current=True, selectable=True)
            .order_by("position")
        )
        return f.PrioritiesForm(
            data,
            priorities=priorities,
            areas=Area.objects.current().filter(office=a.office),
            purposes=a.fund.permitted_purposes,
            initial={
                "priorities": [p.pk for p in a.priorities.all()],
                "areas": [x.pk for x in a.areas.all()],
                "purposes": a.purposes,
            },
        )
    if step == "beneficiaries":
        return f.BeneficiariesForm(
            data, initial={k: getattr(a, k) for k in f.BeneficiariesForm.base_fields}
        )
    if step == "more":
        sections = required_sections(a.amount_requested, a.office.policy.application)
        return f.MoreForm(
            data,
            sections=sections,
            is_continuation=bool(a.is_continuation),
            initial={k: getattr(a, k) for k in f.MoreForm.base_fields},
        )
    if step == "declarations":
        return f.DeclarationsForm(data, initial={"confirm": bool(a.declarations_confirmed_at)})
    return None


ROW_STEPS = {"outcomes": ("outcomes", "outputs"), "budget": ("budget_lines", "match_funding")}


@login_required
def step_view(request, public_id, step):
    if step not in STEP_NAMES:
        raise Http404
    application = application_for_applicant(request.user, public_id)
    if not application.is_editable:
        messages.info(request, _("This application has been submitted, so it cannot be changed."))
        return redirect("applications:receipt", public_id)
    if step in {"endorsements", "attachments"}:
        application = application_with_parts(application.pk)
        return render(
            request,
            "applications/panel_step.html",
            {
                "application": application,
                "office": application.office,
                "step": step,
                "step_name": STEP_NAMES[step],
                "panel": f"applications/_{step}_panel.html",
                "next_url": _next_step_url(application, step),
                "staff": False,
            },
        )
    if step in ROW_STEPS:
        return _rows_step(request, application, step)
    form = _step_form(step, application, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        valid = form.is_valid()
        try:
            _save_step(step, application, form, request.user)
        except DomainError as exc:
            # Submitted or withdrawn by another request since this page was loaded.
            messages.error(request, exc.message)
            return redirect("applications:task_list", public_id)
        if valid:
            if request.POST.get("action") == "save_and_return":
                messages.success(request, _("Your answers have been saved."))
                return redirect("applications:task_list", public_id)
            return redirect(_next_step_url(application, step))
    return render(
        request,
        "applications/step.html",
        {
            "application": application,
            "office": application.office,
            "form": form,
            "step": step,
            "step_name": STEP_NAMES[step],
        },
    )


def _save_step(step, application, form, actor):
    """Save every valid answer, even when others on the page have errors: nothing is lost."""
    data = form.cleaned_data
    if step == "declarations":
        if data.get("confirm"):
            application_confirm_declarations(application=application, actor=actor)
        return
    if step == "priorities":
        fields = {"purposes": data["purposes"]} if "purposes" in data else {}
        application_update(
            application=application,
            actor=actor,
            fields=fields,
            priorities=data.get("priorities"),
            areas=data.get("areas"),
        )
        return
    fields = {name: data[name] for name in form.fields if name in data}
    application_update(application=application, actor=actor, fields=fields)


def _next_step_url(application, step):
    skipped = _steps_skipped(application)
    slugs = [slug for slug, _name in STEPS if slug == step or slug not in skipped]
    index = slugs.index(step)
    if index + 1 < len(slugs):
        return reverse("applications:step", args=[application.public_id, slugs[index + 1]])
    return reverse("applications:check", args=[application.public_id])


def _rows_step(request, application, step):
    kinds = ROW_STEPS[step]
    sections = required_sections(
        application.amount_requested, application.office.policy.application
    )
    if step == "outcomes" and "outputs" not in sections:
        kinds = ("outcomes",)
    forms_by_kind = {kind: f.ROW_SETS[kind].form(prefix=kind) for kind in kinds}
    if request.method == "POST":
        action, _sep, kind = request.POST.get("action", "").partition(":")
        if action == "continue":
            return redirect(_next_step_url(application, step))
        if kind not in kinds:
            raise Http404
        if action == "remove":
            try:
                application_remove_row(
                    application=application,
                    actor=request.user,
                    kind=kind,
                    row_id=_int(request.POST.get("row")) or 0,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            return redirect("applications:step", application.public_id, step)
        form = f.ROW_SETS[kind].form(request.POST, prefix=kind)
        if form.is_valid():
            try:
                application_add_row(
                    application=application,
                    actor=request.user,
                    kind=kind,
                    values=form.cleaned_data,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect("applications:task_list", application.public_id)
            messages.success(request, _("Added."))
            return redirect("applications:step", application.public_id, step)
        forms_by_kind[kind] = form
    rows = {kind: list(getattr(application, kind).all()) for kind in kinds}
    return render(
        request,
        "applications/rows_step.html",
        {
            "application": application,
            "office": application.office,
            "step": step,
            "step_name": STEP_NAMES[step],
            "sets": [
                {
                    "set": f.ROW_SETS[kind],
                    "form": forms_by_kind[kind],
                    "rows": rows[kind],
                    "total": sum((getattr(r, "amount", 0) for r in rows[kind]), 0),
                }
                for kind in kinds
            ],
            "amount_requested": application.amount_requested,
        },
    )


@login_required
def check_answers(request, public_id):
    application = application_for_applicant(request.user, public_id)
    if not application.is_editable:
        return redirect("applications:receipt", public_id)
    missing = []
    unsent_refused = False
    send = request.POST.get("send_endorsement_requests") == "yes"
    if request.method == "POST" and not send and _unsent_endorsements(application):
        # The applicant has not been asked whether to send the requests: ask, do not submit.
        unsent_refused = True
    elif request.method == "POST":
        try:
            application_submit(
                application=application, actor=request.user, send_endorsement_requests=send
            )
        except IncompleteApplication as exc:
            missing = exc.missing
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("applications:check", public_id)
        else:
            return redirect("applications:receipt", public_id)
    application = application_with_parts(application.pk)
    if request.method != "POST" or unsent_refused:
        _policy, missing = _context(application)
    return render(
        request,
        "applications/check_answers.html",
        {
            "application": application,
            "office": application.office,
            "missing": missing,
            "unsent": _unsent_endorsements(application),
            "unsent_refused": unsent_refused,
            "step_names": STEP_NAMES,
            "is_open": application.round.is_open(),
        },
    )


def _unsent_endorsements(application) -> list:
    """Endorsers the applicant has named but not yet sent a request to."""
    return [e for e in application.endorsements.all() if e.state == Endorsement.State.NOT_SENT]


@login_required
def receipt(request, public_id):
    application = application_for_applicant(request.user, public_id)
    if application.status == Status.DRAFT:
        return redirect("applications:task_list", public_id)
    application = application_with_parts(application.pk)
    failed = []
    if application.status == Status.INELIGIBLE:
        failed = [
            r
            for r in application.screening_results.filter(is_current=True)
            if r.effective_outcome == ScreeningOutcome.FAIL
        ]
    return render(
        request,
        "applications/receipt.html",
        {"application": application, "office": application.office, "failed": failed},
    )


@login_required
def application_pdf(request, public_id):
    application = application_for_applicant(request.user, public_id)
    return _pdf_response(application_with_parts(application.pk))


def _pdf_response(application) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(
        "applications/application_pdf.html",
        {"application": application, "office": application.office, "now": timezone.now()},
    )
    pdf = HTML(string=html).write_pdf()
    name = application.reference or "draft-application"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# Staff ------------------------------------------------------------------------------------


@login_required
def staff_list(request, office_slug):
    office = office_for_staff(request.user, office_slug)
    form = f.ApplicationFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    page = staff_application_page(office, filters, request.GET.get("page"))
    from commissioning.offices.models import Area, Fund, Priority

    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/staff/list.html",
        {
            "office": office,
            "page": page,
            "form": form,
            "filters": filters,
            "query": query.urlencode(),
            "rounds": Round.objects.filter(office=office).order_by("-opens_at"),
            "funds": Fund.objects.current().filter(office=office),
            "areas": Area.objects.current().filter(office=office),
            "priorities": Priority.objects.current()
            .filter(plan__office=office, plan__is_current=True, selectable=True)
            .order_by("position"),
            "statuses": [s for s in Status if s != Status.DRAFT],
            "screening_outcomes": ScreeningOutcome,
        },
    )


@login_required
def staff_application(request, office_slug, reference):
    """The case page: status, screening, questions, assessment, decision and history. What
    the applicant submitted is on its own page, so each page stays a few queries."""
    application = application_for_staff_at(
        request.user,
        office_slug,
        reference,
        queryset=Application.objects.select_related(
            "office", "office__policy", "fund", "round", "organisation", "submitted_by"
        ),
    )
    results = list(
        application.screening_results.filter(is_current=True).select_related("overridden_by")
    )
    return render(
        request,
        "applications/staff/application.html",
        {
            "office": application.office,
            "application": application,
            "screening_results": results,
            "can_screen": request.user.has_perm("applications.screen_application", application),
            "status_changes": application.status_changes.select_related("actor"),
            "section": "case",
            # Assessment, decision and the later stages, as their apps register them.
            "case_sections": list(registry.application_page_sections),
        },
    )


@login_required
def staff_application_answers(request, office_slug, reference):
    """What the applicant submitted, every part, as they sent it."""
    application = application_for_staff_at(
        request.user, office_slug, reference, queryset=applications_with_parts()
    )
    return render(
        request,
        "applications/staff/answers.html",
        {"office": application.office, "application": application, "section": "answers"},
    )


@login_required
def staff_application_pdf(request, office_slug, reference):
    return _pdf_response(
        application_for_staff_at(
            request.user, office_slug, reference, queryset=applications_with_parts()
        )
    )
