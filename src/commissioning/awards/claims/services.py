"""Every write to claims. Each function runs in one transaction, checks the state it starts
from, writes an audit event, and raises a DomainError with a plain message when it cannot
proceed.

A claim's figures are checked under a lock on its award's row, so two claims submitted at once
can never both take the last of what remains unclaimed."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.applications.models import BudgetLine
from commissioning.applications.services import new_public_id
from commissioning.audit.services import audit_event_record
from commissioning.awards.claims.hooks import claim_approved_hook
from commissioning.awards.claims.models import (
    CLAIM_WORKFLOW,
    EDITABLE,
    Claim,
    ClaimEvidence,
    ClaimLine,
    ClaimStatus,
)
from commissioning.awards.claims.permissions import (
    can_prepare_claim,
    can_submit_claim,
    is_claim_checker,
)
from commissioning.awards.claims.rules import lines_total, period_inside
from commissioning.awards.claims.selectors import award_unclaimed
from commissioning.awards.models import Award, AwardStatus
from commissioning.awards.rules import money_exact
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.core.money import to_money
from commissioning.core.transitions import transition
from commissioning.core.uploads import CheckedUpload, store_upload, stored_file_values
from commissioning.organisations.permissions import is_organisation_member

FOLDER = "awards/claims"
MAX_EVIDENCE = 30
MAX_LINES = 40


@dataclass(frozen=True)
class ClaimLineInput:
    """One line of a claim: an amount against one of the application's budget lines, or with
    a description where the application has none."""

    amount: Decimal
    budget_line: BudgetLine | None = None
    description: str = ""


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _locked_award(award: Award) -> Award:
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("office", "organisation", "application")
        .get(pk=award.pk)
    )


def _require_active(award: Award) -> None:
    if award.status != AwardStatus.ACTIVE:
        raise DomainError(
            _(
                "You can only claim against an active award. %(ref)s is %(status)s: it becomes "
                "active once the grant agreement is signed by both sides."
            )
            % {"ref": award.reference, "status": award.get_status_display().lower()}
        )


def _require_member(actor, award: Award) -> None:
    if not can_prepare_claim(actor, award.organisation):
        raise DomainError(
            _("Only members of %(org)s can make its claims.") % {"org": award.organisation.name}
        )


def _checked_lines(award: Award, lines: list[ClaimLineInput]) -> list[ClaimLineInput]:
    """The lines, each against one of the application's budget lines where it has any."""
    if not lines:
        raise DomainError(_("Say what the money was spent on, with an amount."), field="lines")
    if len(lines) > MAX_LINES:
        raise DomainError(
            _("A claim can have up to %(max)s lines.") % {"max": MAX_LINES}, field="lines"
        )
    budget_lines = {b.pk: b for b in BudgetLine.objects.filter(application=award.application)}
    checked = []
    for line in lines:
        try:
            amount = to_money(line.amount)
        except (ValueError, TypeError) as exc:
            raise DomainError(str(exc), field="lines") from exc
        if amount <= 0:
            raise DomainError(_("Each line must be more than £0."), field="lines")
        if budget_lines:
            if line.budget_line is None or line.budget_line.pk not in budget_lines:
                raise DomainError(
                    _("Each line must be one of the costs in the application's budget."),
                    field="lines",
                )
            description = budget_lines[line.budget_line.pk].description
        else:
            description = (line.description or "").strip()
            if not description:
                raise DomainError(_("Say what each line was spent on."), field="lines")
        checked.append(
            ClaimLineInput(amount=amount, budget_line=line.budget_line, description=description)
        )
    return checked


