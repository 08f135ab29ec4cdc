"""The demo's monitoring data, in every office: schedules for awards made before monitoring
was installed, then a return due, one submitted, one accepted and one returned with comments.
Running it again changes nothing."""

import datetime as dt
import logging

from django.db import transaction

from commissioning.accounts.models import User
from commissioning.awards.models import Award
from commissioning.core.errors import DomainError
from commissioning.monitoring import services
from commissioning.monitoring.demo_extras import seed_extras
from commissioning.monitoring.evaluation.services import evaluation_save
from commissioning.monitoring.models import MonitoringReturn, ReturnKind, ReturnStatus
from commissioning.offices.models import Office
from commissioning.organisations.models import OrganisationMember

logger = logging.getLogger(__name__)


def seed_all(run) -> None:
    for office in Office.objects.select_related("policy").order_by("name"):
        for award in Award.objects.filter(
            office=office, monitoring_schedule__isnull=True
        ).select_related("office__policy", "fund", "application", "decision"):
            services.schedule_make(award=award, actor=None, now=award.made_at)
        for step in (seed_office, seed_extras):
            try:
                with transaction.atomic():
                    step(office)
            except DomainError as exc:
                logger.warning("Demo monitoring for %s not made: %s", office.slug, exc)


EVALUATION = {
    "achievements": "Most of the outputs were met; referrals rose through the year.",
    "what_worked": "Weekly sessions in the same place, run by the same two staff.",
    "challenges": "Volunteer turnover slowed the start.",
    "lessons": "Recruit volunteers before the service opens.",
    "sustainability": "The trust will fund one session a week from its reserves.",
}


def _contents(ret: MonitoringReturn, *, people: int = 24) -> dict:
    application = ret.award.application
    lines = list(application.budget_lines.all())
    return {
        "progress": "Sessions ran every week as planned; referrals from the police rose in the "
        "second month.",
        "outputs": {str(o.pk): max(o.quantity // 2, 1) for o in application.outputs.all()},
        "outcomes": {str(o.pk): "Halfway to the target" for o in application.outcomes.all()},
        "spend": {
            str(
                b.pk
            ): f"{b.amount * ret.award.amount / max(sum(x.amount for x in lines), 1) / 2:.2f}"
            for b in lines
        },
        "people_supported": people,
        "measures": {
            code: {"referrals": 30}.get(code, people - 4)
            for code in services.measure_codes(ret.office)
            if code != "people_supported"
        }
        if ret.schedule.victims_services
        else {},
        "demographics": {
            "age_band": {"18_24": 6, "25_34": 9, "35_44": 5, "not_known": people - 20},
            "sex": {"female": 15, "male": 7, "prefer_not_to_say": people - 22},
            "ethnicity": {"white": 18, "asian": 3, "not_known": people - 21},
        }
        if services.asks_demographics(ret.office)
        else {},
        "case_studies": "A young person referred by the school now attends every week.",
        "feedback": "'The staff listened and helped me feel safe again.'",
        "risks": "One volunteer left; a replacement starts next month.",
        "rag": "green",
    }


def _enough_returns(office, returns) -> None:
    """Four returns to show the four states: where the office's awards owe fewer, the officer
    asks the first award for progress updates."""
    missing = 4 - returns.count()
    award = (
        Award.objects.filter(office=office, monitoring_schedule__isnull=False)
        .order_by("made_at", "id")
        .first()
    )
    if missing <= 0 or award is None:
        return
    officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
    for n in range(missing):
        due = min(award.starts_on + dt.timedelta(days=60 * (n + 1)), award.ends_on)
        services.return_add(
            award=award,
            kind=ReturnKind.RETURN,
            due_on=due,
            reason="Progress update asked for at the start-up meeting.",
            actor=officer,
        )


def seed_office(office) -> None:
    returns = MonitoringReturn.objects.filter(office=office, award__isnull=False)
    if returns.exclude(status=ReturnStatus.DRAFT).exists():
        return
    _enough_returns(office, returns)
    firsts = list(
        returns.filter(number=1)
        .select_related("award", "award__application", "office__policy", "schedule")
        .order_by("award__made_at", "award_id")[:4]
    )
    if len(firsts) < 4:
        # Fewer awards than states: use later returns of the first award too.
        extra = returns.exclude(pk__in=[r.pk for r in firsts]).order_by("award_id", "number")
        firsts += list(extra[: 4 - len(firsts)])
    officer = None
    for index, ret in enumerate(firsts[:4]):
        member = (
            OrganisationMember.objects.filter(organisation=ret.award.organisation)
            .select_related("user")
            .first()
        )
        user = member.user if member else None
        officer = ret.schedule.officer
        if index == 0:
            continue  # stays due
        services.return_save(monitoring_return=ret, actor=user, data=_contents(ret))
        if ret.has_evaluation:
            evaluation_save(monitoring_return=ret, actor=user, data=EVALUATION)
        services.return_submit(monitoring_return=ret, actor=user)
        if index == 2:
            services.return_accept(
                monitoring_return=ret, actor=officer, comments="Thank you: a clear return."
            )
        elif index == 3:
            services.return_send_back(
                monitoring_return=ret,
                actor=officer,
                comments="Please add a case study and explain the underspend on equipment.",
            )
