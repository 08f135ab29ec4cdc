"""Published awards for the register and open data tests, made as the product makes them: a
decision signed and then published."""

import re

from commissioning.awards.models import Award
from commissioning.decisions.services import decision_publish
from tests.applications.factories import OrganisationFactory
from tests.awards.factories import award_by_decision
from tests.decisions.conftest import CONTACT_DOMAIN, CONTACT_SURNAME

# What must never be on a public page or in an export.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+")
UK_PHONE = re.compile(r"(\+44\s?|\b0)(\d[\s-]?){9,10}\b")
SORT_CODE = re.compile(r"\b\d{2}-\d{2}-\d{2}\b")
ACCOUNT_NUMBER = re.compile(r"\b\d{8}\b")
DEMO_PEOPLE = (CONTACT_SURNAME, "Jordan Ellis", "Pat ")


def publish(awards, officer):
    decision = awards[0].decision
    decision_publish(decision=decision, actor=officer)
    return list(Award.objects.filter(pk__in=[a.pk for a in awards]).order_by("id"))


def published_awards(office, officer, round_, signatories, *, amounts=("2000",), **kwargs):
    awards = award_by_decision(office, officer, round_, signatories, amounts=amounts, **kwargs)
    return publish(awards, officer)


def charity(number="1164883", **kwargs):
    return OrganisationFactory(
        applicant_type="charity", charity_number=number, email=f"office@{CONTACT_DOMAIN}", **kwargs
    )


def personal_data_in(text: str, *, allowed_numbers=()) -> list[str]:
    """E-mail addresses, telephone numbers, bank details and demo people's names in text."""
    found = [m.group(0) for m in EMAIL.finditer(text)]
    found += [m.group(0) for m in UK_PHONE.finditer(text)]
    found += [m.group(0) for m in SORT_CODE.finditer(text)]
    found += [
        m.group(0) for m in ACCOUNT_NUMBER.finditer(text) if m.group(0) not in allowed_numbers
    ]
    found += [name for name in DEMO_PEOPLE if name in text]
    return found
