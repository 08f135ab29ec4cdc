"""Endorsements (AP5): the applicant names an endorser for each kind of support the fund asks
for, and the endorser answers through a signed, expiring, one-time link without an account.

The link carries the endorsement's id and its current nonce, signed with a timestamp. Sending a
request again gives the endorsement a new nonce, so every earlier link stops working; answering
ends the request, so the link cannot be used twice.
"""

import secrets
from datetime import timedelta
from hmac import compare_digest

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.applications.models import Application, Endorsement, Status
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.core.money import format_pounds
from commissioning.organisations.models import OrganisationMember

LINK_LIFETIME = timedelta(days=14)
# A request may be sent, and sent again, this many times in any 24 hours, by the applicant and
# officers together: enough to correct an address, too few to flood an endorser's inbox.
REQUESTS_A_DAY = 3
LINK_SALT = "commissioning.endorsements.respond"
# Requests may be sent while the applicant is writing and again while officers check it:
# sending one changes none of the applicant's answers, so a submitted application allows it.
REQUESTABLE_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.SCREENING})
# Where an endorser's answer runs the screening again, so its endorsement check is current.
RESCREEN_STATUSES = frozenset({Status.SUBMITTED, Status.SCREENING})
# Once an application is withdrawn or decided, an endorser's answer no longer counts.
CLOSED_STATUSES = frozenset({Status.WITHDRAWN, Status.APPROVED, Status.DECLINED})
OPEN_STATES = frozenset({Endorsement.State.NOT_SENT, Endorsement.State.REQUESTED})


class EndorsementLinkError(DomainError):
    """An endorser's link cannot be used. `reason` is one of: invalid, expired, replaced,
    answered, closed. For 'answered' the endorsement is attached, to show what was said."""

    def __init__(self, reason: str, message: str, *, endorsement: Endorsement | None = None):
        super().__init__(message)
        self.reason = reason
        self.endorsement = endorsement


def required_kinds(application: Application) -> dict[str, str]:
    """The kinds of endorsement the fund asks for, each with the pack's description."""
    return {item["kind"]: item["description"] for item in application.fund.required_endorsements}


def endorsement_link_token(endorsement: Endorsement) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign_object(
        {"id": endorsement.pk, "nonce": endorsement.nonce}
    )


def endorsement_link_url(endorsement: Endorsement) -> str:
    token = endorsement_link_token(endorsement)
    return settings.SITE_URL + reverse("endorsements:respond", args=[token])


def endorsement_for_token(token: str, *, lock: bool = False) -> Endorsement:
    """The endorsement a link is for, if the link can still be answered; otherwise raise
    EndorsementLinkError saying why. Nothing is read from the database before the signature
    and its age have been checked."""
    try:
        payload = signing.TimestampSigner(salt=LINK_SALT).unsign_object(
            token, max_age=LINK_LIFETIME
        )
    except signing.SignatureExpired:
        raise EndorsementLinkError(
            "expired", _("This link has expired. Links work for 14 days.")
        ) from None
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        raise _invalid_link() from None
    if not isinstance(payload, dict):
        raise _invalid_link()
    pk, nonce = payload.get("id"), payload.get("nonce")
    if not isinstance(pk, int) or not isinstance(nonce, str) or not nonce:
        raise _invalid_link()
    queryset = Endorsement.objects.select_related(
        "application", "application__office", "application__fund", "application__organisation"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    endorsement = queryset.filter(pk=pk).first()
    if endorsement is None:
        raise _invalid_link()
    if not compare_digest(endorsement.nonce, nonce):
        raise EndorsementLinkError(
            "replaced",
            _("This link has been replaced by a newer one. Use the link in the latest e-mail."),
        )
    if endorsement.state in {Endorsement.State.CONFIRMED, Endorsement.State.DECLINED}:
        raise EndorsementLinkError(
            "answered", _("You have already answered this request."), endorsement=endorsement
        )
    if endorsement.state != Endorsement.State.REQUESTED:
        raise _invalid_link()
    if endorsement.application.status in CLOSED_STATUSES:
        raise EndorsementLinkError(
            "closed", _("This application is no longer being considered, so no answer is needed.")
        )
    return endorsement


def _invalid_link() -> EndorsementLinkError:
    return EndorsementLinkError(
        "invalid", _("This link is not valid. Check that you copied all of it from the e-mail.")
    )


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("office", "fund", "organisation")
        .get(pk=application.pk)
    )


def _require_draft(application: Application) -> None:
    if not application.is_editable:
        raise DomainError(
            _("This application has been submitted, so its endorsers can no longer be changed.")
        )


