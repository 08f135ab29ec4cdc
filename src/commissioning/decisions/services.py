"""Every write to decision records, signatures and letters. Each function runs in one
transaction, checks the state it starts from, writes an audit event, and sends e-mail after
commit. A signed record is immutable: attempts to change it are refused and audited."""

import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.accounts.models import OfficeMembership
from commissioning.accounts.permissions import roles_in
from commissioning.applications.models import Application, ScreeningOutcome
from commissioning.applications.models import Status as ApplicationStatus
from commissioning.applications.services import application_transition
from commissioning.assessment import rules as assessment_rules
from commissioning.assessment.scoring.selectors import panel_feedback_for
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.core.money import format_pounds
from commissioning.core.transitions import transition
from commissioning.decisions.hooks import decision_signed_handlers
from commissioning.decisions.hooks import subject_kind as subject_kind_of
from commissioning.decisions.models import (
    DECISION_WORKFLOW,
    TEXT_PARTS,
    DecisionApplication,
    DecisionRecord,
    DecisionSequence,
    DecisionStatus,
    Letter,
    Signature,
)
from commissioning.decisions.rules import (
    decision_number,
    decision_slug,
    is_publishable,
    signatories_for,
)
from commissioning.organisations.due_diligence import due_diligence_blocker

logger = logging.getLogger(__name__)

# Applications a decision can take: the panel has made its recommendation.
DECIDABLE = frozenset({ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED})
EDITABLE_FIELDS = frozenset({"title", *TEXT_PARTS, "exempt_parts", "exemption_reason"})


@dataclass(frozen=True)
class DecisionLine:
    """One application in a decision: approve for an amount, or decline, with a reason."""

    application: Application
    outcome: str
    amount: Decimal = Decimal("0")
    reason: str = ""


def role_label(code: str) -> str:
    """The office title of a signatory role, such as 'Chief Finance Officer'."""
    from commissioning.accounts.models import Role

    if code in Role.values:
        return str(Role(code).label)
    return code.replace("_", " ").capitalize()


def decision_transition(*, decision: DecisionRecord, to: str, actor, note: str = "") -> None:
    """Move a record to another state if the table allows the move from the state it is in now;
    lock its row and record who, when and why (core's transition guard)."""
    transition(DECISION_WORKFLOW, decision, to=to, actor=actor, note=note)


def _locked(decision: DecisionRecord) -> DecisionRecord:
    return (
        DecisionRecord.objects.select_for_update(of=("self",))
        .select_related("office", "office__policy")
        .get(pk=decision.pk)
    )


def _next_number(office, now) -> tuple[str, str]:
    """Allocate the next number for the office's year, under a row lock."""
    year = timezone.localtime(now).year
    DecisionSequence.objects.bulk_create(
        [DecisionSequence(office=office, year=year)], ignore_conflicts=True
    )
    sequence = DecisionSequence.objects.select_for_update().get(office=office, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    number = decision_number(
        sign_off=office.policy.sign_off, office_code=office.code, year=year, number=sequence.last
    )
    return number, decision_slug(number)


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("These parts cannot be changed: %s.") % ", ".join(sorted(unknown)))
    cleaned = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    exempt = cleaned.get("exempt_parts")
    if exempt is not None:
        if set(exempt) - set(TEXT_PARTS):
            raise DomainError(_("Only the text parts of a record can be exempt."))
        cleaned["exempt_parts"] = [part for part in TEXT_PARTS if part in exempt]
    return cleaned


def _check_exemption(decision: DecisionRecord) -> None:
    if decision.exempt_parts and not decision.exemption_reason.strip():
        raise DomainError(
            _("Give the reason the marked parts are exempt from publication."),
            field="exemption_reason",
        )
    for name in ("title", "summary", "rationale"):
        if not str(getattr(decision, name) or "").strip():
            raise DomainError(_("The record needs a title, a summary and reasons."), field=name)


