"""Every change to an organisation, its members, policies and documents. Each runs in one
transaction, writes an audit event and raises DomainError with a plain-English message."""

import datetime as dt

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.accounts.services import user_owns_address as user_has_address
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.core.uploads import CheckedUpload, store_upload, stored_file_values
from commissioning.organisations.hooks import organisation_updated_handlers
from commissioning.organisations.identifiers import (
    IdentifierError,
    normalise_charity_number,
    normalise_company_number,
    normalise_postcode,
    org_id_for,
)
from commissioning.organisations.models import (
    ApplicantType,
    Invitation,
    Organisation,
    OrganisationDocument,
    OrganisationMember,
    PolicyDocument,
)
from commissioning.organisations.permissions import (
    can_add_documents,
    can_change_organisation,
    can_manage_members,
    forget_organisation_roles,
)
from commissioning.organisations.tokens import (
    INVITATION_DAYS,
    LINKS,
    InvitationLinkError,
    invitation_url,
)

Role = OrganisationMember.Role
LegalForm = Organisation.LegalForm

NEEDS_CHARITY_NUMBER = frozenset({LegalForm.CIO})
NEEDS_COMPANY_NUMBER = frozenset(
    {LegalForm.CHARITABLE_COMPANY, LegalForm.COMPANY_LIMITED_BY_GUARANTEE, LegalForm.CIC}
)
DETAIL_FIELDS = (
    "name",
    "legal_form",
    "applicant_type",
    "charity_number",
    "company_number",
    "org_id",
    "address",
    "postcode",
    "website",
    "email",
)
POLICY_FOLDER = "organisations/policies"
DOCUMENT_FOLDER = "organisations/documents"


# Organisations


def organisation_register(
    *,
    actor,
    name: str,
    legal_form: str,
    applicant_type: str,
    address: str,
    postcode: str,
    email: str,
    charity_number: str = "",
    company_number: str = "",
    website: str = "",
) -> Organisation:
    """Register an organisation; the person registering it becomes its administrator.

    Refused when its charity or company number is already registered: one organisation applies
    to every office, so its members invite each other instead.
    """
    details = _clean_details(
        name=name,
        legal_form=legal_form,
        applicant_type=applicant_type,
        charity_number=charity_number,
        company_number=company_number,
        address=address,
        postcode=postcode,
        website=website,
        email=email,
    )
    try:
        with transaction.atomic():
            _refuse_duplicate(details)
            organisation = Organisation(**details, created_by=actor, updated_by=actor)
            organisation._history_user = actor
            organisation.save()
            OrganisationMember.objects.create(
                organisation=organisation, user=actor, role=Role.ADMIN, created_by=actor
            )
            audit_event_record(
                actor=actor,
                verb="organisation.registered",
                target=organisation,
                data={"org_id": organisation.org_id},
            )
    except IntegrityError:
        _refuse_duplicate(details)
        raise
    forget_organisation_roles(actor)
    return organisation


def organisation_update(*, organisation: Organisation, actor, **fields) -> Organisation:
    """Change an organisation's details (any of DETAIL_FIELDS but org_id, which follows from
    the numbers). Only its administrators may."""
    unknown = set(fields) - set(DETAIL_FIELDS) | ({"org_id"} & set(fields))
    if unknown:
        raise TypeError(f"Not organisation details: {sorted(unknown)}")
    if not can_change_organisation(actor, organisation):
        raise DomainError(_("Only the organisation's administrators can change its details."))
    current = {f: getattr(organisation, f) for f in DETAIL_FIELDS if f != "org_id"}
    details = _clean_details(**{**current, **fields})
    changed = [f for f in DETAIL_FIELDS if getattr(organisation, f) != details[f]]
    if not changed:
        return organisation
    with transaction.atomic():
        _refuse_duplicate(details, exclude=organisation)
        before = {f: getattr(organisation, f) for f in changed}
        for field in changed:
            setattr(organisation, field, details[field])
        organisation.updated_by = actor
        organisation._history_user = actor
        try:
            with transaction.atomic():
                organisation.save(update_fields=[*changed, "updated_by", "updated_at"])
        except IntegrityError:
            _refuse_duplicate(details, exclude=organisation)
            raise
        audit_event_record(
            actor=actor,
            verb="organisation.updated",
            target=organisation,
            data={"before": before, "after": {f: details[f] for f in changed}},
        )
        for handler in organisation_updated_handlers():
            handler(organisation=organisation, changed=tuple(changed), actor=actor)
    return organisation