def endorsement_add(
    *,
    application: Application,
    actor,
    kind: str,
    endorser_name: str,
    endorser_email: str,
    endorser_role: str,
) -> Endorsement:
    """Name the endorser for one kind of support the fund asks for (one endorser a kind)."""
    with transaction.atomic():
        locked = _lock_application(application)
        _require_draft(locked)
        kinds = required_kinds(locked)
        if kind not in kinds:
            raise DomainError(
                _("This fund does not ask for that kind of endorsement."), field="kind"
            )
        if locked.endorsements.filter(kind=kind).exists():
            raise DomainError(
                _("You have already named an endorser for this. Remove them to name someone else."),
                field="kind",
            )
        endorsement = Endorsement.objects.create(
            application=locked,
            kind=kind,
            endorser_name=endorser_name.strip(),
            endorser_email=endorser_email.strip(),
            endorser_role=endorser_role.strip(),
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(
            actor=actor,
            verb="endorsement.added",
            target=endorsement,
            office=locked.office,
            data={
                "application": locked.public_id,
                "kind": kind,
                "endorser": endorsement.endorser_email,
            },
        )
    return endorsement


def endorsement_remove(*, endorsement: Endorsement, actor) -> None:
    """Remove a named endorser from a draft. Any link already sent stops working."""
    with transaction.atomic():
        locked = _lock_application(endorsement.application)
        _require_draft(locked)
        audit_event_record(
            actor=actor,
            verb="endorsement.removed",
            target=endorsement,
            office=locked.office,
            data={
                "application": locked.public_id,
                "kind": endorsement.kind,
                "endorser": endorsement.endorser_email,
                "state": endorsement.state,
            },
        )
        endorsement.delete()


def endorsement_request(*, endorsement: Endorsement, actor, now=None) -> Endorsement:
    """E-mail the endorser a new link, as background work after commit. Any earlier link stops
    working."""
    now = now or timezone.now()
    with transaction.atomic():
        application = _lock_application(endorsement.application)
        (locked,) = endorsement_requests_send(
            application=application, endorsements=[endorsement], actor=actor, now=now
        )
    locked.application = application
    return locked


def endorsement_requests_send(
    *, application: Application, endorsements, actor, now
) -> list[Endorsement]:
    """E-mail each of these endorsers of `application` a new link, as `endorsement_request`
    does, for a caller whose transaction has locked the application's row already (submitting
    it). All are sent or, if one cannot be, none."""
    with transaction.atomic(savepoint=False):
        if application.status not in REQUESTABLE_STATUSES:
            raise DomainError(
                _(
                    "Endorsement requests can only be sent until officers have checked the "
                    "application."
                )
            )
        wanted = [e.pk for e in endorsements]
        rows = {
            e.pk: e
            for e in Endorsement.objects.select_for_update()
            .filter(pk__in=wanted, application=application)
            .order_by("pk")
        }
        sent = _sent_in_last_day(rows, now)
        done = []
        for pk in wanted:
            locked = rows.get(pk)
            if locked is None:
                raise Endorsement.DoesNotExist(f"Endorsement {pk} is not this application's.")
            if locked.state not in OPEN_STATES:
                raise DomainError(
                    _("%(name)s has already answered.") % {"name": locked.endorser_name}
                )
            _check_rate(locked, sent.get(str(pk), []))
            resent = locked.state == Endorsement.State.REQUESTED
            locked.nonce = secrets.token_hex(16)
            locked.state = Endorsement.State.REQUESTED
            locked.requested_at = now
            locked.updated_by = actor
            locked.save(
                update_fields=["nonce", "state", "requested_at", "updated_by", "updated_at"]
            )
            audit_event_record(
                actor=actor,
                verb="endorsement.requested",
                target=locked,
                office=application.office,
                data={"application": application.public_id, "resent": resent},
            )
            job_enqueue(
                send_endorsement_request, office=application.office, endorsement_id=locked.pk
            )
            done.append(locked)
    return done


def _sent_in_last_day(endorsements, now) -> dict[str, list]:
    """When each endorsement's request was sent in the 24 hours before `now`, oldest first,
    by the endorsement's id (as the audit trail keeps it); one query for them all."""
    sent: dict[str, list] = {}
    rows = (
        AuditEvent.objects.filter(
            verb="endorsement.requested",
            target_type=Endorsement._meta.label_lower,
            target_id__in=[str(pk) for pk in endorsements],
            occurred_at__gt=now - timedelta(days=1),
        )
        .order_by("occurred_at")
        .values_list("target_id", "occurred_at")
    )
    for target_id, occurred_at in rows:
        sent.setdefault(target_id, []).append(occurred_at)
    return sent


def _check_rate(endorsement: Endorsement, sent: list) -> None:
    if len(sent) >= REQUESTS_A_DAY:
        again = timezone.localtime(sent[-REQUESTS_A_DAY] + timedelta(days=1))
        raise DomainError(
            _(
                "A request has been sent to %(name)s %(count)s times in the last 24 hours. "
                "You can send it again after %(time)s on %(date)s."
            )
            % {
                "name": endorsement.endorser_name,
                "count": len(sent),
                "time": again.strftime("%-I:%M%p").lower(),
                "date": date_format(again, "j F Y"),
            }
        )


def endorsement_respond(*, token: str, confirms: bool, comment: str = "", now=None) -> Endorsement:
    """Record the endorser's answer. The link then stops working. A decline needs a reason."""
    now = now or timezone.now()
    comment = comment.strip()
    if not confirms and not comment:
        raise DomainError(_("Say why you do not support this application"), field="comment")
    with transaction.atomic():
        endorsement = endorsement_for_token(token, lock=True)
        endorsement.state = Endorsement.State.CONFIRMED if confirms else Endorsement.State.DECLINED
        endorsement.responded_at = now
        endorsement.comment = comment
        endorsement.save(update_fields=["state", "responded_at", "comment", "updated_at"])
        application = endorsement.application
        audit_event_record(
            actor=None,
            verb=f"endorsement.{endorsement.state}",
            target=endorsement,
            office=application.office,
            data={"application": application.public_id, "endorser": endorsement.endorser_email},
        )
        job_enqueue(
            send_endorsement_answer, office=application.office, endorsement_id=endorsement.pk
        )
        job_enqueue(
            screen_after_endorsement, office=application.office, application_id=application.pk
        )
    return endorsement


@background_job(label=gettext_lazy("Screening after an endorser answers"))
def screen_after_endorsement(*, application_id: int) -> None:
    """Run the screening again once an endorser answers an application officers are still
    checking, so its endorsement check says what the endorser said. If it cannot run, the job is
    tried again, then listed as failed; an officer can also run it from the application page."""
    from commissioning.applications.screening.services import screening_run

    application = Application.objects.filter(
        pk=application_id, status__in=RESCREEN_STATUSES
    ).first()
    if application is None:
        return
    screening_run(application=application, actor=None)


def _member_emails(organisation) -> list[str]:
    return list(
        OrganisationMember.objects.filter(organisation=organisation, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def _endorsement(endorsement_id: int) -> Endorsement | None:
    return (
        Endorsement.objects.select_related(
            "application", "application__office", "application__fund", "application__organisation"
        )
        .filter(pk=endorsement_id)
        .first()
    )


@background_job(label=gettext_lazy("Endorsement request e-mail"))
def send_endorsement_request(*, endorsement_id: int) -> None:
    """E-mail the endorser the signed link for their request. The link is signed here, when the
    e-mail goes, with the request's current nonce; a request answered or removed since is not
    sent."""
    endorsement = _endorsement(endorsement_id)
    if endorsement is None or endorsement.state != Endorsement.State.REQUESTED:
        return
    application = endorsement.application
    url = endorsement_link_url(endorsement)
    expires = timezone.now() + LINK_LIFETIME
    amount = (
        format_pounds(application.amount_requested)
        if application.amount_requested is not None
        else _("an amount not yet given")
    )
    send_mail(
        subject=_("Please confirm your support for %(organisation)s")
        % {"organisation": application.organisation.name},
        message=_(
            "Dear %(name)s,\n\n"
            "%(organisation)s is applying to %(office)s for %(amount)s from %(fund)s for "
            "'%(title)s'. It has named you (%(role)s) for: %(what)s\n\n"
            "Read a summary of the application and tell us whether you support it:\n%(url)s\n\n"
            "You do not need an account. The link works once, until %(expires)s.\n\n"
            "If you do not know about this application, you can ignore this e-mail or tell "
            "%(office)s%(contact)s.\n"
        )
        % {
            "name": endorsement.endorser_name,
            "organisation": application.organisation.name,
            "office": application.office.name,
            "amount": amount,
            "fund": application.fund.name,
            "title": application.title or _("an untitled project"),
            "role": endorsement.endorser_role,
            "what": required_kinds(application).get(
                endorsement.kind, endorsement.get_kind_display()
            ),
            "url": url,
            "expires": date_format(timezone.localtime(expires), "j F Y"),
            "contact": f" ({application.office.email})" if application.office.email else "",
        },
        from_email=None,
        recipient_list=[endorsement.endorser_email],
    )


@background_job(label=gettext_lazy("Endorsement answer e-mail"))
def send_endorsement_answer(*, endorsement_id: int) -> None:
    """Tell the organisation's members what an endorser answered."""
    endorsement = _endorsement(endorsement_id)
    if endorsement is None:
        return
    application = endorsement.application
    recipients = _member_emails(application.organisation)
    if not recipients:
        return
    values = {
        "name": endorsement.endorser_name,
        "role": endorsement.endorser_role,
        "title": application.title or application.reference,
    }
    if endorsement.state == Endorsement.State.CONFIRMED:
        subject = _("%(name)s supports your application") % values
        message = _("%(name)s (%(role)s) has confirmed their support for '%(title)s'.\n") % values
    else:
        subject = _("%(name)s does not support your application") % values
        message = _("%(name)s (%(role)s) has declined to support '%(title)s'.\n") % values
    if endorsement.comment:
        message += "\n" + _("Their comment: %(comment)s") % {"comment": endorsement.comment} + "\n"
    send_mail(subject=subject, message=message, from_email=None, recipient_list=recipients)