def _check_lines(office, lines: list[DecisionLine], *, decision=None) -> None:
    if not lines:
        raise DomainError(_("Choose at least one application to decide."))
    seen = set()
    for line in lines:
        application = line.application
        if application.office_id != office.pk:
            raise DomainError(_("An application of another office cannot be decided here."))
        if application.pk in seen:
            raise DomainError(_("%(ref)s is listed twice.") % {"ref": application.reference})
        seen.add(application.pk)
        if application.status not in DECIDABLE:
            raise DomainError(
                _(
                    "%(ref)s is %(status)s; only applications the panel has recommended or not "
                    "recommended can be decided."
                )
                % {
                    "ref": application.reference,
                    "status": ApplicationStatus(application.status).label.lower(),
                }
            )
        if line.outcome == DecisionApplication.Outcome.APPROVE:
            if line.amount is None or line.amount <= 0:
                raise DomainError(
                    _("Give the amount awarded to %(ref)s.") % {"ref": application.reference}
                )
            if application.amount_requested is not None and line.amount > (
                application.amount_requested
            ):
                raise DomainError(
                    _("%(ref)s asked for %(asked)s; the award cannot be more.")
                    % {
                        "ref": application.reference,
                        "asked": format_pounds(application.amount_requested),
                    }
                )
            _check_part_award(office, line)
        elif line.outcome != DecisionApplication.Outcome.DECLINE:
            raise DomainError(
                _("Choose approve or decline for %(ref)s.") % {"ref": application.reference}
            )
    taken = (
        DecisionApplication.objects.filter(application__in=seen)
        .exclude(decision__status=DecisionStatus.WITHDRAWN)
        .select_related("decision", "application")
    )
    if decision is not None:
        taken = taken.exclude(decision=decision)
    clash = taken.first()
    if clash is not None:
        raise DomainError(
            _("%(ref)s is already in decision %(number)s.")
            % {"ref": clash.application.reference, "number": clash.decision.number}
        )


def _check_part_award(office, line: DecisionLine) -> None:
    """An award of part of the request follows the fund's rule for funding in part, as the
    panel's recommendation and the allocation do: at least the fund's minimum share, and
    none at all from a fund that does not award in part."""
    application = line.application
    if application.amount_requested is None or line.amount >= application.amount_requested:
        return
    fraction = assessment_rules.partial_funding_min_fraction(
        application.fund.code, office.policy.assessment
    )
    problem = assessment_rules.part_funding_problem(
        line.amount, application.amount_requested, fraction
    )
    if problem:
        raise DomainError(
            _("%(ref)s asked for %(asked)s: %(problem)s.")
            % {
                "ref": application.reference,
                "asked": format_pounds(application.amount_requested),
                "problem": problem[0].lower() + problem[1:],
            },
            field=f"amount_{application.pk}",
        )


def _write_lines(decision: DecisionRecord, lines: list[DecisionLine]) -> None:
    DecisionApplication.objects.filter(decision=decision).delete()
    DecisionApplication.objects.bulk_create(
        DecisionApplication(
            decision=decision,
            application=line.application,
            outcome=line.outcome,
            amount=line.amount if line.outcome == DecisionApplication.Outcome.APPROVE else 0,
            reason=line.reason.strip(),
            position=index,
        )
        for index, line in enumerate(lines)
    )
    decision.total = sum(
        (line.amount for line in lines if line.outcome == DecisionApplication.Outcome.APPROVE),
        Decimal("0"),
    )


def decision_create(
    *, office, actor, fields: dict, lines: list[DecisionLine], now=None
) -> DecisionRecord:
    """A draft record with its number, deciding one or more recommended applications."""
    now = now or timezone.now()
    cleaned = _clean_fields(fields)
    with transaction.atomic():
        locked_ids = [line.application.pk for line in lines]
        current = {
            a.pk: a
            for a in Application.objects.select_for_update(of=("self",)).filter(pk__in=locked_ids)
        }
        lines = [
            DecisionLine(
                application=current.get(line.application.pk, line.application),
                outcome=line.outcome,
                amount=line.amount,
                reason=line.reason,
            )
            for line in lines
        ]
        _check_lines(office, lines)
        decision = DecisionRecord(office=office, created_by=actor, updated_by=actor, **cleaned)
        _check_exemption(decision)
        decision.number, decision.slug = _next_number(office, now)
        decision.save()
        _write_lines(decision, lines)
        decision.save(update_fields=["total"])
        audit_event_record(
            actor=actor,
            verb="decision.created",
            target=decision,
            office=office,
            data={"applications": [line.application.reference for line in lines]},
        )
    return decision


