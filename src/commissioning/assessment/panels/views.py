"""Staff pages for panels: officers set panels up, seat members, put applications before
them, record meetings and keep the register of conflicts; members declare any conflict before
opening an application. Anything not yours is a 404; an application you declared a conflict on
is a 403 that says why."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.applications.models import Application, Status
from commissioning.assessment import rules
from commissioning.assessment.models import PanelMember
from commissioning.assessment.pages import conflicted_page, form_error, to_panel
from commissioning.assessment.panels import forms as f
from commissioning.assessment.panels import selectors
from commissioning.assessment.panels.services import (
    conflict_declare,
    panel_application_add,
    panel_create,
    panel_meeting_record,
    panel_member_add,
    panel_member_remove,
)
from commissioning.assessment.permissions import (
    entry_for_member,
    is_panel_manager,
    office_for_assessment,
    panel_for_manager,
    panel_for_user,
)
from commissioning.core.errors import DomainError


@login_required
def panel_list(request, office_slug):
    office = office_for_assessment(request.user, office_slug)
    return render(
        request,
        "assessment/staff/panel_list.html",
        {
            "office": office,
            "panels": selectors.panels_for(request.user, office),
            "can_manage": is_panel_manager(request.user, office),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_create_view(request, office_slug):
    office = office_for_assessment(request.user, office_slug)
    if not is_panel_manager(request.user, office):
        raise Http404
    form = f.PanelForm(request.POST if request.method == "POST" else None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            panel = panel_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Panel %(name)s set up.") % {"name": panel.name})
            return to_panel(panel)
    return render(request, "assessment/staff/panel_form.html", {"office": office, "form": form})


@login_required
def panel_detail(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel, member = panel_for_user(request.user, office, panel_id)
    can_manage = is_panel_manager(request.user, office)
    return render(
        request,
        "assessment/staff/panel.html",
        {
            "office": office,
            "panel": panel,
            "member": member,
            "can_manage": can_manage,
            "members": selectors.panel_members(panel),
            "rows": selectors.panel_entries(panel, request.user),
            "meetings": selectors.meetings_of(panel) if can_manage else [],
            "eligible": (
                Application.objects.filter(round=panel.round, status=Status.ELIGIBLE).exists()
                if can_manage
                else False
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add_view(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    form = f.MemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = (
            get_user_model()
            .objects.filter(email__iexact=form.cleaned_data["email"], is_active=True)
            .first()
        )
        if user is None:
            form.add_error("email", _("No one with a role in the office has that e-mail address"))
        else:
            try:
                member = panel_member_add(
                    panel=panel,
                    user=user,
                    standing=form.cleaned_data["standing"],
                    actor=request.user,
                )
            except DomainError as error:
                field = "email" if error.field == "user" else error.field
                form.add_error(field if field in form.fields else None, error.message)
            else:
                messages.success(
                    request, _("%(person)s added to the panel.") % {"person": member.user}
                )
                return to_panel(panel)
    return render(
        request,
        "assessment/staff/member_add.html",
        {"office": office, "panel": panel, "form": form},
    )


@login_required
@require_POST
def member_remove_view(request, office_slug, panel_id, member_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    member = PanelMember.objects.filter(panel=panel, pk=member_id).select_related("user").first()
    if member is None:
        raise Http404
    try:
        panel_member_remove(member=member, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s removed from the panel.") % {"person": member.user})
    return to_panel(panel)


@login_required
@require_http_methods(["GET", "POST"])
def application_add_view(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    eligible = list(
        Application.objects.filter(round=panel.round, status=Status.ELIGIBLE)
        .select_related("organisation")
        .order_by("reference")
    )
    form = f.AddApplicationForm(
        request.POST if request.method == "POST" else None, applications=eligible
    )
    if request.method == "POST" and form.is_valid():
        application = next(a for a in eligible if a.reference == form.cleaned_data["application"])
        try:
            panel_application_add(panel=panel, application=application, actor=request.user)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("%(ref)s is before the panel and being assessed.")
                % {"ref": application.reference},
            )
            return to_panel(panel)
    return render(
        request,
        "assessment/staff/application_add.html",
        {"office": office, "panel": panel, "form": form, "eligible": eligible},
    )


@login_required
@require_http_methods(["GET", "POST"])
def declare_view(request, office_slug, panel_id, reference):
    office = office_for_assessment(request.user, office_slug)
    panel, _member = panel_for_user(request.user, office, panel_id)
    application, member, declaration = entry_for_member(request.user, panel, reference)
    if declaration is not None:
        if declaration.has_conflict:
            return conflicted_page(request, office, panel, application)
        return redirect("assessment:score", office.slug, panel.pk, application.reference)
    form = f.ConflictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = conflict_declare(
                member=member,
                application=application,
                has_conflict=form.cleaned_data["has_conflict"],
                interest=form.cleaned_data["interest"],
                actor=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            if declaration.has_conflict:
                messages.success(
                    request,
                    _("Your conflict of interest is recorded. You will not see or score %(ref)s.")
                    % {"ref": application.reference},
                )
                return to_panel(panel)
            return redirect("assessment:score", office.slug, panel.pk, application.reference)
    organisation = application.organisation
    return render(
        request,
        "assessment/staff/declare.html",
        {
            "office": office,
            "panel": panel,
            "application": application,
            "organisation": organisation,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record_view(request, office_slug, panel_id):
    office = office_for_assessment(request.user, office_slug)
    panel = panel_for_manager(request.user, office, panel_id)
    members = selectors.panel_members(panel)
    form = f.MeetingForm(
        request.POST if request.method == "POST" else None,
        members=members,
        initial={"held_on": panel.meeting_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel_meeting_record(
                panel=panel,
                held_on=form.cleaned_data["held_on"],
                attendees=form.chosen(),
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("assessment:moderation", office.slug, panel.pk)
    assessment = office.policy.assessment
    return render(
        request,
        "assessment/staff/meeting_form.html",
        {
            "office": office,
            "panel": panel,
            "form": form,
            "quorum": rules.panel_quorum(assessment),
            "independent_required": rules.independent_member_required(assessment),
        },
    )


@login_required
def conflict_register_view(request, office_slug):
    office = office_for_assessment(request.user, office_slug)
    if not is_panel_manager(request.user, office):
        raise Http404
    return render(
        request,
        "assessment/staff/conflicts.html",
        {"office": office, "declarations": selectors.conflict_register(office)},
    )