def _check_figures(
    award: Award,
    *,
    period_start: dt.date,
    period_end: dt.date,
    amount,
    lines: list[ClaimLineInput],
    exclude_pk: int | None = None,
) -> tuple[Decimal, list[ClaimLineInput]]:
    """Refuse a period outside the award, lines that do not add up to the claim, and a claim
    for more than remains unclaimed. Call with the award's row locked."""
    try:
        amount = to_money(amount)
    except (ValueError, TypeError) as exc:
        raise DomainError(str(exc), field="amount") from exc
    if amount <= 0:
        raise DomainError(_("The amount claimed must be more than £0."), field="amount")
    if period_start is None or period_end is None:
        raise DomainError(_("Enter the period the claim covers."), field="period_start")
    if period_end < period_start:
        raise DomainError(
            _("The end of the period must be on or after its start."), field="period_end"
        )
    if not period_inside(
        period_start, period_end, award_start=award.starts_on, award_end=award.ends_on
    ):
        raise DomainError(
            _("The period must be within the award, which runs from %(start)s to %(end)s.")
            % {"start": _date(award.starts_on), "end": _date(award.ends_on)},
            field="period_start" if period_start < award.starts_on else "period_end",
        )
    overlapping = (
        Claim.objects.filter(
            award=award, period_start__lte=period_end, period_end__gte=period_start
        )
        .exclude(pk=exclude_pk)
        .order_by("number")
        .first()
    )
    if overlapping is not None:
        raise DomainError(
            _(
                "Claim %(number)s already covers %(start)s to %(end)s. Choose a period that "
                "does not overlap it, or change that claim instead."
            )
            % {
                "number": overlapping.number,
                "start": _date(overlapping.period_start),
                "end": _date(overlapping.period_end),
            },
            field="period_start",
        )
    checked = _checked_lines(award, lines)
    total = lines_total(line.amount for line in checked)
    if total != amount:
        raise DomainError(
            _("The lines add up to %(total)s, but the claim is for %(amount)s. Make them match.")
            % {"total": money_exact(total), "amount": money_exact(amount)},
            field="lines",
        )
    remaining = award_unclaimed(award, exclude_pk=exclude_pk)
    if amount > remaining:
        raise DomainError(
            _("%(amount)s is more than the %(remaining)s of the award that remains unclaimed.")
            % {"amount": money_exact(amount), "remaining": money_exact(remaining)},
            field="amount",
        )
    return amount, checked


def _write_lines(claim: Claim, lines: list[ClaimLineInput]) -> None:
    ClaimLine.objects.bulk_create(
        [
            ClaimLine(
                claim=claim,
                budget_line=line.budget_line,
                description=line.description[:300],
                amount=line.amount,
                position=position,
            )
            for position, line in enumerate(lines)
        ]
    )


def _lines_data(lines: list[ClaimLineInput]) -> list[dict]:
    return [{"description": line.description, "amount": str(line.amount)} for line in lines]


def claim_create(
    *,
    award: Award,
    actor,
    period_start: dt.date,
    period_end: dt.date,
    amount,
    lines: list[ClaimLineInput],
) -> Claim:
    """A draft claim against an active award, checked as it would be on submission (all but
    its evidence, which is added to the draft)."""
    with transaction.atomic():
        locked = _locked_award(award)
        _require_member(actor, locked)
        _require_active(locked)
        amount, checked = _check_figures(
            locked, period_start=period_start, period_end=period_end, amount=amount, lines=lines
        )
        number = (Claim.objects.filter(award=locked).aggregate(n=Max("number"))["n"] or 0) + 1
        claim = Claim.objects.create(
            award=locked,
            number=number,
            period_start=period_start,
            period_end=period_end,
            amount=amount,
            created_by=actor,
            updated_by=actor,
        )
        _write_lines(claim, checked)
        audit_event_record(
            actor=actor,
            verb="claim.created",
            target=claim,
            office=locked.office,
            data={
                "award": locked.reference,
                "number": number,
                "amount": str(amount),
                "period": [period_start.isoformat(), period_end.isoformat()],
                "lines": _lines_data(checked),
            },
        )
    claim.award = locked
    return claim


