"""Every write to grant agreements (AG1): draw one up (a new version, reusable by variations),
send it, the organisation's signature, the office's countersignature. Each runs in one
transaction, checks the state stored, writes an audit event and raises a DomainError with a
plain message when it cannot proceed. Countersigning makes the award active; before that no
money moves."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.accounts.mfa import (
    FRESH_CODE_WINDOW,
    fresh_code_failure_record,
    fresh_code_locked_out,
    totp_code_verify,
)
from commissioning.accounts.permissions import roles_in
from commissioning.audit.services import audit_event_record
from commissioning.awards.agreements.document import (
    agreement_content,
    agreement_html,
    agreement_pdf,
    agreement_template,
    sha256_of,
)
from commissioning.awards.agreements.models import (
    AGREEMENT_WORKFLOW,
    OPEN_STATUSES,
    Agreement,
    AgreementStatus,
    AgreementStatusChange,
)
from commissioning.awards.models import Award, AwardStatus
from commissioning.awards.services import award_transition
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.core.transitions import transition
from commissioning.organisations.models import OrganisationMember

CLOSED_AWARDS = (AwardStatus.COMPLETED, AwardStatus.TERMINATED)


def _role_label(code: str) -> str:
    from commissioning.decisions.services import role_label

    return role_label(code)


def countersigning_roles(office) -> list[str]:
    """The office roles that countersign agreements, from the pack."""
    return list((office.policy.agreements or {}).get("countersigned_by") or ["commissioner"])


def _locked_award(award: Award) -> Award:
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related(
            "office", "office__policy", "organisation", "fund", "application", "decision"
        )
        .get(pk=award.pk)
    )


def _locked(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related(
            "award",
            "award__office",
            "award__office__policy",
            "award__organisation",
            "award__fund",
            "award__application",
            "award__decision",
        )
        .get(pk=agreement.pk)
    )


def _state_refusal(agreement: Agreement, action: str) -> DomainError:
    return DomainError(
        _("Version %(version)s of the agreement is %(status)s, so it cannot be %(action)s.")
        % {
            "version": agreement.version,
            "status": AgreementStatus(agreement.status).label.lower(),
            "action": action,
        }
    )


def agreement_issue(*, award: Award, actor, reason: str, now=None) -> Agreement:
    """Draw up a new version of the award's agreement from the template the pack names for its
    fund, as a draft to check and send. Any version not yet signed by both is withdrawn; a
    countersigned one stays as it is, in force until the new one is countersigned. Variations
    call this with their reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why this version of the agreement is drawn up."), field="reason")
    with transaction.atomic():
        locked = _locked_award(award)
        if locked.status in CLOSED_AWARDS:
            raise DomainError(
                _("Award %(ref)s is %(status)s, so no agreement can be drawn up for it.")
                % {"ref": locked.reference, "status": locked.get_status_display().lower()}
            )
        template = agreement_template(locked)
        latest = Agreement.objects.filter(award=locked).aggregate(v=Max("version"))["v"] or 0
        # Check that the content can be drawn up (a pilot within its limit) before writing.
        agreement_content(locked, version=latest + 1, template=template)
        for open_version in Agreement.objects.filter(award=locked, status__in=OPEN_STATUSES):
            transition(
                AGREEMENT_WORKFLOW,
                open_version,
                to=AgreementStatus.WITHDRAWN,
                actor=actor,
                note=_("Replaced by version %(v)s: %(reason)s")
                % {"v": latest + 1, "reason": reason},
            )
        agreement = Agreement.objects.create(
            award=locked,
            version=latest + 1,
            reason=reason[:500],
            template_code=template["code"],
            template_version=template["version"],
            template_title=template["title"],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        AgreementStatusChange.objects.create(
            agreement=agreement,
            old="",
            new=AgreementStatus.DRAFT,
            actor=actor if getattr(actor, "pk", None) else None,
            at=now,
            note=reason[:500],
        )
        audit_event_record(
            actor=actor,
            verb="agreement.issued",
            target=agreement,
            office=locked.office,
            data={
                "award": locked.reference,
                "version": agreement.version,
                "template": template["code"],
                "template_version": template["version"],
                "reason": reason[:500],
            },
        )
    return agreement


def agreement_send(*, agreement: Agreement, actor, now=None) -> Agreement:
    """Freeze the document (its content, HTML and PDF, with the PDF's SHA-256) and send it to
    the award's contact, who is e-mailed a link to read and sign it."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(agreement)
        award = locked.award
        if locked.status != AgreementStatus.DRAFT:
            raise _state_refusal(locked, _("sent"))
        if award.status in CLOSED_AWARDS:
            raise DomainError(
                _("Award %(ref)s is %(status)s, so its agreement cannot be sent.")
                % {"ref": award.reference, "status": award.get_status_display().lower()}
            )
        if not award.contact_email:
            raise DomainError(
                _("Award %(ref)s has no contact e-mail to send the agreement to.")
                % {"ref": award.reference}
            )
        stored = (award.office.policy.agreements or {}).get("templates", {})
        template = stored.get(locked.template_code)
        if template is None or template["version"] != locked.template_version:
            raise DomainError(
                _(
                    "The pack's agreement template has changed since this version was drawn "
                    "up. Draw up a new version to use the current wording."
                )
            )
        template = {"code": locked.template_code, **template}
        content = agreement_content(award, version=locked.version, template=template)
        html = agreement_html(content)
        pdf = agreement_pdf(html)
        locked.content = content
        locked.document_html = html
        locked.document_pdf = pdf
        locked.document_sha256 = sha256_of(pdf)
        locked.sent_at = now
        locked.sent_by = actor if getattr(actor, "pk", None) else None
        locked.sent_to = award.contact_email
        locked.save(
            update_fields=[
                "content",
                "document_html",
                "document_pdf",
                "document_sha256",
                "sent_at",
                "sent_by",
                "sent_to",
                "updated_at",
            ]
        )
        transition(
            AGREEMENT_WORKFLOW,
            locked,
            to=AgreementStatus.SENT,
            actor=actor,
            note=_("Sent to %(email)s") % {"email": award.contact_email},
        )
        if award.status == AwardStatus.OFFERED:
            award_transition(
                award=award,
                to=AwardStatus.SENT,
                actor=actor,
                note=_("Agreement version %(v)s sent") % {"v": locked.version},
            )
        audit_event_record(
            actor=actor,
            verb="agreement.document_frozen",
            target=locked,
            office=award.office,
            data={"version": locked.version, "sha256": locked.document_sha256, "bytes": len(pdf)},
        )
        job_enqueue(agreement_sent_email, office=award.office, agreement_id=locked.pk)
    agreement.refresh_from_db()
    return agreement


def _same_hash(agreement: Agreement, document_sha256: str) -> None:
    if (document_sha256 or "").strip().lower() != agreement.document_sha256:
        raise DomainError(
            _(
                "This is not the version of the agreement you opened. Read the agreement again "
                "before signing it."
            ),
            field="document_sha256",
        )


def _normal(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def agreement_sign_by_provider(
    *,
    agreement: Agreement,
    signatory,
    name: str,
    role: str,
    signature: str,
    confirmed: bool,
    document_sha256: str,
    now=None,
) -> Agreement:
    """The organisation's authorised signatory (an administrator of the organisation) accepts
    the agreement online: name, role, a typed signature, the confirmation of authority, the
    time, and the hash of the document they read."""
    now = now or timezone.now()
    name, role, signature = (" ".join((v or "").split()) for v in (name, role, signature))
    with transaction.atomic():
        locked = _locked(agreement)
        award = locked.award
        is_admin = OrganisationMember.objects.filter(
            organisation=award.organisation,
            user=signatory,
            role=OrganisationMember.Role.ADMIN,
        ).exists()
        if not is_admin:
            raise DomainError(
                _(
                    "Only an administrator of %(org)s can sign the agreement for it. Ask an "
                    "administrator to sign, or to make you one."
                )
                % {"org": award.organisation.name}
            )
        if locked.status != AgreementStatus.SENT:
            raise _state_refusal(locked, _("signed for the organisation"))
        if not name:
            raise DomainError(_("Enter your full name."), field="name")
        if not role:
            raise DomainError(_("Enter your role in the organisation."), field="role")
        if not signature:
            raise DomainError(_("Type your full name as your signature."), field="signature")
        if _normal(signature) != _normal(name):
            raise DomainError(
                _("Your typed signature must be your full name as you entered it."),
                field="signature",
            )
        if not confirmed:
            raise DomainError(
                _("Confirm that you are authorised to sign for the organisation."),
                field="confirmed",
            )
        _same_hash(locked, document_sha256)
        locked.provider_name = name[:200]
        locked.provider_role = role[:200]
        locked.provider_signature = signature[:200]
        locked.provider_confirmed = True
        locked.provider_signed_at = now
        locked.provider_signed_by = signatory
        locked.provider_sha256 = locked.document_sha256
        locked.save(
            update_fields=[
                "provider_name",
                "provider_role",
                "provider_signature",
                "provider_confirmed",
                "provider_signed_at",
                "provider_signed_by",
                "provider_sha256",
                "updated_at",
            ]
        )
        transition(
            AGREEMENT_WORKFLOW,
            locked,
            to=AgreementStatus.SIGNED_BY_PROVIDER,
            actor=signatory,
            note=_("Signed by %(name)s, %(role)s") % {"name": name, "role": role},
        )
        if award.status == AwardStatus.SENT:
            award_transition(
                award=award,
                to=AwardStatus.SIGNED_BY_PROVIDER,
                actor=signatory,
                note=_("Agreement version %(v)s signed by the organisation")
                % {"v": locked.version},
            )
        audit_event_record(
            actor=signatory,
            verb="agreement.signed_by_provider",
            target=locked,
            office=award.office,
            data={
                "version": locked.version,
                "sha256": locked.provider_sha256,
                "name": name,
                "role": role,
            },
        )
    agreement.refresh_from_db()
    return agreement


def agreement_countersign(
    *,
    agreement: Agreement,
    signatory,
    mfa_verified: bool,
    code: str,
    document_sha256: str,
    now=None,
) -> Agreement:
    """The office countersigns: staff holding a countersigning role (from the pack), in a
    session that passed multi-factor sign-in, entering a current authenticator code now. The
    agreement is then signed by both and can never change; the award becomes active."""
    now = now or timezone.now()
    if not mfa_verified:
        raise DomainError(
            _("Sign in again with your authenticator app code before countersigning.")
        )
    if fresh_code_locked_out(signatory):
        raise DomainError(
            _(
                "Too many wrong codes have been entered. Wait %(minutes)s minutes, then enter "
                "a new code from your authenticator app."
            )
            % {"minutes": FRESH_CODE_WINDOW // 60},
            field="code",
        )
    try:
        return _countersign(
            agreement=agreement,
            signatory=signatory,
            code=code,
            now=now,
            document_sha256=document_sha256,
        )
    except WrongCode:
        fresh_code_failure_record(signatory)
        raise DomainError(
            _("Enter the current 6-digit code from your authenticator app."), field="code"
        ) from None


class WrongCode(Exception):
    """The fresh code did not match: the countersigning transaction is undone first."""


def _countersign(*, agreement, signatory, code, now, document_sha256) -> Agreement:
    with transaction.atomic():
        locked = _locked(agreement)
        award = locked.award
        roles = countersigning_roles(award.office)
        held = [r for r in roles if r in roles_in(signatory, award.office)]
        if not held:
            raise DomainError(
                _("Agreements of %(office)s are countersigned by: %(roles)s.")
                % {
                    "office": award.office.short_name,
                    "roles": ", ".join(_role_label(r) for r in roles),
                }
            )
        if locked.status in (AgreementStatus.DRAFT, AgreementStatus.SENT):
            raise DomainError(
                _(
                    "Version %(version)s of the agreement has not been signed by the "
                    "organisation yet, so it cannot be countersigned."
                )
                % {"version": locked.version}
            )
        if locked.status != AgreementStatus.SIGNED_BY_PROVIDER:
            raise _state_refusal(locked, _("countersigned"))
        _same_hash(locked, document_sha256)
        if not totp_code_verify(signatory, code):
            raise WrongCode
        locked.countersigned_at = now
        locked.countersigned_by = signatory
        locked.countersigned_role = held[0]
        locked.countersigned_sha256 = locked.document_sha256
        locked.save(
            update_fields=[
                "countersigned_at",
                "countersigned_by",
                "countersigned_role",
                "countersigned_sha256",
                "updated_at",
            ]
        )
        transition(
            AGREEMENT_WORKFLOW,
            locked,
            to=AgreementStatus.COUNTERSIGNED,
            actor=signatory,
            note=_("Countersigned as %(role)s") % {"role": _role_label(held[0])},
        )
        if award.status == AwardStatus.SIGNED_BY_PROVIDER:
            award_transition(
                award=award,
                to=AwardStatus.ACTIVE,
                actor=signatory,
                note=_("Agreement version %(v)s signed by both") % {"v": locked.version},
            )
        audit_event_record(
            actor=signatory,
            verb="agreement.countersigned",
            target=locked,
            office=award.office,
            data={
                "version": locked.version,
                "sha256": locked.countersigned_sha256,
                "role": held[0],
                "mfa": True,
                "code": True,
            },
        )
    agreement.refresh_from_db()
    return agreement


@background_job(label=gettext_lazy("Grant agreement e-mail"))
def agreement_sent_email(*, agreement_id: int) -> None:
    """E-mail the award's contact that the agreement is ready to read and sign, with its PDF."""
    agreement = Agreement.objects.select_related(
        "award", "award__office", "award__organisation"
    ).get(pk=agreement_id)
    if agreement.status != AgreementStatus.SENT or not agreement.sent_to:
        return
    award = agreement.award
    url = settings.SITE_URL + reverse(
        "awards:org_award", args=[award.organisation.ref, award.reference]
    )
    body = _(
        "Dear %(name)s,\n\n"
        "%(office)s has sent the grant agreement for %(project)s (%(ref)s), for %(org)s to "
        "sign. An administrator of %(org)s can read and sign it at %(url)s\n\n"
        "The agreement is attached as a PDF. No money is paid until the agreement has been "
        "signed by both parties.\n\n%(office)s"
    ) % {
        "name": award.contact_name or award.organisation.name,
        "office": award.office.name,
        "project": award.title,
        "ref": award.reference,
        "org": award.organisation.name,
        "url": url,
    }
    message = EmailMessage(
        subject=_("Grant agreement to sign: %(ref)s") % {"ref": award.reference},
        body=body,
        to=[agreement.sent_to],
    )
    message.attach(agreement.pdf_name, bytes(agreement.document_pdf), "application/pdf")
    message.send()
    audit_event_record(
        actor=None,
        verb="agreement.emailed",
        target=agreement,
        office=award.office,
        data={"version": agreement.version},
    )
