"""Demo variations (seed_demo, in the awards step): in every office, one approved variation
(an extension of three months, or new outcomes where no budget takes the extension) and one
proposed, waiting for the Commissioner. Written through the services, as the office's demo
commissioning officer and Commissioner. Running it again adds nothing.

The demo's awards are made when its decisions are signed, which waits for seed_demo's
transaction to commit; so this waits too, and runs after them."""

import logging
from decimal import Decimal
from functools import partial

from django.db import transaction

from commissioning.accounts.models import User
from commissioning.awards.models import Award, AwardStatus
from commissioning.awards.rules import add_months
from commissioning.awards.variations.models import Variation
from commissioning.awards.variations.services import variation_approve, variation_propose
from commissioning.core.errors import DomainError

logger = logging.getLogger(__name__)


def _user(prefix: str, office):
    return User.objects.filter(email=f"{prefix}@{office.slug}.example").first()


def seed_office(office) -> None:
    transaction.on_commit(partial(_seed, office.pk))


def _seed(office_id: int) -> None:
    from commissioning.offices.models import Office

    office = Office.objects.select_related("policy").get(pk=office_id)
    if Variation.objects.filter(office=office).exists():
        return
    officer, commissioner = _user("officer", office), _user("commissioner", office)
    award = (
        Award.objects.filter(office=office)
        .exclude(status__in=[AwardStatus.COMPLETED, AwardStatus.TERMINATED])
        .order_by("made_at", "id")
        .first()
    )
    if award is None or officer is None or commissioner is None:
        return
    try:
        with transaction.atomic():
            _approved(award, officer, commissioner)
        with transaction.atomic():
            _proposed(award, officer)
    except DomainError as exc:
        logger.warning("Demo variation of %s not made: %s", award.reference, exc)


def _approved(award, officer, commissioner) -> None:
    try:
        with transaction.atomic():
            variation = variation_propose(
                award=award,
                actor=officer,
                reason="The project lost three months to a venue closure; it runs on to "
                "finish the planned sessions.",
                ends_on=add_months(award.ends_on, 3),
            )
    except DomainError:
        variation = variation_propose(
            award=award,
            actor=officer,
            reason="The partner school closed its holiday club, so the project works with "
            "the youth centre instead.",
            outcomes="Young people at the youth centre take part in weekly sessions\n"
            "Fewer reports of antisocial behaviour near the centre",
        )
    variation_approve(variation=variation, actor=commissioner, note="Agreed at the team meeting.")


def _proposed(award, officer) -> None:
    award.refresh_from_db()
    try:
        with transaction.atomic():
            variation_propose(
                award=award,
                actor=officer,
                reason="One of the planned events will not run; the organisation offers to "
                "return its cost.",
                amount=(award.amount * Decimal("0.9")).quantize(Decimal("1")),
            )
    except DomainError:
        variation_propose(
            award=award,
            actor=officer,
            reason="The organisation asks to report quarterly instead of monthly.",
            outcomes=award.application.title + ": quarterly progress reports",
        )
