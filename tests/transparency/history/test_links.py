"""The "History" link on the staff page of each main record (TR6): shown to the office's staff
who may read a record's history, leading to a page that works; not shown to anyone else. The
pages belong to lower apps, which hear of the link through the core registry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from commissioning.accounts.models import Role
from commissioning.applications.models import Status
from commissioning.core.templatetags.record_links import history_url
from commissioning.procurement.contracts.models import Contract
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import OrganisationFactory
from tests.core.test_transitions import (
    _agreement_in,
    _application_in,
    _award_in,
    _decision_in,
    _exercise_in,
    _instalment_in,
    _payment_run_in,
    _return_in,
)

pytestmark = pytest.mark.django_db


def _contract_in(office):
    return Contract.objects.create(
        office=office,
        reference="TST-CT-2026-001",
        provider=OrganisationFactory(name="Provider"),
        fund=office.funds.get(code="CF"),
        title="Victim care",
        value=Decimal("20000.00"),
        office_share=Decimal("20000.00"),
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2027, 3, 31),
        returns_every_months=3,
    )


def _project_in(office):
    from commissioning.cycle.projects.services import project_create

    return project_create(
        office=office, actor=None, title="Victims' services", value=Decimal("6e4")
    )


# Each kind: how to make one in the office, and the address of its staff page.
KINDS = {
    "application": (
        lambda o: _application_in(o, Status.SUBMITTED),
        lambda o, r: reverse("applications:staff_application", args=[o.slug, r.reference]),
    ),
    "decision": (
        lambda o: _decision_in(o, "draft"),
        lambda o, r: reverse("decisions:staff_detail", args=[o.slug, r.slug]),
    ),
    "award": (
        lambda o: _award_in(o, "active"),
        lambda o, r: reverse("awards:staff_detail", args=[o.slug, r.reference]),
    ),
    "agreement": (
        lambda o: _agreement_in(o, "sent"),
        lambda o, r: reverse("awards:staff_agreement", args=[o.slug, r.award.reference, r.version]),
    ),
    "instalment": (
        lambda o: _instalment_in(o, "scheduled"),
        lambda o, r: reverse("awards:instalment", args=[o.slug, r.pk]),
    ),
    "payment_run": (
        lambda o: _payment_run_in(o, "open"),
        lambda o, r: reverse("awards:payment_run", args=[o.slug, r.reference]),
    ),
    "monitoring_return": (
        lambda o: _return_in(o, "draft"),
        lambda o, r: reverse("monitoring:staff_return", args=[o.slug, r.award.reference, r.number]),
    ),
    "procurement_exercise": (
        lambda o: _exercise_in(o, "planning"),
        lambda o, r: reverse("procurement:exercise", args=[o.slug, r.reference]),
    ),
    "contract": (
        _contract_in,
        lambda o, r: reverse("procurement:contract", args=[o.slug, r.reference]),
    ),
    "project": (
        _project_in,
        lambda o, r: reverse("cycle:project_detail", args=[o.slug, r.reference]),
    ),
}


def _tag(user, record, office=None) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load record_links %}{% history_link record %}")
    return template.render(Context({"request": request, "record": record, "office": office}))


# Who reads each page: the office's staff, but payments are for its finance officers.
READERS = {"instalment": [Role.FINANCE_OFFICER], "payment_run": [Role.FINANCE_OFFICER]}
PAGES = [
    pytest.param(kind, role, id=f"{kind}-{role}")
    for kind in KINDS
    for role in READERS.get(kind, [Role.AUDITOR, Role.COMMISSIONING_OFFICER])
]


@pytest.mark.parametrize(("kind", "role"), PAGES)
def test_the_record_page_links_to_a_history_page_that_works(client, office, kind, role):
    make, page_of = KINDS[kind]
    record = make(office)
    user = staff_user(office, role)
    url = history_url(user, record, office)
    assert url and url.startswith(f"/staff/{office.slug}/")
    sign_in(client, user)
    page = client.get(page_of(office, record))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{url}"' in html and ">History<" in html
    history = client.get(url)
    assert history.status_code == 200
    assert "History of" in history.content.decode()


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_link_for_those_who_may_not_read_the_history(office, other_office, kind):
    make, _page_of = KINDS[kind]
    record = make(office)
    assert _tag(staff_user(office, Role.AUDITOR), record, office) != ""
    for user in (
        staff_user(office, Role.PANEL_MEMBER),
        staff_user(other_office, Role.OFFICE_ADMIN),
    ):
        assert _tag(user, record, office) == ""
        assert _tag(user, record) == ""
    # Nor on a page of another office that happened to show the record.
    assert _tag(staff_user(other_office, Role.AUDITOR), record, other_office) == ""
