"""Engagement events and provider forums, feedback surveys and their summary (staff), and
the survey's own page where providers and service users answer without an account."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError
from commissioning.cycle.engagement import services
from commissioning.cycle.engagement.forms import EventForm, ResponseForm, SurveyForm
from commissioning.cycle.engagement.models import EngagementEvent, FeedbackSurvey
from commissioning.cycle.engagement.selectors import (
    events_for_office,
    survey_summary,
    surveys_for_office,
)
from commissioning.cycle.forms import form_errors
from commissioning.cycle.permissions import (
    is_commissioning_editor,
    office_for_editor,
    office_for_reader,
)


@login_required
def event_list(request, office_slug):
    office = office_for_reader(request.user, office_slug)
    return render(
        request,
        "cycle/engagement/events.html",
        {
            "office": office,
            "events": list(events_for_office(office)),
            "can_change": is_commissioning_editor(request.user, office),
        },
    )


@login_required
def event_edit(request, office_slug, pk=None):
    office = office_for_editor(request.user, office_slug)
    event = None
    initial = {}
    if pk is not None:
        event = EngagementEvent.objects.filter(office=office, pk=pk).first()
        if event is None:
            raise Http404
        names = ("kind", "title", "held_on", "attendees", "attendee_count", "learnt")
        initial = {name: getattr(event, name) for name in names}
        initial["projects"] = [str(pk) for pk in event.projects.values_list("pk", flat=True)]
    form = EventForm(request.POST or None, office=office, initial=initial)
    back = reverse("cycle:event_list", args=[office.slug])
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_event_save(
                office=office, actor=request.user, event=event, **form.values()
            )
            messages.success(request, _("The event has been recorded."))
            return redirect(back)
        except DomainError as exc:
            form_errors(form, exc)
    return render(
        request,
        "cycle/form.html",
        {
            "office": office,
            "form": form,
            "heading": _("Change the event") if event else _("Record an engagement event or forum"),
            "button": _("Save"),
            "back_href": back,
            "back_label": _("Market engagement and forums"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def survey_list(request, office_slug):
    office = office_for_reader(request.user, office_slug)
    return render(
        request,
        "cycle/engagement/surveys.html",
        {
            "office": office,
            "surveys": list(surveys_for_office(office)),
            "today": timezone.localdate(),
            "can_change": is_commissioning_editor(request.user, office),
        },
    )


@login_required
def survey_new(request, office_slug):
    office = office_for_editor(request.user, office_slug)
    today = timezone.localdate()
    form = SurveyForm(
        request.POST or None, office=office, initial={"closes_on": today + dt.timedelta(days=28)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_open(
                office=office,
                actor=request.user,
                title=form.cleaned_data["title"],
                closes_on=form.cleaned_data["closes_on"],
                project=form.chosen("project"),
            )
            messages.success(
                request, _("The survey is open. Send its link to the people involved.")
            )
            return redirect("cycle:survey_summary", office.slug, survey.pk)
        except DomainError as exc:
            form_errors(form, exc)
    return render(
        request,
        "cycle/form.html",
        {
            "office": office,
            "form": form,
            "heading": _("Ask for feedback on the process"),
            "button": _("Open the survey"),
            "back_href": reverse("cycle:survey_list", args=[office.slug]),
            "back_label": _("Feedback surveys"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def survey_summary_view(request, office_slug, pk):
    office = office_for_reader(request.user, office_slug)
    survey = FeedbackSurvey.objects.filter(office=office, pk=pk).select_related("project").first()
    if survey is None:
        raise Http404
    return render(
        request,
        "cycle/engagement/summary.html",
        {
            "office": office,
            "survey": survey,
            "link": request.build_absolute_uri(
                reverse("cycle:survey_respond", args=[survey.token])
            ),
            "today": timezone.localdate(),
            "invitations": list(survey.invitations.select_related("organisation")),
            **survey_summary(survey),
        },
    )


def survey_respond(request, token):
    """Anyone with the link may answer, once a visit, until the survey closes."""
    survey = FeedbackSurvey.objects.filter(token=str(token)[:40]).select_related("office").first()
    if survey is None:
        raise Http404
    form = ResponseForm(request.POST or None)
    is_open = survey.is_open(timezone.localdate())
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.survey_respond(survey=survey, values=form.cleaned_data)
            return render(request, "cycle/engagement/thanks.html", {"survey": survey})
        except DomainError as exc:
            form_errors(form, exc)
    return render(
        request,
        "cycle/engagement/respond.html",
        {"survey": survey, "form": form, "is_open": is_open},
        status=400 if form.errors else 200,
    )
