"""One office's awards for the dashboards and reports, made the way the product makes them:
signed decisions, one published, one not; an accepted monitoring return on the published one."""

import datetime as dt
from dataclasses import dataclass

from commissioning.decisions.services import decision_publish
from commissioning.monitoring.services import return_accept, return_submit
from commissioning.offices.models import Area, Priority
from tests.monitoring.factories import complete, monitored_award, organisation_user

# Inside the first return's period, and after its due date.
TODAY = dt.date(2026, 12, 1)


@dataclass
class Funded:
    published: object
    unpublished: object
    accepted_return: object


def funded_office(office, officer, round_, signatories) -> Funded:
    """Two awards of 2026/27: GBP 2,500 published (two areas, two priorities) with an accepted
    return counting 10 people; GBP 1,500 signed but not published (one area)."""
    areas = list(Area.objects.filter(office=office).order_by("name"))
    priorities = list(Priority.objects.filter(plan__office=office, selectable=True))
    published = monitored_award(office, officer, round_, signatories, amount="2500")
    published.application.areas.set(areas)
    published.application.priorities.set(priorities[:2])
    decision_publish(decision=published.decision, actor=officer)
    unpublished = monitored_award(office, officer, round_, signatories, amount="1500")
    ret = published.monitoring_returns.get(number=1)
    user = organisation_user(published)
    complete(
        ret,
        user,
        people_supported=10,
        demographics={"age_band": {"18_24": 7, "25_34": 3}, "sex": {"female": 6, "male": 4}},
    )
    ret = return_submit(monitoring_return=ret, actor=user)
    ret = return_accept(monitoring_return=ret, actor=officer)
    return Funded(published=published, unpublished=unpublished, accepted_return=ret)