def decision_create_for_subject(
    *,
    office,
    actor,
    fields: dict,
    subject_kind: str,
    subject_reference: str,
    amount: Decimal,
    now=None,
) -> DecisionRecord:
    """A draft record deciding one thing other than applications (a variation, a single-tender
    justification, a contract award ...), named by the higher app that owns it. Its `total` is
    the amount at stake, from which the office's sign-off tiers fix who signs. When the last
    signature lands, the handlers registered with `hooks.on_decision_signed` hear of it."""
    now = now or timezone.now()
    if subject_kind_of(subject_kind) is None:
        raise DomainError(_("Nothing of that kind is decided by a decision record."))
    reference = (subject_reference or "").strip()
    if not reference:
        raise DomainError(_("Name what the record decides."))
    if not isinstance(amount, Decimal) or amount < 0 or not amount.is_finite():
        raise DomainError(_("Give the amount at stake in pounds and pence."))
    cleaned = _clean_fields(fields)
    with transaction.atomic():
        decision = DecisionRecord(
            office=office,
            created_by=actor,
            updated_by=actor,
            subject_kind=subject_kind,
            subject_reference=reference,
            total=amount.quantize(Decimal("0.01")),
            **cleaned,
        )
        _check_exemption(decision)
        decision.number, decision.slug = _next_number(office, now)
        decision.save()
        audit_event_record(
            actor=actor,
            verb="decision.created",
            target=decision,
            office=office,
            data={"subject": subject_kind, "reference": reference, "amount": str(decision.total)},
        )
    return decision


def _refuse_if_signed(decision: DecisionRecord, actor, attempted: str) -> None:
    """Refuse any change to a record that has left draft, and keep a trace of the attempt.
    The audit event is written in its own transaction, so the refusal does not undo it."""
    current = DecisionRecord.objects.only("status").get(pk=decision.pk)
    if current.status == DecisionStatus.DRAFT:
        return
    if current.status in {DecisionStatus.SIGNED, DecisionStatus.PUBLISHED}:
        with transaction.atomic():
            audit_event_record(
                actor=actor,
                verb="decision.change_refused",
                target=decision,
                office=decision.office,
                data={"attempted": attempted, "status": current.status},
            )
        raise DomainError(
            _(
                "Decision %(number)s has been signed, so it cannot be changed. The attempt has "
                "been recorded."
            )
            % {"number": decision.number}
        )
    raise DomainError(
        _("Decision %(number)s is %(status)s, so it can no longer be changed.")
        % {"number": decision.number, "status": DecisionStatus(current.status).label.lower()}
    )


def decision_update(
    *, decision: DecisionRecord, actor, fields: dict, lines: list[DecisionLine] | None = None
) -> DecisionRecord:
    """Change a draft. Refused (and audited) once the record is signed."""
    _refuse_if_signed(decision, actor, attempted=",".join(sorted(fields)) or "applications")
    cleaned = _clean_fields(fields)
    with transaction.atomic():
        locked = _locked(decision)
        if locked.status != DecisionStatus.DRAFT:
            raise DomainError(_("This decision record can no longer be changed."))
        for name, value in cleaned.items():
            setattr(locked, name, value)
        _check_exemption(locked)
        update = [*cleaned, "updated_at"]
        if lines is not None and not locked.decides_applications:
            raise DomainError(
                _("This record decides %(what)s, not applications.")
                % {"what": locked.subject_reference}
            )
        if lines is not None:
            _check_lines(locked.office, lines, decision=locked)
            _write_lines(locked, lines)
            update.append("total")
        if getattr(actor, "pk", None):
            locked.updated_by = actor
            update.append("updated_by")
        locked.save(update_fields=update)
        audit_event_record(
            actor=actor,
            verb="decision.updated",
            target=locked,
            office=locked.office,
            data={"fields": sorted(cleaned), "applications_changed": lines is not None},
        )
    return locked