def _locked_claim(claim: Claim) -> tuple[Award, Claim]:
    award = _locked_award(claim.award)
    locked = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    locked.award = award
    return award, locked


def _require_editable(claim: Claim) -> None:
    if claim.status not in EDITABLE:
        raise DomainError(
            _("This claim is %(status)s, so it can no longer be changed.")
            % {"status": claim.get_status_display().lower()}
        )


def claim_change(
    *,
    claim: Claim,
    actor,
    period_start: dt.date,
    period_end: dt.date,
    amount,
    lines: list[ClaimLineInput],
) -> Claim:
    """Correct a draft or returned claim: its period, amount and lines."""
    with transaction.atomic():
        award, locked = _locked_claim(claim)
        _require_member(actor, award)
        _require_editable(locked)
        _require_active(award)
        amount, checked = _check_figures(
            award,
            period_start=period_start,
            period_end=period_end,
            amount=amount,
            lines=lines,
            exclude_pk=locked.pk,
        )
        before = {
            "amount": str(locked.amount),
            "period": [locked.period_start.isoformat(), locked.period_end.isoformat()],
        }
        locked.period_start, locked.period_end, locked.amount = period_start, period_end, amount
        locked.updated_by = actor
        locked.save(
            update_fields=["period_start", "period_end", "amount", "updated_at", "updated_by"]
        )
        locked.lines.all().delete()
        _write_lines(locked, checked)
        audit_event_record(
            actor=actor,
            verb="claim.changed",
            target=locked,
            office=award.office,
            data={
                "before": before,
                "amount": str(amount),
                "period": [period_start.isoformat(), period_end.isoformat()],
                "lines": _lines_data(checked),
            },
        )
    return locked


def claim_evidence_add(
    *, claim: Claim, actor, kind: str, description: str, upload: CheckedUpload
) -> ClaimEvidence:
    """Add a checked file (an invoice, a receipt) to a draft or returned claim."""
    description = (description or "").strip()
    if kind not in ClaimEvidence.Kind.values:
        raise DomainError(_("Choose what kind of evidence it is."), field="kind")
    if not description:
        raise DomainError(_("Enter what the document shows"), field="description")
    with transaction.atomic():
        award, locked = _locked_claim(claim)
        _require_member(actor, award)
        _require_editable(locked)
        if locked.evidence.count() >= MAX_EVIDENCE:
            raise DomainError(
                _("A claim can have up to %(max)s documents. Remove one to add another.")
                % {"max": MAX_EVIDENCE}
            )
        path = store_upload(upload, folder=FOLDER)
        evidence = ClaimEvidence.objects.create(
            claim=locked,
            public_id=new_public_id(),
            kind=kind,
            description=description[:200],
            created_by=actor,
            updated_by=actor,
            **stored_file_values(upload, path),
        )
        audit_event_record(
            actor=actor,
            verb="claim.evidence_added",
            target=evidence,
            office=award.office,
            data={
                "claim": locked.reference,
                "filename": evidence.filename,
                "content_type": evidence.content_type,
                "size": evidence.size,
            },
        )
    return evidence


def claim_evidence_remove(*, evidence: ClaimEvidence, actor) -> None:
    """Remove a document from a draft or returned claim. The stored file goes too, unless
    another record uses the same content."""
    with transaction.atomic():
        award, locked = _locked_claim(evidence.claim)
        _require_member(actor, award)
        _require_editable(locked)
        audit_event_record(
            actor=actor,
            verb="claim.evidence_removed",
            target=evidence,
            office=award.office,
            data={"claim": locked.reference, "filename": evidence.filename},
        )
        path = evidence.file_path
        evidence.delete()
        transaction.on_commit(lambda: _delete_if_unused(path))


def _delete_if_unused(path: str) -> None:
    if not ClaimEvidence.objects.filter(file_path=path).exists():
        default_storage.delete(path)


