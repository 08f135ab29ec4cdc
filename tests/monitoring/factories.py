"""Awards with their monitoring schedules, made the way the product makes them."""

import datetime as dt

from commissioning.monitoring.services import return_save
from tests.applications.factories import member_of
from tests.awards.factories import award_by_decision

YEAR_2026 = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2027, 3, 31)}


def monitored_award(office, officer, round_, signatories, amount="2000", **kwargs):
    (award,) = award_by_decision(
        office, officer, round_, signatories, amounts=(amount,), **{**YEAR_2026, **kwargs}
    )
    return award


def complete(ret, user, **overrides):
    """Fill in every part a return needs, with figures that add up."""
    application = ret.award.application
    data = {
        "progress": "Twelve patrols this period.",
        "outputs": {str(o.pk): 12 for o in application.outputs.all()},
        "outcomes": {str(o.pk): "32 a month" for o in application.outcomes.all()},
        "spend": {str(b.pk): "400.00" for b in application.budget_lines.all()},
        "people_supported": 10,
        "demographics": {"age_band": {"18_24": 6, "not_known": 4}},
        "rag": "green",
        **overrides,
    }
    return return_save(monitoring_return=ret, actor=user, data=data)


def organisation_user(award):
    return member_of(award.organisation)