def decision_submit_for_signature(*, decision: DecisionRecord, actor, now=None) -> DecisionRecord:
    """Fix the signatories from the office's tiers and the total, and ask them to sign. The
    applications move to 'awaiting decision'."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(decision)
        if locked.status != DecisionStatus.DRAFT:
            raise DomainError(_("Only a draft can be sent for signature."))
        _check_exemption(locked)
        links = list(
            DecisionApplication.objects.filter(decision=locked).select_related("application")
        )
        if not links and locked.decides_applications:
            raise DomainError(_("Choose at least one application to decide."))
        applications = {
            a.pk: a
            for a in Application.objects.select_for_update(of=("self",))
            .select_related("office", "organisation")
            .filter(pk__in=[link.application_id for link in links])
        }
        for link in links:
            application = applications[link.application_id]
            if application.status not in DECIDABLE:
                raise DomainError(
                    _("%(ref)s is %(status)s, so it cannot be decided now.")
                    % {
                        "ref": application.reference,
                        "status": ApplicationStatus(application.status).label.lower(),
                    }
                )
            if link.approved:
                reason = due_diligence_blocker(application=application)
                if reason:
                    raise DomainError(
                        _("%(ref)s: %(reason)s") % {"ref": application.reference, "reason": reason}
                    )
        if locked.decides_applications:
            total = sum((link.amount for link in links if link.approved), Decimal("0"))
        else:
            total = locked.total
        try:
            roles = signatories_for(total, locked.office.policy.sign_off)
        except (KeyError, IndexError, ValueError) as exc:
            raise DomainError(
                _("The office's sign-off rules do not cover %(total)s; check the policy pack.")
                % {"total": format_pounds(total)}
            ) from exc
        locked.total = total
        locked.required_roles = list(roles)
        locked.submitted_at = now
        locked.save(update_fields=["total", "required_roles", "submitted_at", "updated_at"])
        for link in links:
            application_transition(
                application=applications[link.application_id],
                to=ApplicationStatus.AWAITING_DECISION,
                actor=actor,
                note=_("In decision %(number)s") % {"number": locked.number},
            )
        decision_transition(decision=locked, to=DecisionStatus.AWAITING_SIGNATURES, actor=actor)
        job_enqueue(ask_signatories, office=locked.office, decision_id=locked.pk)
    return locked


@background_job(label=gettext_lazy("Request for signatures e-mail"))
def ask_signatories(*, decision_id: int) -> None:
    """E-mail the holders of the roles a decision needs that it is ready to sign."""
    decision = DecisionRecord.objects.select_related("office").get(pk=decision_id)
    emails = sorted(
        set(
            OfficeMembership.objects.active()
            .filter(office=decision.office, role__in=decision.required_roles)
            .values_list("user__email", flat=True)
        )
    )
    if not emails:
        return
    url = settings.SITE_URL + reverse(
        "decisions:staff_detail", args=[decision.office.slug, decision.slug]
    )
    send_mail(
        subject=_("Decision %(number)s is waiting for your signature")
        % {"number": decision.number},
        message=_(
            "Decision %(number)s, '%(title)s', for %(total)s, is ready to sign.\n\n"
            "Read and sign it at %(url)s\n"
        )
        % {
            "number": decision.number,
            "title": decision.title,
            "total": format_pounds(decision.total),
            "url": url,
        },
        from_email=None,
        recipient_list=emails,
    )


def decision_withdraw(*, decision: DecisionRecord, actor, reason: str = "") -> DecisionRecord:
    """Set a draft aside; its number stays used and the record is kept."""
    with transaction.atomic():
        locked = _locked(decision)
        if locked.status != DecisionStatus.DRAFT:
            raise DomainError(_("Only a draft can be withdrawn."))
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at", "updated_at"])
        decision_transition(
            decision=locked, to=DecisionStatus.WITHDRAWN, actor=actor, note=reason.strip()
        )
    return locked


def outstanding_roles(decision: DecisionRecord, signed_roles) -> list[str]:
    signed = set(signed_roles)
    return [role for role in decision.required_roles if role not in signed]


def decision_sign(
    *, decision: DecisionRecord, signatory, mfa_verified: bool, role: str | None = None, now=None
) -> Signature:
    """Sign as one of the required roles the signatory holds in the office. Needs multi-factor
    sign-in in this session. The last signature makes the record signed and immutable, decides
    its applications and issues the letters."""
    now = now or timezone.now()
    if not mfa_verified:
        raise DomainError(
            _("Sign in again with your authenticator app code before signing a decision.")
        )
    with transaction.atomic():
        locked = _locked(decision)
        if locked.status != DecisionStatus.AWAITING_SIGNATURES:
            raise DomainError(
                _("Decision %(number)s is %(status)s, so it cannot be signed.")
                % {
                    "number": locked.number,
                    "status": DecisionStatus(locked.status).label.lower(),
                }
            )
        signatures = list(Signature.objects.filter(decision=locked))
        if any(s.user_id == signatory.pk for s in signatures):
            raise DomainError(_("You have already signed this decision."))
        outstanding = outstanding_roles(locked, (s.role for s in signatures))
        held = roles_in(signatory, locked.office)
        eligible = [r for r in outstanding if r in held]
        if role is not None:
            eligible = [r for r in eligible if r == role]
        if not eligible:
            raise DomainError(
                _(
                    "This decision needs the signature of: %(roles)s. You do not hold one of "
                    "those roles in %(office)s."
                )
                % {
                    "roles": ", ".join(role_label(r) for r in outstanding),
                    "office": locked.office.short_name,
                }
            )
        signature = Signature.objects.create(
            decision=locked, role=eligible[0], user=signatory, signed_at=now
        )
        audit_event_record(
            actor=signatory,
            verb="decision.signature_added",
            target=locked,
            office=locked.office,
            data={"role": signature.role, "mfa": True},
        )
        if len(outstanding) == 1:
            _conclude(locked, signatory, now)
    return signature


def _conclude(decision: DecisionRecord, actor, now) -> None:
    """All signatures are in: the record is signed, its applications decided, letters issued."""
    decision.signed_at = now
    decision.save(update_fields=["signed_at", "updated_at"])
    decision_transition(decision=decision, to=DecisionStatus.SIGNED, actor=actor)
    links = list(
        DecisionApplication.objects.filter(decision=decision).select_related(
            "application",
            "application__organisation",
            "application__submitted_by",
            "application__office",
            "application__round",
        )
    )
    applications = {
        a.pk: a
        for a in Application.objects.select_for_update(of=("self",)).filter(
            pk__in=[link.application_id for link in links]
        )
    }
    letters = []
    for link in links:
        application = applications[link.application_id]
        application_transition(
            application=application,
            to=ApplicationStatus.APPROVED if link.approved else ApplicationStatus.DECLINED,
            actor=actor,
            note=_("Decision %(number)s") % {"number": decision.number},
        )
        letters.append(_letter_issue(decision, link, actor))
    approved = [link for link in links if link.approved]
    for handler in decision_signed_handlers():
        handler(decision=decision, links=approved, actor=actor, now=now)
    for letter in letters:
        job_enqueue(letter_send, office=decision.office, letter_id=letter.pk)


def decision_publish(*, decision: DecisionRecord, actor, now=None) -> DecisionRecord:
    """Put a signed record on the office's public decisions page, exempt parts redacted."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(decision)
        if locked.status != DecisionStatus.SIGNED:
            raise DomainError(_("Only a fully signed decision can be published."))
        if not is_publishable(locked.total, locked.office.policy.publication):
            raise DomainError(
                _("The office does not publish decisions of %(total)s.")
                % {"total": format_pounds(locked.total)}
            )
        locked.published_at = now
        locked.save(update_fields=["published_at", "updated_at"])
        decision_transition(decision=locked, to=DecisionStatus.PUBLISHED, actor=actor)
    return locked


