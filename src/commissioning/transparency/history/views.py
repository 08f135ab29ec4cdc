"""The audit trail's pages (TR6): a record's history for the office's staff, and the
office-wide log with its CSV for the office's auditors and administrators."""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.selectors import CheapCountPaginator
from commissioning.audit.models import AuditEvent
from commissioning.audit.selectors import (
    Entry,
    event_changes,
    office_log,
    office_record_types,
    record_history,
    saved_versions,
)
from commissioning.core.spreadsheets import spreadsheet_text
from commissioning.transparency.history.forms import AuditLogFilterForm
from commissioning.transparency.history.permissions import is_audit_log_reader
from commissioning.transparency.history.subjects import (
    BY_MODEL,
    SUBJECTS,
    record_of,
    subject_for,
)


def _render_history(request, office, *, record, label, kind_label, entries):
    return render(
        request,
        "audit/history.html",
        {
            "office": office,
            "record": record,
            "label": label,
            "kind_label": kind_label,
            "entries": entries,
            "can_read_log": is_audit_log_reader(request.user, office),
        },
    )


@login_required
def history_by_reference(request, office_slug, kind, reference):
    office = office_for_staff(request.user, office_slug)
    record = subject_for(office, kind, reference)
    return _render_history(
        request,
        office,
        record=record,
        label=str(record),
        kind_label=SUBJECTS[kind].label,
        entries=record_history(record),
    )


@login_required
def history_by_id(request, office_slug, target_type, target_id):
    """Any record the office's events are about; its saved versions too if it is the office's."""
    office = office_for_staff(request.user, office_slug)
    events = list(
        AuditEvent.objects.filter(office=office, target_type=target_type, target_id=target_id)
        .select_related("actor")
        .order_by("occurred_at", "id")
    )
    record = record_of(office, target_type, target_id)
    if not events and record is None:
        raise Http404
    entries = []
    for event in events:
        changes, details = event_changes(event)
        entries.append(
            Entry(
                at=event.occurred_at,
                who=event.actor,
                what=event.verb,
                changes=changes,
                details=details,
            )
        )
    if record is not None:
        entries += [e for e in saved_versions(record) if e.changes or e.what != "changed"]
    entries.sort(key=lambda e: e.at)
    kind = BY_MODEL.get(target_type)
    return _render_history(
        request,
        office,
        record=record,
        label=str(record) if record is not None else events[-1].target_label,
        kind_label=SUBJECTS[kind].label if kind else target_type,
        entries=entries,
    )


def _log_office(user, office_slug):
    office = office_for_staff(user, office_slug)
    if not is_audit_log_reader(user, office):
        raise Http404
    return office


def _log_form(request, office) -> AuditLogFilterForm:
    return AuditLogFilterForm(request.GET or None, record_types=office_record_types(office))


@login_required
def audit_log(request, office_slug):
    office = _log_office(request.user, office_slug)
    form = _log_form(request, office)
    valid = not form.is_bound or form.is_valid()
    page = None
    if valid:
        events = office_log(office, form.filters())
        paginator = CheapCountPaginator(
            events, 50, count_queryset=events.order_by().select_related(None)
        )
        page = paginator.get_page((form.cleaned_data.get("page") if form.is_bound else None) or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "office": office,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
        status=200 if valid else 400,
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def audit_log_csv(request, office_slug):
    office = _log_office(request.user, office_slug)
    form = _log_form(request, office)
    if form.is_bound and not form.is_valid():
        return audit_log(request, office_slug)
    events = office_log(office, form.filters())
    writer = csv.writer(_Echo())
    tz = timezone.get_current_timezone()

    def rows():
        yield writer.writerow(
            ["when", "who", "what", "record_type", "record_id", "record", "details"]
        )
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    event.occurred_at.astimezone(tz).isoformat(),
                    spreadsheet_text(event.actor.email) if event.actor else "",
                    spreadsheet_text(event.verb),
                    event.target_type,
                    event.target_id,
                    spreadsheet_text(event.target_label),
                    spreadsheet_text(json.dumps(event.data, cls=DjangoJSONEncoder, sort_keys=True)),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{office.slug}-audit-log-{stamp}.csv"'
    return response
