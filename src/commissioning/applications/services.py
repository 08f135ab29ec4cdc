"""Every write to rounds and applications. Each function runs in one transaction, checks the
state it starts from, writes an audit event, and sends e-mail after commit."""

import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.applications.completeness import missing_parts
from commissioning.applications.endorsements.services import endorsement_requests_send
from commissioning.applications.models import (
    APPLICATION_WORKFLOW,
    Application,
    BudgetLine,
    Endorsement,
    MatchFunding,
    Outcome,
    Output,
    ReferenceSequence,
    Round,
    Status,
)
from commissioning.applications.rules import reference_for
from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.core.transitions import transition

logger = logging.getLogger(__name__)


class IncompleteApplication(DomainError):
    def __init__(self, missing):
        super().__init__(_("The application is not finished yet."))
        self.missing = missing


def new_public_id() -> str:
    return secrets.token_urlsafe(9)


def application_transition(
    *, application: Application, to: str, actor, note: str = "", also: dict | None = None
) -> None:
    """Move an application to another state if the table allows the move from the state it is
    in now; lock its row and record who, when and why (core's transition guard). `also`: other
    fields saved with the new state."""
    transition(APPLICATION_WORKFLOW, application, to=to, actor=actor, note=note, also=also)


def application_start(*, round: Round, organisation, actor, now=None) -> Application:
    """A new draft for an organisation. Refused once the round has closed."""
    now = now or timezone.now()
    if not round.is_open(now):
        raise DomainError(_("%(round)s is not open for applications.") % {"round": round.title})
    with transaction.atomic():
        application = Application.objects.create(
            office=round.office,
            fund=round.fund,
            round=round,
            organisation=organisation,
            public_id=new_public_id(),
            created_by=actor,
            updated_by=actor,
        )
        audit_event_record(
            actor=actor, verb="application.started", target=application, office=round.office
        )
    return application


def _lock_draft(application: Application) -> Application:
    """The application's row, locked until the caller's transaction ends, if it may still be
    changed. The check reads the locked row, never the caller's copy: that copy may have been
    loaded while the application was a draft and submitted by another request since."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=application.pk)
    )
    if not locked.is_editable:
        raise DomainError(_("This application has been submitted and can no longer be changed."))
    return locked


def _record_edit(
    *, application: Application, actor, fields: list[str], saved: tuple = (), **data
) -> None:
    """Save the draft's own changed columns (`saved`) with who changed it, and write one audit
    event for this save, naming the parts that changed."""
    application.updated_by = actor
    application.save(update_fields=[*saved, "updated_by", "updated_at"])
    audit_event_record(
        actor=actor,
        verb="application.updated",
        target=application,
        office=application.office,
        data={"fields": fields, **data},
    )


def _ids(objects) -> set:
    return {getattr(item, "pk", item) for item in objects}


def application_update(
    *, application: Application, actor, fields: dict, priorities=None, areas=None
) -> Application:
    """Save what one step of the form holds. Nothing typed is lost: partial answers are kept.
    A save that changes nothing writes nothing."""
    with transaction.atomic():
        locked = _lock_draft(application)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, fields[name])
        saved = tuple(changed)
        for name, chosen in (("priorities", priorities), ("areas", areas)):
            if chosen is None:
                continue
            related = getattr(locked, name)
            if _ids(chosen) != set(related.values_list("pk", flat=True)):
                related.set(chosen)
                changed.append(name)
        if changed:
            _record_edit(application=locked, actor=actor, fields=changed, saved=saved)
    for name, value in fields.items():
        setattr(application, name, value)
    return locked


ROW_MODELS = {
    "outcomes": Outcome,
    "outputs": Output,
    "budget_lines": BudgetLine,
    "match_funding": MatchFunding,
}


def application_set_rows(*, application: Application, actor, kind: str, rows: list[dict]) -> None:
    """Replace one kind of row (outcomes, outputs, budget lines, match funding) as a whole."""
    model = ROW_MODELS[kind]
    with transaction.atomic():
        locked = _lock_draft(application)
        existing = list(model.objects.filter(application=locked).order_by("position"))
        if len(existing) == len(rows) and all(
            getattr(old, name) == value
            for old, row in zip(existing, rows, strict=True)
            for name, value in row.items()
        ):
            return
        model.objects.filter(application=locked).delete()
        model.objects.bulk_create(
            model(application=locked, position=index, **row) for index, row in enumerate(rows)
        )
        _record_edit(application=locked, actor=actor, fields=[kind])


def application_add_row(*, application: Application, actor, kind: str, values: dict):
    """Append one outcome, output, budget line or match funding row."""
    model = ROW_MODELS[kind]
    with transaction.atomic():
        locked = _lock_draft(application)
        position = model.objects.filter(application=locked).count()
        row = model.objects.create(application=locked, position=position, **values)
        _record_edit(application=locked, actor=actor, fields=[kind], added=row.pk)
    return row


def application_remove_row(*, application: Application, actor, kind: str, row_id: int) -> None:
    model = ROW_MODELS[kind]
    with transaction.atomic():
        locked = _lock_draft(application)
        deleted, _count = model.objects.filter(application=locked, pk=row_id).delete()
        if not deleted:
            raise DomainError(_("That row has already been removed."))
        _record_edit(application=locked, actor=actor, fields=[kind], removed=row_id)


def application_confirm_declarations(*, application: Application, actor) -> None:
    """Confirm the declarations once; confirming again changes nothing."""
    with transaction.atomic():
        locked = _lock_draft(application)
        if locked.declarations_confirmed_at is None:
            locked.declarations_confirmed_at = timezone.now()
            fields = ["declarations_confirmed_at"]
            _record_edit(application=locked, actor=actor, fields=fields, saved=tuple(fields))
        application.declarations_confirmed_at = locked.declarations_confirmed_at


def _next_reference(application: Application, now) -> str:
    """The fund's next number for the year, in one statement that makes the year's counter or
    moves it on. The counter's row stays locked until the caller's transaction ends, so every
    submission to the fund waits for it: take it last, just before the commit."""
    year = timezone.localtime(now).year
    q = connection.ops.quote_name
    table, last = q(ReferenceSequence._meta.db_table), q("last")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({q('fund_id')}, {q('year')}, {last}) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT ({q('fund_id')}, {q('year')}) "
            f"DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}",
            [application.fund_id, year],
        )
        (number,) = cursor.fetchone()
    return reference_for(
        office_code=application.office.code,
        fund_code=application.fund.code,
        year=year,
        number=number,
    )


# What the completeness check reads, fetched with the locked row.
SUBMISSION_PARTS = (
    "priorities",
    "areas",
    "outcomes",
    "outputs",
    "budget_lines",
    "match_funding",
    "endorsements",
)


def application_submit(
    *, application: Application, actor, now=None, send_endorsement_requests: bool = False
) -> Application:
    """Lock, check, number and submit. Submitting twice (two tabs, a double click, two requests
    at once) yields one submission: the second call returns the first's result. The deadline is
    checked here, on the server; a late submission is refused and the draft kept. With
    send_endorsement_requests, every named endorser not yet asked is sent their request in the
    same transaction, so a refused submission sends nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("office", "fund", "round", "office__policy", "organisation")
            .get(pk=application.pk)
        )
        if locked.status != Status.DRAFT:
            if locked.submitted_at:
                return locked
            raise DomainError(_("This application can no longer be submitted."))
        if not locked.round.is_open(now):
            closes = timezone.localtime(locked.round.closes_at)
            raise DomainError(
                _(
                    "The deadline for %(round)s was %(time)s on %(date)s. Your application was "
                    "not submitted; your draft has been kept."
                )
                % {
                    "round": locked.round.title,
                    "time": closes.strftime("%-I:%M%p").lower(),
                    "date": closes.strftime("%-d %B %Y"),
                }
            )
        prefetch_related_objects([locked], *SUBMISSION_PARTS)
        missing = missing_parts(
            locked,
            application_policy=locked.office.policy.application,
            endorsements_required=locked.fund.required_endorsements,
        )
        if missing:
            raise IncompleteApplication(missing)
        unsent = [e for e in locked.endorsements.all() if e.state == Endorsement.State.NOT_SENT]
        if send_endorsement_requests and unsent:
            endorsement_requests_send(application=locked, endorsements=unsent, actor=actor, now=now)
        job_enqueue(send_receipt, office=locked.office, application_id=locked.pk)
        job_enqueue(screen_after_submission, office=locked.office, application_id=locked.pk)
        # Last: from here to the commit every other submission to the fund waits (the number).
        application_transition(
            application=locked,
            to=Status.SUBMITTED,
            actor=actor,
            also={
                "reference": _next_reference(locked, now),
                "submitted_at": now,
                "submitted_by": actor,
            },
        )
    return locked