def _line_inputs(claim: Claim) -> list[ClaimLineInput]:
    return [
        ClaimLineInput(
            amount=line.amount, budget_line=line.budget_line, description=line.description
        )
        for line in claim.lines.select_related("budget_line")
    ]


def claim_submit(*, claim: Claim, actor, now: dt.datetime | None = None) -> Claim:
    """Send a draft or returned claim to the office's finance officers. Only the
    organisation's administrators submit; the claim needs evidence, and its figures are
    checked again against what remains unclaimed now."""
    now = now or timezone.now()
    with transaction.atomic():
        award, locked = _locked_claim(claim)
        if not can_submit_claim(actor, award.organisation):
            raise DomainError(
                _("Only an administrator of %(org)s can submit its claims.")
                % {"org": award.organisation.name}
            )
        _require_editable(locked)
        _require_active(award)
        if not locked.evidence.exists():
            raise DomainError(
                _("Add evidence of the spending, such as invoices or receipts, before you submit."),
                field="evidence",
            )
        _check_figures(
            award,
            period_start=locked.period_start,
            period_end=locked.period_end,
            amount=locked.amount,
            lines=_line_inputs(locked),
            exclude_pk=locked.pk,
        )
        resubmitted = locked.status == ClaimStatus.RETURNED
        locked.submitted_at, locked.submitted_by = now, actor
        locked.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
        transition(
            CLAIM_WORKFLOW,
            locked,
            to=ClaimStatus.SUBMITTED,
            actor=actor,
            note=_("Submitted again after correction") if resubmitted else "",
        )
    return locked


def _require_checker(claim: Claim, award: Award, actor) -> None:
    """A finance officer of the award's office who neither made nor submitted the claim, and
    is not a member of the organisation claiming."""
    if not is_claim_checker(actor, award.office):
        raise DomainError(_("Only the office's finance officers can check claims."))
    if getattr(actor, "pk", None) in {claim.submitted_by_id, claim.created_by_id}:
        raise DomainError(
            _("You made or submitted this claim, so another finance officer must check it.")
        )
    if is_organisation_member(actor, award.organisation):
        raise DomainError(
            _("You are a member of %(org)s, so another finance officer must check its claims.")
            % {"org": award.organisation.name}
        )


def _require_submitted(claim: Claim) -> None:
    if claim.status != ClaimStatus.SUBMITTED:
        raise DomainError(
            _("This claim is %(status)s, so it is not waiting to be checked.")
            % {"status": claim.get_status_display().lower()}
        )


