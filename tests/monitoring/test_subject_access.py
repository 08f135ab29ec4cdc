"""Subject access (SE3): `export_person EMAIL` gives everything held about one person as JSON
(and a PDF); the staff page is for office administrators alone and gives that office's
records only; every export is audited."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from commissioning.accounts.models import Role
from commissioning.audit.models import AuditEvent
from commissioning.awards.models import Award
from commissioning.monitoring.services import return_submit
from commissioning.monitoring.subject_access.services import person_data
from tests.accounts.factories import sign_in, staff_user
from tests.monitoring.factories import complete, monitored_award, organisation_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(office, officer, round_, signatories):
    award = monitored_award(office, officer, round_, signatories)
    user = organisation_user(award)
    Award.objects.filter(pk=award.pk).update(contact_email=user.email, contact_name="Sam Patel")
    ret = award.monitoring_returns.get(number=1)
    complete(ret, user)
    return_submit(monitoring_return=ret, actor=user)
    return user, award


def test_the_command_exports_everything_as_json_and_pdf(person, tmp_path):
    user, award = person
    out = StringIO()
    call_command("export_person", user.email.upper(), stdout=out)
    data = json.loads(out.getvalue())
    assert data["account"]["email"] == user.email
    sections = data["sections"]
    assert sections["awards_as_contact"][0]["award"] == award.reference
    assert sections["returns_submitted"][0]["number"] == 1
    assert any(e["what"] == "monitoring_return.submitted" for e in sections["actions_recorded"])
    pdf = tmp_path / "person.pdf"
    call_command("export_person", user.email, "--pdf", str(pdf), "--json", str(tmp_path / "p.json"))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb="subject_access.exported").count() == 2


def test_an_office_sees_only_its_own_records(person, other_office):
    user, _award = person
    assert person_data(email=user.email, office=other_office)["sections"] == {}
    assert "account" not in person_data(email=user.email, office=other_office)


def test_the_page_is_for_office_administrators_only(client, person, office, officer, other_office):
    user, award = person
    url = f"/staff/{office.slug}/subject-access/"
    sign_in(client, officer)
    assert client.get(url).status_code == 404
    admin = staff_user(office, Role.OFFICE_ADMIN)
    sign_in(client, admin)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"email": "not an address", "output": "json"})
    assert bad.status_code == 400 and "Enter an e-mail address in the right form" in (
        bad.content.decode()
    )
    answer = client.post(url, {"email": user.email, "output": "json"})
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    data = json.loads(answer.content)
    assert data["office"] == office.name
    assert data["sections"]["awards_as_contact"][0]["award"] == award.reference
    assert "emails_sent" not in data["sections"]
    pdf = client.post(url, {"email": user.email, "output": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    event = AuditEvent.objects.filter(verb="subject_access.exported").latest("occurred_at")
    assert event.actor == admin and event.data["email"] == user.email
    other_admin = staff_user(other_office, Role.OFFICE_ADMIN)
    sign_in(client, other_admin)
    assert client.get(url).status_code == 404