def _clean_details(**values) -> dict:
    """Normalised details, or DomainError naming the first field that is wrong."""
    details = {key: str(value or "").strip() for key, value in values.items()}
    required = {
        "name": _("Enter the name of the organisation"),
        "legal_form": _("Select the legal form of the organisation"),
        "applicant_type": _("Select the type of organisation"),
        "address": _("Enter the address of the organisation"),
        "postcode": _("Enter the postcode"),
        "email": _("Enter a contact e-mail address"),
    }
    for field, message in required.items():
        if not details.get(field):
            raise DomainError(message, field=field)
    if details["legal_form"] not in LegalForm.values:
        raise DomainError(_("Select the legal form of the organisation"), field="legal_form")
    if details["applicant_type"] not in ApplicantType.values:
        raise DomainError(_("Select the type of organisation"), field="applicant_type")
    for field, normalise in (
        ("charity_number", normalise_charity_number),
        ("company_number", normalise_company_number),
        ("postcode", normalise_postcode),
    ):
        if details[field]:
            try:
                details[field] = normalise(details[field])
            except IdentifierError as error:
                raise DomainError(str(error), field=field) from None
    if details["legal_form"] in NEEDS_CHARITY_NUMBER and not details["charity_number"]:
        raise DomainError(
            _(
                "Enter the charity number: every charitable incorporated organisation is "
                "registered with the Charity Commission"
            ),
            field="charity_number",
        )
    if details["legal_form"] in NEEDS_COMPANY_NUMBER and not details["company_number"]:
        raise DomainError(
            _("Enter the company number: %(form)s is registered at Companies House")
            % {"form": str(LegalForm(details["legal_form"]).label).lower()},
            field="company_number",
        )
    details["org_id"] = org_id_for(
        charity_number=details["charity_number"], company_number=details["company_number"]
    )
    return details


def _refuse_duplicate(details: dict, *, exclude: Organisation | None = None) -> None:
    checks = [
        ("charity_number", _("charity number")),
        ("company_number", _("company number")),
    ]
    existing = Organisation.objects.all()
    if exclude is not None:
        existing = existing.exclude(pk=exclude.pk)
    for field, label in checks:
        number = details.get(field)
        if number and existing.filter(Q(**{field: number}) | Q(org_id=details["org_id"])).exists():
            raise DomainError(
                _(
                    "An organisation with %(label)s %(number)s is already registered; ask one of "
                    "its members to invite you."
                )
                % {"label": label, "number": number},
                field=field,
            )


# Members and invitations


def invitation_send(
    *, organisation: Organisation, email: str, role: str = Role.MEMBER, actor
) -> Invitation:
    """Invite someone by e-mail. They get a link that works once, for 14 days. Inviting the same
    address again replaces the earlier invitation."""
    if not can_manage_members(actor, organisation):
        raise DomainError(_("Only the organisation's administrators can invite people."))
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(_("Enter the e-mail address of the person to invite"), field="email")
    if role not in Role.values:
        raise DomainError(_("Select what the person can do"), field="role")
    if OrganisationMember.objects.filter(
        Q(user__email__iexact=email)
        | Q(user__emailaddress__email__iexact=email, user__emailaddress__verified=True),
        organisation=organisation,
    ).exists():
        raise DomainError(
            _("%(email)s is already a member of %(name)s.")
            % {"email": email, "name": organisation.name},
            field="email",
        )
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            organisation=organisation,
            email=email,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
        ).update(withdrawn_at=now, updated_at=now, updated_by=actor)
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            expires_at=now + dt.timedelta(days=INVITATION_DAYS),
            created_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="organisation.invitation_sent",
            target=organisation,
            data={"email": email, "role": role, "invitation": invitation.ref},
        )
        # Organisations belong to no office: a failed invitation is listed for system admins.
        job_enqueue(send_invitation, invitation_id=invitation.pk)
    return invitation


