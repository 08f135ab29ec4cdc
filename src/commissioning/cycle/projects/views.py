"""Staff pages for commissioning projects: the office's list, a new project, a project's page
with its stages and steps (record a step, leave the stage, close, stop, review) and its edit
page. Another office's staff get 404; panel members and applicants too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError
from commissioning.cycle.forms import form_errors
from commissioning.cycle.permissions import (
    is_commissioning_editor,
    office_for_editor,
    office_for_reader,
)
from commissioning.cycle.projects import services
from commissioning.cycle.projects.forms import (
    ProjectForm,
    ReviewForm,
    StageForm,
    StepForm,
    StopForm,
)
from commissioning.cycle.projects.models import ProjectStatus
from commissioning.cycle.projects.rules import stage_model
from commissioning.cycle.projects.selectors import (
    STATUS_VIEWS,
    project_for_office,
    project_page_of,
    project_records,
    project_stages,
)


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except (TypeError, ValueError):
        return 1


@login_required
def project_list(request, office_slug):
    office = office_for_reader(request.user, office_slug)
    status = request.GET.get("status", "active")
    if status not in STATUS_VIEWS:
        status = "active"
    stages = stage_model(office.policy)
    stage = request.GET.get("stage", "")
    if stage not in {s.code for s in stages}:
        stage = ""
    q = request.GET.get("q", "")[:100]
    page = project_page_of(office, status=status, stage=stage, q=q, page=_page_number(request))
    titles = {s.code: s.title for s in stages}
    return render(
        request,
        "cycle/projects/list.html",
        {
            "office": office,
            "page": page,
            "rows": [(p, titles.get(p.stage, p.stage)) for p in page],
            "stages": stages,
            "stage": stage,
            "status": status,
            "statuses": [
                ("active", _("In progress")),
                ("completed", _("Completed")),
                ("abandoned", _("Stopped")),
                ("all", _("All")),
            ],
            "q": q,
            "can_change": is_commissioning_editor(request.user, office),
        },
    )


@login_required
def project_new(request, office_slug):
    office = office_for_editor(request.user, office_slug)
    form = ProjectForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(office=office, actor=request.user, **form.values())
            messages.success(request, _("The project has been created."))
            return redirect("cycle:project_detail", office.slug, project.reference)
        except DomainError as exc:
            form_errors(form, exc)
    return render(
        request,
        "cycle/form.html",
        {
            "office": office,
            "form": form,
            "heading": _("New commissioning project"),
            "button": _("Create the project"),
            "back_href": reverse("cycle:project_list", args=[office.slug]),
            "back_label": _("Commissioning projects"),
        },
        status=400 if form.errors else 200,
    )


def _project(office, reference):
    project = project_for_office(office, reference)
    if project is None:
        raise Http404
    return project


@login_required
def project_edit(request, office_slug, reference):
    office = office_for_editor(request.user, office_slug)
    project = _project(office, reference)
    if not project.is_active:
        raise Http404
    initial = {
        "title": project.title,
        "summary": project.summary,
        "value": project.value,
        "priorities": [str(pk) for pk in project.priorities.values_list("pk", flat=True)],
        "areas": [str(pk) for pk in project.areas.values_list("pk", flat=True)],
    }
    form = ProjectForm(request.POST or None, office=office, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                project=project, actor=request.user, lead=project.lead, **form.values()
            )
            messages.success(request, _("The project has been changed."))
            return redirect("cycle:project_detail", office.slug, project.reference)
        except DomainError as exc:
            form_errors(form, exc)
    return render(
        request,
        "cycle/form.html",
        {
            "office": office,
            "form": form,
            "heading": _("Change %(ref)s") % {"ref": project.reference},
            "button": _("Save the changes"),
            "back_href": reverse("cycle:project_detail", args=[office.slug, project.reference]),
            "back_label": project.reference,
        },
        status=400 if form.errors else 200,
    )


ACTIONS = ("step", "advance", "close", "stop", "review")


@login_required
def project_detail(request, office_slug, reference):
    office = office_for_reader(request.user, office_slug)
    project = _project(office, reference)
    can_change = is_commissioning_editor(request.user, office) and project.is_active
    forms = {
        "step": None,
        "stage": StageForm(),
        "stop": StopForm(),
        "review": ReviewForm(),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if not can_change or action not in ACTIONS:
            raise Http404
        try:
            if action == "step":
                form = forms["step"] = StepForm(request.POST)
                if form.is_valid():
                    services.project_step_record(
                        project=project,
                        actor=request.user,
                        code=form.cleaned_data["code"],
                        note=form.cleaned_data["note"],
                    )
                    messages.success(request, _("The step has been recorded as done."))
                    return redirect(request.path)
            elif action in ("advance", "close"):
                form = forms["stage"] = StageForm(request.POST)
                if form.is_valid():
                    note = form.cleaned_data["note"]
                    if action == "advance":
                        services.project_stage_advance(
                            project=project, actor=request.user, note=note
                        )
                        messages.success(request, _("The project has moved to the next stage."))
                    else:
                        services.project_close(project=project, actor=request.user, note=note)
                        messages.success(request, _("The project is complete."))
                    return redirect(request.path)
            elif action == "stop":
                form = forms["stop"] = StopForm(request.POST)
                if form.is_valid():
                    services.project_stop(
                        project=project, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("The project has been stopped."))
                    return redirect(request.path)
            else:
                form = forms["review"] = ReviewForm(request.POST)
                if form.is_valid():
                    services.project_review_record(
                        project=project, actor=request.user, **form.cleaned_data
                    )
                    messages.success(request, _("The review has been recorded."))
                    return redirect(request.path)
        except DomainError as exc:
            form_errors(form, exc)
        status = 400
    stages = project_stages(project)
    current = next((row for row in stages if row.current), None)
    is_last = bool(stages) and current is not None and current.position == len(stages)
    return render(
        request,
        "cycle/projects/detail.html",
        {
            "office": office,
            "project": project,
            "stages": stages,
            "current": current,
            "is_last": is_last,
            "can_change": can_change,
            "forms": forms,
            "failed": request.POST.get("action") if status == 400 else "",
            "failed_step": request.POST.get("code", "") if status == 400 else "",
            "priorities": list(project.priorities.order_by("position")),
            "areas": list(project.areas.order_by("name")),
            "closed": project.status != ProjectStatus.ACTIVE,
            **project_records(project),
        },
        status=status,
    )
