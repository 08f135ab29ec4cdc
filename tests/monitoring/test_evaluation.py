"""Evaluations (MO5) and the evidence library (CY5): an end-of-award evaluation cannot be
submitted until its questions are answered; the officer assesses it and saves its finding to
the evidence library, which officers of that office alone can search."""

import datetime as dt

import pytest

from commissioning.accounts.models import Role
from commissioning.core.errors import DomainError
from commissioning.cycle.evidence.models import EvidenceItem
from commissioning.cycle.evidence.selectors import evidence_search
from commissioning.cycle.evidence.services import evidence_item_save
from commissioning.monitoring.evaluation.services import (
    evaluation_assess,
    evaluation_finding_save,
    evaluation_save,
)
from commissioning.monitoring.services import ReturnNotReady, return_add, return_submit
from tests.accounts.factories import sign_in, staff_user
from tests.monitoring.factories import complete, monitored_award, organisation_user

pytestmark = pytest.mark.django_db

ANSWERS = {
    "achievements": "Forty young people mentored.",
    "what_worked": "Weekly sessions.",
    "challenges": "Volunteer turnover.",
    "lessons": "Recruit early.",
    "sustainability": "The trust funds one session a week.",
}


@pytest.fixture
def evaluation_return(office, officer, round_, signatories):
    award = monitored_award(office, officer, round_, signatories)
    return return_add(
        award=award,
        kind="end_of_award_evaluation",
        due_on=dt.date(2027, 4, 30),
        reason="Pilot of a new approach",
        actor=officer,
    )


def test_an_evaluation_is_answered_submitted_assessed_and_its_finding_kept(
    evaluation_return, officer
):
    ret = evaluation_return
    user = organisation_user(ret.award)
    complete(ret, user)
    with pytest.raises(ReturnNotReady) as caught:
        return_submit(monitoring_return=ret, actor=user)
    assert (
        "evaluation",
        "Answer the evaluation questions (5 still to answer) before you submit.",
    ) in (caught.value.problems)
    evaluation = evaluation_save(monitoring_return=ret, actor=user, data=ANSWERS)
    return_submit(monitoring_return=ret, actor=user)
    with pytest.raises(DomainError, match="can no longer be changed"):
        evaluation_save(monitoring_return=ret, actor=user, data=ANSWERS)
    with pytest.raises(DomainError, match="Assess the evaluation"):
        evaluation_finding_save(
            evaluation=evaluation, actor=officer, intervention="M", evidence="E"
        )
    with pytest.raises(DomainError, match="Summarise"):
        evaluation_assess(
            evaluation=evaluation,
            actor=officer,
            rating="promising",
            recommendation="expand",
            officer_summary="",
        )
    evaluation_assess(
        evaluation=evaluation,
        actor=officer,
        rating="promising",
        recommendation="expand",
        officer_summary="Mentoring kept most of them in school.",
    )
    item = evaluation_finding_save(
        evaluation=evaluation,
        actor=officer,
        intervention="Mentoring for young people",
        evidence="31 of 40 stayed in school.",
    )
    assert item.rating == "promising" and item.source_reference == ret.award.reference
    assert list(evidence_search(ret.office, q="mentoring school")) == [item]
    with pytest.raises(DomainError, match="already in the evidence library"):
        evaluation_finding_save(
            evaluation=evaluation, actor=officer, intervention="M", evidence="E"
        )


def test_a_year_end_assessment_asks_no_sustainability_question(evaluation_return, officer):
    ret = return_add(
        award=evaluation_return.award,
        kind="year_end_assessment",
        due_on=dt.date(2027, 4, 14),
        reason="Year end",
        actor=officer,
    )
    user = organisation_user(ret.award)
    complete(ret, user)
    evaluation_save(
        monitoring_return=ret,
        actor=user,
        data={k: v for k, v in ANSWERS.items() if k != "sustainability"},
    )
    return_submit(monitoring_return=ret, actor=user)


def test_the_evaluation_pages(client, evaluation_return, officer, other_office):
    ret = evaluation_return
    award = ret.award
    user = organisation_user(award)
    client.force_login(user)
    org_url = f"/organisations/{award.organisation.ref}/monitoring/{award.reference}/{ret.number}/"
    assert "Answer the evaluation questions" in client.get(org_url).content.decode()
    saved = client.post(f"{org_url}evaluation/", ANSWERS)
    assert saved.status_code == 302 and ret.evaluation.lessons == "Recruit early."
    complete(ret, user)
    return_submit(monitoring_return=ret, actor=user)
    staff_url = (
        f"/staff/{award.office.slug}/monitoring/awards/{award.reference}/returns/{ret.number}/"
        "evaluation/"
    )
    sign_in(client, officer)
    page = client.get(staff_url)
    assert page.status_code == 200 and "Recruit early." in page.content.decode()
    bad = client.post(staff_url, {"action": "assess", "rating": "promising"})
    assert bad.status_code == 400 and "Choose a recommendation." in bad.content.decode()
    client.post(
        staff_url,
        {
            "action": "assess",
            "rating": "effective",
            "recommendation": "continue",
            "officer_summary": "It worked.",
        },
    )
    done = client.post(
        staff_url, {"action": "finding", "intervention": "Mentoring", "evidence": "It worked."}
    )
    assert done.status_code == 302 and EvidenceItem.objects.filter(office=award.office).count() == 1
    library = client.get(f"/staff/{award.office.slug}/evidence/?q=mentoring&rating=effective")
    assert library.status_code == 200 and "It worked." in library.content.decode()
    outsider = staff_user(other_office, Role.COMMISSIONING_OFFICER)
    sign_in(client, outsider)
    assert client.get(staff_url).status_code == 404
    assert client.get(f"/staff/{award.office.slug}/evidence/").status_code == 404
    mine = client.get(f"/staff/{other_office.slug}/evidence/?q=mentoring")
    assert mine.status_code == 200 and "It worked." not in mine.content.decode()


def test_the_evidence_library_refuses_a_finding_without_a_source(office, officer):
    with pytest.raises(DomainError, match="Say where the evidence comes from.") as caught:
        evidence_item_save(
            office=office,
            actor=officer,
            intervention="Street lighting",
            evidence="Less crime after dark.",
            rating="promising",
            source=" ",
        )
    assert caught.value.field == "source" and not EvidenceItem.objects.exists()
    with pytest.raises(DomainError, match="Choose a rating"):
        evidence_item_save(
            office=office, actor=officer, intervention="x", evidence="y", rating="great", source="z"
        )


def test_officers_add_findings_on_the_library_page(client, office, officer):
    sign_in(client, officer)
    url = f"/staff/{office.slug}/evidence/"
    bad = client.post(url, {"intervention": "Street lighting", "evidence": "Less crime"})
    assert bad.status_code == 400 and "Choose a rating." in bad.content.decode()
    done = client.post(
        url,
        {
            "intervention": "Street lighting",
            "evidence": "Less crime after dark.",
            "rating": "mixed",
            "source": "College of Policing toolkit",
        },
    )
    assert done.status_code == 302
    assert client.get(f"{url}?rating=effective").content.decode().count("Street lighting") == 0
    assert "Street lighting" in client.get(f"{url}?rating=mixed").content.decode()