# Letters (DE3) ------------------------------------------------------------------------------


def letter_recipient(application: Application) -> tuple[str, str]:
    """Whom a letter goes to: the organisation's lead contact (its contact e-mail address),
    or the person who submitted the application when the organisation has none."""
    organisation = application.organisation
    submitter = application.submitted_by
    email = organisation.email or (submitter.email if submitter else "")
    if submitter and submitter.email == email and submitter.full_name:
        name = submitter.full_name
    else:
        name = _("The lead contact")
    return name, email


def award_letter_recipient(application: Application) -> tuple[str, str]:
    """Whom an award letter goes to (DE3): the senior officer the application names, or the
    organisation's lead contact when it names none."""
    if application.senior_officer_email:
        return application.senior_officer_name or _("The senior officer"), (
            application.senior_officer_email
        )
    return letter_recipient(application)


def decline_feedback(application: Application) -> list[str]:
    """Why an application did not succeed: the screening rules it did not pass, and the
    panel's feedback where the assessment app provides it."""
    reasons = [
        result.reason
        for result in application.screening_results.filter(is_current=True).order_by("id")
        if result.effective_outcome in {ScreeningOutcome.FAIL, ScreeningOutcome.REFER}
    ]
    panel = panel_feedback_for(application)
    if panel:
        reasons.append(panel)
    return reasons


