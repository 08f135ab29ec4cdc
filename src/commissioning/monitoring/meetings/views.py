"""Staff pages for monitoring meetings: the office's meetings, and one meeting where an
officer records who came and the notes and adds actions. Another office's staff get 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError
from commissioning.monitoring.meetings import services
from commissioning.monitoring.meetings.forms import MeetingActionForm, MeetingRecordForm
from commissioning.monitoring.meetings.selectors import meeting_with_parts, office_meetings
from commissioning.monitoring.permissions import is_monitoring_reviewer
from commissioning.monitoring.views import _form_errors, _office


@login_required
def meeting_list(request, office_slug):
    office = _office(request.user, office_slug)
    show = request.GET.get("show", "due")
    held = {"due": False, "held": True}.get(show)
    try:
        page_number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page_number = 1
    page = Paginator(office_meetings(office, held=held), 25).get_page(page_number)
    return render(
        request,
        "monitoring/staff/meetings.html",
        {"office": office, "page": page, "show": show, "today": timezone.localdate()},
    )


@login_required
def meeting_detail(request, office_slug, award_ref, number):
    office = _office(request.user, office_slug)
    meeting = meeting_with_parts(office, award_ref, number)
    if meeting is None:
        raise Http404
    can_change = is_monitoring_reviewer(request.user, office)
    initial = {
        "held_on": meeting.held_on,
        "notes": meeting.notes,
        "attendees": MeetingRecordForm.attendee_text(meeting.attendees.all()),
    }
    record_form = MeetingRecordForm(initial=initial)
    action_form = MeetingActionForm()
    status = 200
    if request.method == "POST":
        if not can_change:
            raise Http404
        action = request.POST.get("action", "")
        try:
            if action == "record":
                record_form = MeetingRecordForm(request.POST)
                if record_form.is_valid():
                    services.meeting_record(
                        meeting=meeting,
                        actor=request.user,
                        held_on=record_form.cleaned_data["held_on"],
                        notes=record_form.cleaned_data["notes"],
                        attendees=record_form.attendee_rows(),
                    )
                    messages.success(request, _("The meeting has been recorded."))
                    return redirect(request.path)
            elif action == "add_action":
                action_form = MeetingActionForm(request.POST)
                if action_form.is_valid():
                    services.meeting_action_add(
                        meeting=meeting, actor=request.user, **action_form.cleaned_data
                    )
                    messages.success(request, _("The action has been added."))
                    return redirect(request.path)
            elif action.startswith("done_"):
                found = next((a for a in meeting.actions.all() if f"done_{a.pk}" == action), None)
                if found is None:
                    raise Http404
                services.meeting_action_done(action=found, actor=request.user)
                messages.success(request, _("The action is marked as done."))
                return redirect(request.path)
            else:
                raise Http404
        except DomainError as exc:
            form = action_form if action == "add_action" else record_form
            _form_errors(form, exc)
        status = 400
    return render(
        request,
        "monitoring/staff/meeting.html",
        {
            "office": office,
            "meeting": meeting,
            "award": meeting.award,
            "can_change": can_change,
            "record_form": record_form,
            "action_form": action_form,
            "today": timezone.localdate(),
        },
        status=status,
    )
