"""Staff pages for decision records (draft, sign, publish, letters) and the public decision pages
with exempt parts redacted."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.accounts.permissions import office_for_staff, roles_in
from commissioning.core.errors import DomainError
from commissioning.decisions.forms import PART_LABELS, DecisionForm
from commissioning.decisions.hooks import subject_kind
from commissioning.decisions.models import DecisionStatus
from commissioning.decisions.permissions import (
    decision_for_staff,
    is_decision_editor,
    letter_for_user,
    mfa_passed,
)
from commissioning.decisions.rules import (
    is_publishable,
    published_award_fields,
    reports_to_panel,
    signing_tier,
    tier_in_words,
)
from commissioning.decisions.selectors import (
    decidable_applications,
    decision_with_parts,
    panel_report,
    public_decision,
    public_decisions,
    staff_decisions,
)
from commissioning.decisions.services import (
    EDITABLE_FIELDS,
    decision_create,
    decision_publish,
    decision_sign,
    decision_submit_for_signature,
    decision_update,
    decision_withdraw,
    letter_pdf,
    outstanding_roles,
    role_label,
)
from commissioning.offices.models import Office


def _editor_office(user, office_slug):
    office = office_for_staff(user, office_slug)
    if not is_decision_editor(user, office):
        raise Http404
    return office


def _pdf(html: str, name: str) -> HttpResponse:
    from weasyprint import HTML

    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _parts(decision, *, public: bool) -> list[dict]:
    """The record's text parts in order; on the public record, exempt parts are redacted."""
    parts = []
    for name, label in PART_LABELS.items():
        text = getattr(decision, name)
        exempt = name in decision.exempt_parts
        if not text and not exempt:
            continue
        parts.append(
            {
                "name": name,
                "label": label,
                "text": "" if public and exempt else text,
                "exempt": exempt,
            }
        )
    return parts


def _tier_text(decision) -> str:
    """Why these people sign: the pack's tier for the record's total, in words."""
    try:
        tier = signing_tier(decision.total, decision.office.policy.sign_off)
    except (ValueError, KeyError):
        return ""
    return tier_in_words(tier, role_label)


def _signature_rows(decision) -> list[dict]:
    signatures = {s.role: s for s in decision.signatures.all()}
    return [
        {"role": role, "label": role_label(role), "signature": signatures.get(role)}
        for role in decision.required_roles
    ]


# Staff ------------------------------------------------------------------------------------


@login_required
def staff_list(request, office_slug):
    office = office_for_staff(request.user, office_slug)
    status = request.GET.get("status", "")
    if status not in DecisionStatus.values:
        status = ""
    return render(
        request,
        "decisions/staff/list.html",
        {
            "office": office,
            "decisions": staff_decisions(office, status=status),
            "status": status,
            "statuses": DecisionStatus,
            "can_draft": is_decision_editor(request.user, office),
            "ready": decidable_applications(office).count(),
        },
    )


@login_required
def staff_create(request, office_slug):
    office = _editor_office(request.user, office_slug)
    applications = decidable_applications(office)
    form = DecisionForm(request.POST or None, applications=applications)
    if request.method == "POST" and form.is_valid():
        try:
            decision = decision_create(
                office=office,
                actor=request.user,
                fields=form.record_values(),
                lines=form.lines(),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("Decision %(number)s saved as a draft.") % {"number": decision.number}
            )
            return redirect("decisions:staff_detail", office.slug, decision.slug)
    return render(
        request,
        "decisions/staff/form.html",
        {"office": office, "form": form, "decision": None},
    )


