"""Awards made the way the product makes them: by signing a decision."""

import datetime as dt
from decimal import Decimal

from commissioning.awards.models import Award
from commissioning.decisions.services import decision_submit_for_signature
from tests.decisions.conftest import approve, draft, recommended, sign_all


def award_by_decision(office, officer, round_, signatories, *, amounts=("2000",), **kwargs):
    """Sign one decision approving an application per amount; return their awards."""
    applications = [recommended(round_, amount=a, **kwargs) for a in amounts]
    decision = draft(office, officer, [approve(a) for a in applications])
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    sign_all(decision, signatories)
    return list(Award.objects.filter(application__in=applications).order_by("id"))


APRIL_2026 = dt.date(2026, 4, 1)
ZERO = Decimal("0.00")