@background_job(label=gettext_lazy("Organisation invitation e-mail"))
def send_invitation(*, invitation_id: int) -> None:
    """E-mail an invitation's link, unless it has been accepted, withdrawn or has expired."""
    invitation = (
        Invitation.objects.select_related("organisation", "created_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.state_at(timezone.now()) != Invitation.State.PENDING:
        return
    subject, body = _invitation_email(invitation, invitation.created_by)
    send_mail(subject, body, None, [invitation.email])


def _invitation_email(invitation: Invitation, actor) -> tuple[str, str]:
    subject = _("Join %(name)s on the commissioning and grants service") % {
        "name": invitation.organisation.name
    }
    body = render_to_string(
        "organisations/email/invitation.txt",
        {
            "invitation": invitation,
            "inviter": actor.get_full_name() if actor else invitation.organisation.name,
            "organisation": invitation.organisation,
            "role": Role(invitation.role).label,
            "url": invitation_url(invitation),
            "expires": timezone.localtime(invitation.expires_at),
        },
    )
    return subject, body


def invitation_withdraw(*, invitation: Invitation, actor) -> None:
    if not can_manage_members(actor, invitation.organisation):
        raise DomainError(_("Only the organisation's administrators can withdraw invitations."))
    with transaction.atomic():
        invitation = LINKS.lock_open(invitation)
        invitation.withdrawn_at = timezone.now()
        invitation.updated_by = actor
        invitation.save(update_fields=["withdrawn_at", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="organisation.invitation_withdrawn",
            target=invitation.organisation,
            data={"email": invitation.email, "invitation": invitation.ref},
        )


def invitation_accept(*, invitation: Invitation, user) -> OrganisationMember:
    """Join the organisation through an invitation sent to one of the user's addresses."""
    with transaction.atomic():
        invitation = LINKS.lock_open(invitation, related=("organisation",))
        if not user_has_address(user, invitation.email):
            raise DomainError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invitation.email}
            )
        membership, created = OrganisationMember.objects.get_or_create(
            organisation=invitation.organisation,
            user=user,
            defaults={"role": invitation.role, "created_by": invitation.created_by},
        )
        if not created and invitation.role == Role.ADMIN and membership.role != Role.ADMIN:
            membership.role = Role.ADMIN
            membership.updated_by = user
            membership.save(update_fields=["role", "updated_by", "updated_at"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        audit_event_record(
            actor=user,
            verb="organisation.invitation_accepted",
            target=invitation.organisation,
            data={"email": invitation.email, "role": membership.role, "joined": created},
        )
    forget_organisation_roles(user)
    return membership


def member_remove(*, membership: OrganisationMember, actor) -> None:
    """Remove a member. The last administrator cannot be removed."""
    organisation = membership.organisation
    if not can_manage_members(actor, organisation):
        raise DomainError(_("Only the organisation's administrators can remove members."))
    with transaction.atomic():
        admins = list(
            OrganisationMember.objects.select_for_update()
            .filter(organisation=organisation, role=Role.ADMIN)
            .values_list("pk", flat=True)
        )
        if membership.pk in admins and len(admins) <= 1:
            raise DomainError(
                _(
                    "%(name)s is the only administrator of %(organisation)s and cannot be "
                    "removed. Invite another administrator first."
                )
                % {"name": membership.user.get_full_name(), "organisation": organisation.name}
            )
        deleted, _rows = OrganisationMember.objects.filter(pk=membership.pk).delete()
        if not deleted:
            raise DomainError(_("This person is no longer a member."))
        audit_event_record(
            actor=actor,
            verb="organisation.member_removed",
            target=organisation,
            data={"email": membership.user.email, "role": membership.role},
        )
    forget_organisation_roles(membership.user)
    forget_organisation_roles(actor)


# Policies and documents


def policy_document_add(
    *,
    organisation: Organisation,
    kind: str,
    upload: CheckedUpload,
    adopted_on: dt.date,
    review_due_on: dt.date,
    actor,
    title: str = "",
    today: dt.date | None = None,
) -> PolicyDocument:
    """Put a policy on file. A newer policy of the same kind takes over; the old one is kept."""
    if not can_add_documents(actor, organisation):
        raise DomainError(_("Only the organisation's members can add its policies."))
    today = today or timezone.localdate()
    title = (title or "").strip()
    if kind not in PolicyDocument.Kind.values:
        raise DomainError(_("Select which policy this is"), field="kind")
    if kind == PolicyDocument.Kind.OTHER and not title:
        raise DomainError(_("Enter the name of the policy"), field="title")
    if adopted_on > today:
        raise DomainError(
            _("The date the policy was adopted must be today or in the past"), field="adopted_on"
        )
    if review_due_on <= adopted_on:
        raise DomainError(
            _("The review date must be after the date the policy was adopted"),
            field="review_due_on",
        )
    path = store_upload(upload, folder=POLICY_FOLDER)
    with transaction.atomic():
        policy = PolicyDocument.objects.create(
            organisation=organisation,
            kind=kind,
            title=title[:200],
            adopted_on=adopted_on,
            review_due_on=review_due_on,
            created_by=actor,
            **stored_file_values(upload, path),
        )
        audit_event_record(
            actor=actor,
            verb="organisation.policy_added",
            target=organisation,
            data={
                "policy": policy.ref,
                "kind": kind,
                "adopted_on": adopted_on,
                "review_due_on": review_due_on,
                "filename": policy.filename,
            },
        )
    return policy


def organisation_document_add(
    *,
    organisation: Organisation,
    kind: str,
    upload: CheckedUpload,
    actor,
    title: str = "",
    period_end: dt.date | None = None,
    today: dt.date | None = None,
) -> OrganisationDocument:
    """Put a document on file, such as annual accounts for a period."""
    if not can_add_documents(actor, organisation):
        raise DomainError(_("Only the organisation's members can add its documents."))
    today = today or timezone.localdate()
    title = (title or "").strip()
    if kind not in OrganisationDocument.Kind.values:
        raise DomainError(_("Select what kind of document this is"), field="kind")
    if kind == OrganisationDocument.Kind.OTHER and not title:
        raise DomainError(_("Enter a title for the document"), field="title")
    if kind in OrganisationDocument.KINDS_WITH_PERIOD:
        if period_end is None:
            raise DomainError(_("Enter the date the period ended"), field="period_end")
        if period_end > today:
            raise DomainError(
                _("The end of the period must be today or in the past"), field="period_end"
            )
    path = store_upload(upload, folder=DOCUMENT_FOLDER)
    with transaction.atomic():
        document = OrganisationDocument.objects.create(
            organisation=organisation,
            kind=kind,
            title=title[:200],
            period_end=period_end,
            created_by=actor,
            **stored_file_values(upload, path),
        )
        audit_event_record(
            actor=actor,
            verb="organisation.document_added",
            target=organisation,
            data={
                "document": document.ref,
                "kind": kind,
                "period_end": period_end,
                "filename": document.filename,
            },
        )
    return document


__all__ = [
    "InvitationLinkError",
    "invitation_accept",
    "invitation_send",
    "invitation_withdraw",
    "member_remove",
    "organisation_document_add",
    "organisation_register",
    "organisation_update",
    "policy_document_add",
    "user_has_address",
]