@login_required
def staff_edit(request, office_slug, slug):
    office = _editor_office(request.user, office_slug)
    decision = decision_with_parts(decision_for_staff(request.user, office, slug).pk)
    if not decision.is_editable:
        if request.method == "POST":
            # The service refuses, and records the attempt on a signed record.
            names = EDITABLE_FIELDS - {"exempt_parts"}
            posted = {k: request.POST[k] for k in names if k in request.POST}
            try:
                decision_update(decision=decision, actor=request.user, fields=posted)
            except DomainError as exc:
                messages.error(request, exc.message)
        else:
            messages.info(request, _("This decision has left draft, so it cannot be changed."))
        return redirect("decisions:staff_detail", office.slug, decision.slug)
    if decision.decides_applications:
        applications = decidable_applications(
            office, include=[link.application_id for link in decision.decided_applications.all()]
        )
    else:
        applications = []
    form = DecisionForm(request.POST or None, applications=applications, decision=decision)
    if request.method == "POST" and form.is_valid():
        try:
            decision_update(
                decision=decision,
                actor=request.user,
                fields=form.record_values(),
                lines=form.lines() if decision.decides_applications else None,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("decisions:staff_detail", office.slug, decision.slug)
    return render(
        request,
        "decisions/staff/form.html",
        {"office": office, "form": form, "decision": decision},
    )


@login_required
def staff_detail(request, office_slug, slug):
    office = office_for_staff(request.user, office_slug)
    decision = decision_with_parts(decision_for_staff(request.user, office, slug).pk)
    signatures = _signature_rows(decision)
    subject = subject_kind(decision.subject_kind) if decision.subject_kind else None
    held = roles_in(request.user, office)
    signed_by_me = any(s.user_id == request.user.pk for s in decision.signatures.all())
    can_sign_as = [
        role
        for role in outstanding_roles(decision, (s.role for s in decision.signatures.all()))
        if role in held
    ]
    return render(
        request,
        "decisions/staff/detail.html",
        {
            "office": office,
            "decision": decision,
            "parts": _parts(decision, public=False),
            "subject": subject,
            "subject_url": subject.link(decision) if subject and subject.link else None,
            "signatures": signatures,
            "tier_text": _tier_text(decision),
            "links": decision.decided_applications.all(),
            "letters": decision.letters.all(),
            "can_edit": decision.is_editable and is_decision_editor(request.user, office),
            "can_sign": decision.status == DecisionStatus.AWAITING_SIGNATURES
            and bool(can_sign_as)
            and not signed_by_me,
            "sign_as": [role_label(r) for r in can_sign_as],
            "can_publish": decision.status == DecisionStatus.SIGNED
            and is_decision_editor(request.user, office)
            and is_publishable(decision.total, office.policy.publication),
            "mfa_passed": mfa_passed(request),
            "status_changes": decision.status_changes.all(),
        },
    )


def _act(request, office_slug, slug, action, success, *, editor=True):
    """Run one service on a decision for a POST, report the outcome, back to the decision.
    `success` is the message, or a function of the changed decision that gives it."""
    if editor:
        office = _editor_office(request.user, office_slug)
    else:
        office = office_for_staff(request.user, office_slug)
    decision = decision_for_staff(request.user, office, slug)
    try:
        action(decision)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success(decision) if callable(success) else success)
    return redirect("decisions:staff_detail", office.slug, slug)


@login_required
@require_POST
def staff_submit(request, office_slug, slug):
    return _act(
        request,
        office_slug,
        slug,
        lambda d: decision_submit_for_signature(decision=d, actor=request.user),
        _("The decision has been sent to its signatories."),
    )


@login_required
@require_POST
def staff_withdraw(request, office_slug, slug):
    return _act(
        request,
        office_slug,
        slug,
        lambda d: decision_withdraw(decision=d, actor=request.user),
        _("The draft has been withdrawn. It is kept on file."),
    )


def _signed_message(decision) -> str:
    decision.refresh_from_db()
    if decision.status == DecisionStatus.SIGNED:
        return _("You have signed. The decision is now fully signed and can no longer change.")
    return _("You have signed the decision.")


@login_required
@require_POST
def staff_sign(request, office_slug, slug):
    return _act(
        request,
        office_slug,
        slug,
        lambda d: decision_sign(
            decision=d, signatory=request.user, mfa_verified=mfa_passed(request)
        ),
        _signed_message,
        editor=False,
    )


@login_required
@require_POST
def staff_publish(request, office_slug, slug):
    return _act(
        request,
        office_slug,
        slug,
        lambda d: decision_publish(decision=d, actor=request.user),
        _("The decision has been published."),
    )