def _letter_issue(decision: DecisionRecord, link: DecisionApplication, actor) -> Letter:
    application = link.application
    kind = Letter.Kind.AWARD if link.approved else Letter.Kind.DECLINE
    if kind == Letter.Kind.AWARD:
        name, email = award_letter_recipient(application)
    else:
        name, email = letter_recipient(application)
    policy = decision.office.policy
    context = {
        "decision": decision,
        "link": link,
        "application": application,
        "office": decision.office,
        "name": name,
        "feedback": decline_feedback(application) if policy.feedback_to_unsuccessful else [],
        "feedback_given": policy.feedback_to_unsuccessful,
    }
    if kind == Letter.Kind.AWARD:
        subject = _("Your application %(ref)s has been approved") % {"ref": application.reference}
    else:
        subject = _("Your application %(ref)s has not been successful") % {
            "ref": application.reference
        }
    letter = Letter.objects.create(
        decision=decision,
        application=application,
        public_id=secrets.token_urlsafe(9),
        kind=kind,
        addressee=f"{name}, {application.organisation.name}",
        subject=subject,
        body=render_to_string(f"decisions/letters/{kind}.txt", context).strip(),
        sent_to=email,
        created_by=actor,
    )
    audit_event_record(
        actor=actor,
        verb=f"letter.{kind}_issued",
        target=letter,
        office=decision.office,
        data={"application": application.reference, "decision": decision.number},
    )
    return letter


def letter_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "decisions/letter_pdf.html",
        {"letter": letter, "office": letter.decision.office, "decision": letter.decision},
    )
    return HTML(string=html).write_pdf()


@background_job(label=gettext_lazy("Decision letter (PDF and e-mail)"))
def letter_send(*, letter_id: int) -> None:
    """Render the letter as a PDF, keep it, and e-mail it with the PDF attached. A failure
    leaves the letter on the record unsent; the job is tried again, then listed as failed."""
    letter = Letter.objects.select_related(
        "decision", "decision__office", "application", "application__organisation"
    ).get(pk=letter_id)
    if letter.sent_at is not None or not letter.sent_to:
        return
    pdf = letter_pdf(letter)
    path = letter.pdf_path or default_storage.save(
        f"letters/{letter.decision.office.slug}/{letter.public_id}.pdf", ContentFile(pdf)
    )
    url = settings.SITE_URL + reverse("decisions:letter", args=[letter.public_id])
    message = EmailMessage(
        subject=letter.subject,
        body=f"{letter.body}\n\n"
        + _("You can read this letter and download it as a PDF at %(url)s") % {"url": url},
        to=[letter.sent_to],
    )
    message.attach(f"{letter.application.reference}-{letter.kind}.pdf", pdf, "application/pdf")
    message.send()
    sent_at = timezone.now()
    Letter.objects.filter(pk=letter.pk).update(
        sent_at=sent_at, pdf_path=path, pdf_size=len(pdf), updated_at=sent_at
    )
    audit_event_record(
        actor=None,
        verb="letter.sent",
        target=letter,
        office=letter.decision.office,
        data={"to": letter.sent_to},
    )


def letter_resend(*, letter: Letter, actor) -> None:
    """Send a letter that could not be sent before (for example, no e-mail address then)."""
    if letter.sent_at is not None:
        raise DomainError(_("This letter has already been sent."))
    if letter.kind == Letter.Kind.AWARD:
        name, email = award_letter_recipient(letter.application)
    else:
        name, email = letter_recipient(letter.application)
    if not email:
        raise DomainError(_("The organisation has no contact e-mail address."))
    with transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(sent_to=email)
        audit_event_record(
            actor=actor, verb="letter.resend", target=letter, office=letter.decision.office
        )
        job_enqueue(letter_send, office=letter.decision.office, letter_id=letter.pk)