@background_job(label=gettext_lazy("Application receipt e-mail"))
def send_receipt(*, application_id: int) -> None:
    """E-mail the person who submitted an application its reference and a link to it."""
    application = Application.objects.select_related("office", "round", "submitted_by").get(
        pk=application_id
    )
    url = settings.SITE_URL + reverse("applications:receipt", args=[application.public_id])
    send_mail(
        subject=_("Application %(ref)s received") % {"ref": application.reference},
        message=_(
            "Thank you. %(office)s has received your application '%(title)s' for "
            "£%(amount)s to %(round)s.\n\nYour reference is %(ref)s.\n\nYou can see what you "
            "sent, and download it as a PDF, at %(url)s\n"
        )
        % {
            "office": application.office.name,
            "title": application.title,
            "amount": f"{application.amount_requested:,.2f}",
            "round": application.round.title,
            "ref": application.reference,
            "url": url,
        },
        from_email=None,
        recipient_list=[application.submitted_by.email],
    )


@background_job(label=gettext_lazy("Screening after submission"))
def screen_after_submission(*, application_id: int) -> None:
    """Screen straight after submission. The submission stands even if screening cannot run:
    the job is tried again, then listed as failed, and an officer can also run screening from
    the application page."""
    from commissioning.applications.screening.services import screening_run

    application = Application.objects.filter(pk=application_id, status=Status.SUBMITTED).first()
    if application is None:
        return  # already screened, withdrawn or moved on before this ran
    screening_run(application=application, actor=None)


def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    """The applicant withdraws before a decision; nothing is deleted."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status in {Status.APPROVED, Status.DECLINED}:
            raise DomainError(
                _("A decision has been made, so this application cannot be withdrawn.")
            )
        if locked.status == Status.WITHDRAWN:
            return locked
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_reason = reason.strip()
        locked.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
        application_transition(application=locked, to=Status.WITHDRAWN, actor=actor, note=reason)
    return locked


def amount_within_range(amount: Decimal | None, round: Round) -> bool:
    if amount is None:
        return True
    low, high = round.award_min, round.award_max
    return (low is None or amount >= low) and (high is None or amount <= high)
