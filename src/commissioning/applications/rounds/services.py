"""Rounds (open calls): officers create one from a fund, edit it, publish it, extend its
deadline and close it early. Each function runs in one transaction, checks the state the round
starts from, writes an audit event, and e-mails as background work after commit.

A round is a draft (staff only), then published: scheduled until its opening time, open until
its deadline (a rolling round has none), then closed; or closed early by an officer.
"""

from datetime import datetime
from decimal import Decimal

from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.applications.models import Application, Round, RoundStatus, Status
from commissioning.audit.services import audit_event_record
from commissioning.core.dates import govuk_datetime
from commissioning.core.errors import DomainError
from commissioning.core.jobs import background_job, job_enqueue
from commissioning.core.money import format_pounds
from commissioning.organisations.models import OrganisationMember

TEXT_FIELDS = ("title", "summary", "theme", "criteria", "guidance")
DATE_FIELDS = ("opens_at", "closes_at")
AWARD_FIELDS = ("min_award", "max_award")
EDITABLE_FIELDS = (*TEXT_FIELDS, *DATE_FIELDS, *AWARD_FIELDS, "panel_dates")


def when(moment) -> str:
    """A time as people read it, in UK time: '30 January 2027 at 5pm'."""
    return govuk_datetime(moment)


def _lock(round_: Round) -> Round:
    return (
        Round.objects.select_for_update(of=("self",))
        .select_related("fund", "office")
        .get(pk=round_.pk)
    )


def _check_fund(fund) -> None:
    if not fund.open_to_applications or fund.archived_at is not None:
        raise DomainError(_("%(fund)s does not take applications.") % {"fund": fund.name})


def _check_values(fund, values: dict, now) -> None:
    """Rules every round keeps, whatever its state: a title, a deadline in the future and
    after the opening, and an award range within the fund's."""
    if not (values.get("title") or "").strip():
        raise DomainError(_("Enter a title for the round"), field="title")
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if closes is not None and closes <= now:
        raise DomainError(_("The deadline must be in the future"), field="closes_at")
    if opens is not None and closes is not None and closes <= opens:
        raise DomainError(
            _("The deadline must be after the round opens (%(opens)s)") % {"opens": when(opens)},
            field="closes_at",
        )
    low, high = values.get("min_award"), values.get("max_award")
    if low is not None and fund.min_award is not None and low < fund.min_award:
        raise DomainError(
            _("The smallest award cannot be less than the fund's minimum of %(amount)s")
            % {"amount": format_pounds(fund.min_award)},
            field="min_award",
        )
    if high is not None and fund.max_award is not None and high > fund.max_award:
        raise DomainError(
            _("The largest award cannot be more than the fund's maximum of %(amount)s")
            % {"amount": format_pounds(fund.max_award)},
            field="max_award",
        )
    if low is not None and high is not None and low > high:
        raise DomainError(
            _("The smallest award cannot be more than the largest"), field="min_award"
        )
    for name in AWARD_FIELDS:
        if values.get(name) is not None and values[name] <= Decimal(0):
            raise DomainError(_("An award must be more than £0"), field=name)