def claim_approve(
    *, claim: Claim, actor, amount=None, reason: str = "", now: dt.datetime | None = None
) -> Claim:
    """A finance officer approves a submitted claim, for what was claimed or, with a reason,
    for less. The approval is then handed to the payments part (`claim_approved_hook`) and the
    organisation is told by e-mail."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        award, locked = _locked_claim(claim)
        _require_checker(locked, award, actor)
        _require_submitted(locked)
        if award.status != AwardStatus.ACTIVE:
            raise DomainError(
                _("%(ref)s is %(status)s, so its claims cannot be approved; return this one.")
                % {"ref": award.reference, "status": award.get_status_display().lower()}
            )
        if amount in (None, ""):
            approved = locked.amount
        else:
            try:
                approved = to_money(amount)
            except (ValueError, TypeError) as exc:
                raise DomainError(str(exc), field="amount") from exc
        if approved <= 0:
            raise DomainError(
                _("Approve more than £0, or return the claim with comments."), field="amount"
            )
        if approved > locked.amount:
            raise DomainError(
                _("You can approve at most the %(claimed)s claimed.")
                % {"claimed": money_exact(locked.amount)},
                field="amount",
            )
        if approved < locked.amount and not reason:
            raise DomainError(
                _("Give the reason for approving less than the %(claimed)s claimed.")
                % {"claimed": money_exact(locked.amount)},
                field="reason",
            )
        transition(
            CLAIM_WORKFLOW,
            locked,
            to=ClaimStatus.APPROVED,
            actor=actor,
            note=_("Approved %(approved)s of %(claimed)s. %(reason)s")
            % {
                "approved": money_exact(approved),
                "claimed": money_exact(locked.amount),
                "reason": reason,
            },
        )
        locked.approved_amount = approved
        locked.finance_comments = reason
        locked.checked_at, locked.checked_by = now, actor
        locked.save(
            update_fields=[
                "approved_amount",
                "finance_comments",
                "checked_at",
                "checked_by",
                "updated_at",
            ]
        )
        audit_event_record(
            actor=actor,
            verb="claim.amount_approved",
            target=locked,
            office=award.office,
            data={
                "award": award.reference,
                "claimed": str(locked.amount),
                "approved": str(approved),
                "reason": reason,
            },
        )
        claim_approved_hook(claim=locked, actor=actor)
        job_enqueue(send_claim_checked, office=award.office, claim_id=locked.pk)
    return locked


def claim_return(*, claim: Claim, actor, comments: str, now: dt.datetime | None = None) -> Claim:
    """A finance officer returns a submitted claim to the organisation with what to correct."""
    now = now or timezone.now()
    comments = (comments or "").strip()
    if not comments:
        raise DomainError(
            _("Say what the organisation must correct before it submits again."),
            field="comments",
        )
    with transaction.atomic():
        award, locked = _locked_claim(claim)
        _require_checker(locked, award, actor)
        _require_submitted(locked)
        transition(CLAIM_WORKFLOW, locked, to=ClaimStatus.RETURNED, actor=actor, note=comments)
        locked.finance_comments = comments
        locked.checked_at, locked.checked_by = now, actor
        locked.save(update_fields=["finance_comments", "checked_at", "checked_by", "updated_at"])
        job_enqueue(send_claim_checked, office=award.office, claim_id=locked.pk)
    return locked


def claim_recipients(claim: Claim) -> list[str]:
    """Who hears about a claim: whoever submitted it and the organisation's contact address."""
    emails = [getattr(claim.submitted_by, "email", ""), claim.award.organisation.email]
    return list(dict.fromkeys(e for e in emails if e))


@background_job(label=gettext_lazy("Claim checked e-mail"))
def send_claim_checked(*, claim_id: int) -> None:
    """Tell the organisation that finance approved or returned its claim."""
    claim = Claim.objects.select_related(
        "award", "award__office", "award__organisation", "submitted_by"
    ).get(pk=claim_id)
    award = claim.award
    url = settings.SITE_URL + reverse(
        "awards:claims:detail", args=[award.organisation.ref, award.reference, claim.number]
    )
    figures = {
        "office": award.office.name,
        "ref": claim.reference,
        "title": award.title,
        "claimed": money_exact(claim.amount),
        "url": url,
        "comments": claim.finance_comments,
    }
    if claim.status == ClaimStatus.APPROVED:
        subject = _("Claim %(ref)s approved") % figures
        figures["approved"] = money_exact(claim.approved_amount)
        message = (
            _(
                "%(office)s has approved claim %(ref)s for '%(title)s': %(approved)s of the "
                "%(claimed)s claimed.\n\n%(comments)s\n\nThe payment follows the award's payment "
                "schedule. You can see the claim at %(url)s\n"
            )
            % figures
        )
    elif claim.status == ClaimStatus.RETURNED:
        subject = _("Claim %(ref)s returned for correction") % figures
        message = (
            _(
                "%(office)s has returned claim %(ref)s for '%(title)s' (%(claimed)s) for you to "
                "correct:\n\n%(comments)s\n\nCorrect the claim and submit it again at %(url)s\n"
            )
            % figures
        )
    else:
        return  # moved on before this ran
    recipients = claim_recipients(claim)
    if recipients:
        send_mail(subject=subject, message=message, from_email=None, recipient_list=recipients)