@login_required
def staff_pdf(request, office_slug, slug):
    office = office_for_staff(request.user, office_slug)
    decision = decision_with_parts(decision_for_staff(request.user, office, slug).pk)
    return _pdf(_record_html(decision, public=False), decision.slug)


def _record_html(decision, *, public: bool) -> str:
    links = list(decision.decided_applications.all())
    fields = published_award_fields(decision.office.policy.publication)
    return render_to_string(
        "decisions/record_pdf.html",
        {
            "decision": decision,
            "office": decision.office,
            "parts": _parts(decision, public=public),
            "signatures": _signature_rows(decision),
            "links": [link for link in links if link.approved] if public else links,
            "declined_count": sum(not link.approved for link in links),
            "fields": fields,
            "public": public,
            "now": timezone.now(),
        },
    )


# Letters ----------------------------------------------------------------------------------


@login_required
def letter_detail(request, public_id):
    letter = letter_for_user(request.user, public_id)
    return render(
        request,
        "decisions/letter.html",
        {"letter": letter, "office": letter.decision.office, "decision": letter.decision},
    )


@login_required
def letter_pdf_view(request, public_id):
    letter = letter_for_user(request.user, public_id)
    if letter.pdf_path and default_storage.exists(letter.pdf_path):
        with default_storage.open(letter.pdf_path, "rb") as handle:
            content = handle.read()
    else:
        content = letter_pdf(letter)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{letter.application.reference}-{letter.kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# Public -----------------------------------------------------------------------------------


def public_list(request, office_slug):
    office = get_object_or_404(Office.objects.select_related("policy"), slug=office_slug)
    return render(
        request,
        "decisions/public/list.html",
        {
            "office": office,
            "decisions": public_decisions(office),
            "fields": published_award_fields(office.policy.publication),
            "reports_to_panel": reports_to_panel(office.policy.publication),
        },
    )


def _public_decision(office_slug, slug):
    office = get_object_or_404(Office.objects.select_related("policy"), slug=office_slug)
    decision = public_decision(office, slug)
    if decision is None:
        raise Http404
    return office, decision


def public_detail(request, office_slug, slug):
    office, decision = _public_decision(office_slug, slug)
    links = list(decision.decided_applications.all())
    return render(
        request,
        "decisions/public/detail.html",
        {
            "office": office,
            "decision": decision,
            "parts": _parts(decision, public=True),
            "signatures": _signature_rows(decision),
            "awards": [link for link in links if link.approved],
            "declined_count": sum(not link.approved for link in links),
            "fields": published_award_fields(office.policy.publication),
        },
    )


def public_pdf(request, office_slug, slug):
    _office, decision = _public_decision(office_slug, slug)
    return _pdf(_record_html(decision, public=True), decision.slug)


def _date(value: str | None, default: dt.date) -> tuple[dt.date, bool]:
    if not value:
        return default, True
    try:
        return dt.date.fromisoformat(value.strip()), True
    except ValueError:
        return default, False


def panel_report_view(request, office_slug):
    office = get_object_or_404(Office.objects.select_related("policy"), slug=office_slug)
    if not reports_to_panel(office.policy.publication):
        raise Http404
    today = timezone.localdate()
    start, start_ok = _date(request.GET.get("from"), today - dt.timedelta(days=90))
    end, end_ok = _date(request.GET.get("to"), today)
    errors = {}
    if not start_ok:
        errors["from"] = _("Enter the start date as a real date, like 2026-04-01")
    if not end_ok:
        errors["to"] = _("Enter the end date as a real date, like 2026-06-30")
    if start_ok and end_ok and end < start:
        errors["to"] = _("The end date must be on or after the start date")
    report = None if errors else panel_report(office, start, end)
    return render(
        request,
        "decisions/public/panel_report.html",
        {
            "office": office,
            "report": report,
            "errors": errors,
            "start": request.GET.get("from") or start.isoformat(),
            "end": request.GET.get("to") or end.isoformat(),
            "fields": published_award_fields(office.policy.publication),
        },
    )