def _unique_slug(office, title: str) -> str:
    base = slugify(title)[:70] or "round"
    taken = set(
        Round.objects.filter(office=office, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _snapshot(round_: Round, names) -> dict:
    return {name: getattr(round_, name) for name in names}


def round_create(*, fund, actor, now=None, **fields) -> Round:
    """A draft round for a fund, seen by staff only until it is published. Anything not given
    comes from the fund; the web address is made from the title unless given."""
    now = now or timezone.now()
    unknown = set(fields) - {*EDITABLE_FIELDS, "slug"}
    if unknown:
        raise TypeError(f"round_create() got unexpected fields: {sorted(unknown)}")
    _check_fund(fund)
    values = {"summary": fund.summary, "guidance": fund.guidance, **fields}
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _check_values(fund, values, now)
    with transaction.atomic():
        slug = values.pop("slug", "") or _unique_slug(fund.office, values["title"])
        if Round.objects.filter(office=fund.office, slug=slug).exists():
            raise DomainError(_("Another round already has this web address."), field="title")
        round_ = Round.objects.create(
            office=fund.office,
            fund=fund,
            slug=slug,
            status=RoundStatus.DRAFT,
            created_by=actor,
            updated_by=actor,
            **values,
        )
        audit_event_record(
            actor=actor,
            verb="round.created",
            target=round_,
            office=fund.office,
            data={"fund": fund.code, **_snapshot(round_, DATE_FIELDS)},
        )
    return round_


def round_project_link(*, round: Round, actor, project) -> Round:
    """Name the commissioning project the round's funding is for (or none)."""
    if project is not None and project.office_id != round.office_id:
        raise DomainError(_("Choose one of the office's own projects."), field="project")
    with transaction.atomic():
        locked = _lock(round)
        if locked.project_id == getattr(project, "pk", None):
            return locked
        old = locked.project.reference if locked.project_id else ""
        locked.project = project
        locked.updated_by = actor
        locked.save(update_fields=["project", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="round.project_linked",
            target=locked,
            office=locked.office,
            data={"from": old, "to": project.reference if project else ""},
        )
    round.project = project
    return locked


def round_update(*, round: Round, actor, now=None, **fields) -> Round:
    """Change a round. A draft or a round not yet open can change anything; an open round keeps
    its dates and award range (extend or close it instead); a closed one keeps its dates."""
    now = now or timezone.now()
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"round_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(round)
        fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
        changed = {k: v for k, v in fields.items() if getattr(locked, k) != v}
        stage = locked.stage(now)
        dates = [name for name in DATE_FIELDS if name in changed]
        if stage == "closed" and dates:
            raise DomainError(
                _("This round has closed, so its dates cannot change."), field=dates[0]
            )
        if stage == "open":
            if "opens_at" in changed:
                raise DomainError(
                    _("This round is open, so its opening time cannot change."), field="opens_at"
                )
            if "closes_at" in changed:
                raise DomainError(
                    _("This round is open: extend its deadline or close it early instead."),
                    field="closes_at",
                )
            awards = [name for name in AWARD_FIELDS if name in changed]
            if awards:
                raise DomainError(
                    _("This round is open, so its award range cannot change."), field=awards[0]
                )
        if not changed:
            return locked
        values = {name: getattr(locked, name) for name in EDITABLE_FIELDS} | changed
        if stage in {"open", "closed"}:
            # Dates already past stay as they were; only what changes now is checked.
            values["closes_at"] = None
        _check_values(locked.fund, values, now)
        before = _snapshot(locked, changed)
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.updated_by = actor
        locked.save(update_fields=[*changed, "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="round.updated",
            target=locked,
            office=locked.office,
            data={"before": before, "after": changed},
        )
    return locked


def round_open(*, round: Round, actor, now=None) -> Round:
    """Publish a draft: it appears on the public funding page and takes applications from its
    opening time (now, if none was set) until its deadline."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(round)
        if locked.status != RoundStatus.DRAFT:
            raise DomainError(_("This round has already been published."))
        _check_fund(locked.fund)
        for name, message in (
            ("summary", _("Add a summary before publishing the round")),
            ("criteria", _("Add the criteria before publishing the round")),
        ):
            if not getattr(locked, name).strip():
                raise DomainError(message, field=name)
        if locked.opens_at is None:
            locked.opens_at = now
        values = {name: getattr(locked, name) for name in EDITABLE_FIELDS}
        _check_values(locked.fund, values, now)
        locked.status = RoundStatus.PUBLISHED
        locked.updated_by = actor
        locked.save(update_fields=["status", "opens_at", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="round.opened",
            target=locked,
            office=locked.office,
            data=_snapshot(locked, DATE_FIELDS),
        )
    return locked


def round_extend(*, round: Round, actor, closes_at, reason: str, now=None) -> Round:
    """Move a published round's deadline later, with the reason recorded. Applicants with a
    draft in the round are told by e-mail."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(round)
        if locked.status == RoundStatus.DRAFT:
            raise DomainError(
                _("This round is a draft: change its deadline by editing it."), field="closes_at"
            )
        if locked.status == RoundStatus.CLOSED:
            raise DomainError(
                _("This round was closed early, so its deadline cannot be extended."),
                field="closes_at",
            )
        if locked.closes_at is None:
            raise DomainError(
                _("This is a rolling round: it has no deadline to extend."), field="closes_at"
            )
        if closes_at is None:
            raise DomainError(_("Enter the new deadline"), field="closes_at")
        if closes_at <= now:
            raise DomainError(_("The new deadline must be in the future"), field="closes_at")
        if closes_at <= locked.closes_at:
            raise DomainError(
                _("The new deadline must be later than the current one, %(current)s")
                % {"current": when(locked.closes_at)},
                field="closes_at",
            )
        if not reason:
            raise DomainError(_("Enter the reason for the extension"), field="reason")
        before = locked.closes_at
        locked.closes_at = closes_at
        locked.updated_by = actor
        locked.save(update_fields=["closes_at", "updated_by", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="round.extended",
            target=locked,
            office=locked.office,
            data={"from": before, "to": closes_at, "reason": reason},
        )
        job_enqueue(
            send_extension_notice,
            office=locked.office,
            round_id=locked.pk,
            closes_at=closes_at.isoformat(),
        )
    return locked


def round_close(*, round: Round, actor, reason: str, now=None) -> Round:
    """Close a published round before its deadline, with the reason recorded. No application
    can be started or submitted after this; applicants with a draft are told by e-mail."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(round)
        if locked.status == RoundStatus.DRAFT:
            raise DomainError(_("This round has not been published, so it cannot be closed."))
        if locked.stage(now) == "closed":
            raise DomainError(_("This round has already closed."))
        if not reason:
            raise DomainError(_("Enter the reason for closing the round early"), field="reason")
        before = locked.closes_at
        locked.status = RoundStatus.CLOSED
        locked.closed_at = now
        locked.close_reason = reason
        if locked.opens_at < now:
            # It took applications until now; one not yet open keeps its dates, unused.
            locked.closes_at = now
        locked.updated_by = actor
        locked.save(
            update_fields=[
                "status",
                "closed_at",
                "close_reason",
                "closes_at",
                "updated_by",
                "updated_at",
            ]
        )
        audit_event_record(
            actor=actor,
            verb="round.closed",
            target=locked,
            office=locked.office,
            data={"deadline_was": before, "closed_at": now, "reason": reason},
        )
        job_enqueue(send_closure_notice, office=locked.office, round_id=locked.pk)
    return locked


@background_job(label=gettext_lazy("Deadline extension e-mail"))
def send_extension_notice(*, round_id: int, closes_at: str) -> None:
    """Tell applicants with a draft in the round its new deadline."""
    round_ = Round.objects.select_related("office").get(pk=round_id)
    subject = _("The deadline for %(round)s has been extended") % {"round": round_.title}
    body = _(
        "%(office)s has extended the deadline for %(round)s to %(deadline)s.\n\n"
        "You have a draft application in this round. You can finish and submit it before "
        "the new deadline.\n"
    ) % {
        "office": round_.office.name,
        "round": round_.title,
        "deadline": when(datetime.fromisoformat(closes_at)),
    }
    _tell_drafts(round_, subject, body)


@background_job(label=gettext_lazy("Round closed early e-mail"))
def send_closure_notice(*, round_id: int) -> None:
    """Tell applicants with a draft in the round that it closed early, and why."""
    round_ = Round.objects.select_related("office").get(pk=round_id)
    subject = _("%(round)s has closed early") % {"round": round_.title}
    body = _(
        "%(office)s closed %(round)s early, at %(time)s. Applications can no longer be "
        "submitted to it.\n\nThe reason given: %(reason)s\n\nYour draft application has "
        "been kept.\n"
    ) % {
        "office": round_.office.name,
        "round": round_.title,
        "time": when(round_.closed_at),
        "reason": round_.close_reason,
    }
    _tell_drafts(round_, subject, body)


def _tell_drafts(round_: Round, subject: str, body: str) -> None:
    """One e-mail to each member of an organisation with a draft in the round."""
    organisations = Application.objects.filter(round=round_, status=Status.DRAFT).values(
        "organisation_id"
    )
    emails = (
        OrganisationMember.objects.filter(organisation__in=organisations, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )
    send_mass_mail([(subject, body, None, [email]) for email in emails])
