"""The staff pages: members see only what they are assigned, conflicted members are locked
out (AS2), scores are independent until submitted (AS3), officers moderate and record (AS4).
Another office's staff get a 404 everywhere."""

import pytest
from django.utils import timezone
from django.utils.html import escape

from commissioning.accounts.models import Role
from commissioning.applications.models import Status
from commissioning.assessment.models import ConflictDeclaration, ScoreSheet, Standing
from commissioning.assessment.panels.services import conflict_declare, panel_meeting_record
from tests.accounts.factories import sign_in, staff_user
from tests.assessment.factories import panel_with, score

pytestmark = pytest.mark.django_db


def base(panel) -> str:
    return f"/staff/{panel.office.slug}/panels/{panel.pk}/"


def test_a_member_declares_then_scores_and_submits(client, office):
    panel, _officer, (member, _other), (application, _x) = panel_with(office)
    sign_in(client, member.user)
    url = f"{base(panel)}applications/{application.reference}/"
    # Opening the scoring page first sends the member to declare.
    response = client.get(url + "score/")
    assert response.status_code == 302 and response.url.endswith("/declare/")
    page = client.get(url + "declare/").content.decode()
    assert application.organisation.name in page
    assert application.need_and_evidence not in page  # not opened before declaring
    bad = client.post(url + "declare/", {"has_conflict": ""})
    assert "Say whether you have a conflict of interest" in bad.content.decode()
    response = client.post(url + "declare/", {"has_conflict": "False", "interest": ""})
    assert response.status_code == 302 and response.url.endswith("/score/")
    page = client.get(url + "score/").content.decode()
    assert application.need_and_evidence in page
    assert "Not addressed, or no evidence given" not in page  # minimal pack: no descriptors
    missing = client.post(url + "score/", {"score_impact": "4", "submit": "1"})
    assert "Not yet scored: Value for money" in missing.content.decode()
    # Save and submit is one transaction: a refused submission saves nothing, and the page
    # shows again what was typed.
    assert not ScoreSheet.objects.filter(member=member).exists()
    assert 'value="4" checked' in missing.content.decode()
    client.post(
        url + "score/",
        {"score_impact": "4", "score_value": "3", "recommendation": "fund", "submit": "1"},
    )
    sheet = ScoreSheet.objects.get(member=member)
    assert sheet.is_submitted
    assert "Your scores are submitted" in client.get(url + "score/").content.decode()


def test_bad_input_is_an_error_message_not_a_500(client, office):
    panel, _officer, (member, _other), (application, _x) = panel_with(office)
    sign_in(client, member.user)
    url = f"{base(panel)}applications/{application.reference}/"
    client.post(url + "declare/", {"has_conflict": "False"})
    response = client.post(url + "score/", {"score_impact": "9", "amount": "lots"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "govuk-error-summary" in page
    assert not ScoreSheet.objects.exists()


def test_others_scores_appear_only_after_submitting(client, office):
    """AS3: independent scoring."""
    panel, _officer, (first, second), (application, _x) = panel_with(office)
    score(second, application, [1], comment="Evidence thin, sorry.")
    score(first, application, [4], submit=False)
    sign_in(client, first.user)
    url = f"{base(panel)}applications/{application.reference}/score/"
    assert "Evidence thin, sorry." not in client.get(url).content.decode()
    client.post(
        url, {"score_impact": "4", "score_value": "4", "recommendation": "fund", "submit": "1"}
    )
    assert "Evidence thin, sorry." in client.get(url).content.decode()


def test_a_conflicted_member_is_locked_out(client, office):
    """AS2: cannot open, score or see the scores of the application."""
    panel, officer, (first, second), (application, other_app) = panel_with(office)
    score(second, application, [3], comment="Second member's view.")
    conflict_declare(
        member=first,
        application=application,
        has_conflict=True,
        interest="I volunteer there.",
        actor=first.user,
    )
    sign_in(client, first.user)
    url = f"{base(panel)}applications/{application.reference}/"
    for path in ("score/", "declare/"):
        response = client.get(url + path)
        assert response.status_code == 403
        assert application.need_and_evidence not in response.content.decode()
    response = client.post(url + "score/", {"score_impact": "5", "submit": "1"})
    assert response.status_code == 403
    assert not ScoreSheet.objects.filter(member=first).exists()
    panel_page = client.get(base(panel)).content.decode()
    assert "Conflict declared" in panel_page
    assert f"– {application.organisation.name}</span>" not in panel_page
    assert f"– {other_app.organisation.name}</span>" in panel_page
    # Staff home and the other application still work.
    assert (
        client.get(url.replace(application.reference, other_app.reference) + "declare/").status_code
        == 200
    )  # noqa: E501


def test_an_officer_who_declared_a_conflict_sees_no_scores_of_it(client, office):
    panel, officer, (first, second), (application, _x) = panel_with(office)
    from commissioning.assessment.panels.services import panel_member_add

    seat = panel_member_add(panel=panel, user=officer, standing=Standing.OFFICE, actor=officer)
    conflict_declare(
        member=seat, application=application, has_conflict=True, interest="Related.", actor=None
    )
    score(first, application, [2], comment="Members comment.")
    sign_in(client, officer)
    moderation = client.get(base(panel) + "moderation/").content.decode()
    assert "Members comment." not in moderation
    assert "so its scores are hidden from you" in moderation
    agree = client.get(f"{base(panel)}applications/{application.reference}/agree/")
    assert agree.status_code == 403
    staff_page = client.get(
        f"/staff/{office.slug}/applications/{application.reference}/"
    ).content.decode()
    assert "Members comment." not in staff_page


def test_panel_members_see_only_their_panels(client, office):
    panel, officer, (member, _other), (application, _x) = panel_with(office)
    outsider = staff_user(office, Role.PANEL_MEMBER)
    sign_in(client, outsider)
    assert panel.name not in client.get(f"/staff/{office.slug}/panels/").content.decode()
    for path in ["", "moderation/", f"applications/{application.reference}/score/"]:
        assert client.get(base(panel) + path).status_code == 404, path
    sign_in(client, member.user)
    assert panel.name in client.get(f"/staff/{office.slug}/panels/").content.decode()
    for path in [
        "moderation/",
        "meetings/new/",
        "members/add/",
        "applications/add/",
        f"applications/{application.reference}/agree/",
    ]:
        assert client.get(base(panel) + path).status_code == 404, path
    assert client.get(f"/staff/{office.slug}/panels/conflicts/").status_code == 404
    assert client.get(f"/staff/{office.slug}/panels/new/").status_code == 404
    home = client.get("/staff/").content.decode()
    assert panel.name in home and "2 applications to declare or score" in home


def test_another_offices_staff_get_404(client, office, other_office):
    panel, _officer, _members, (application, _x) = panel_with(office)
    sign_in(client, staff_user(other_office, Role.COMMISSIONING_OFFICER))
    for path in [
        "",
        "moderation/",
        "meetings/new/",
        f"applications/{application.reference}/score/",
        f"applications/{application.reference}/agree/",
    ]:
        assert client.get(base(panel) + path).status_code == 404, path
    assert client.get(f"/staff/{office.slug}/panels/").status_code == 404
    assert client.get(f"/staff/{office.slug}/panels/conflicts/").status_code == 404
    # The officer's own office does not show the other office's panel either.
    other_base = f"/staff/{other_office.slug}/panels/{panel.pk}/"
    assert client.get(other_base).status_code == 404


def test_an_officer_sets_up_a_panel_through_the_pages(client, office):
    from tests.applications.factories import RoundFactory
    from tests.assessment.factories import eligible_application

    officer = staff_user(office, Role.COMMISSIONING_OFFICER)
    member = staff_user(office, Role.PANEL_MEMBER)
    round_ = RoundFactory(fund=office.funds.first())
    application = eligible_application(round_)
    sign_in(client, officer)
    bad = client.post(f"/staff/{office.slug}/panels/new/", {"name": ""})
    assert "Enter the panel&#x27;s name" in bad.content.decode()
    response = client.post(
        f"/staff/{office.slug}/panels/new/",
        {
            "round": round_.pk,
            "name": "Autumn panel",
            "meeting_date_0": "1",
            "meeting_date_1": "3",
            "meeting_date_2": "2027",
        },
    )
    assert response.status_code == 302
    panel_url = response.url
    nobody = client.post(
        panel_url + "members/add/", {"email": "x@y.example", "standing": "partner"}
    )
    assert "No one with a role in the office" in nobody.content.decode()
    client.post(panel_url + "members/add/", {"email": member.email, "standing": "independent"})
    client.post(panel_url + "applications/add/", {"application": application.reference})
    application.refresh_from_db()
    assert application.status == Status.IN_ASSESSMENT
    page = client.get(panel_url).content.decode()
    assert escape(member.full_name) in page and application.reference in page


def test_the_officer_records_a_meeting_and_agrees(client, office):
    office.policy.assessment = {**office.policy.assessment, "panel_quorum": 2}
    office.policy.save()
    panel, officer, (first, second), (application, _x) = panel_with(office)
    score(first, application, [4])
    score(second, application, [1])
    sign_in(client, officer)
    today = timezone.localdate()
    date = {"held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year}
    refused = client.post(base(panel) + "meetings/new/", {**date, "attendees": [first.pk]})
    assert "2 panel members must attend and 1 did" in refused.content.decode()
    client.post(base(panel) + "meetings/new/", {**date, "attendees": [first.pk, second.pk]})
    moderation = client.get(base(panel) + "moderation/").content.decode()
    assert "Wide spread" in moderation  # 4 against 1 is more than 2 points apart
    meeting = panel.meetings.get()
    url = f"{base(panel)}applications/{application.reference}/agree/"
    response = client.post(
        url, {"meeting": meeting.pk, "outcome": "fund", "rationale": "Strong local evidence."}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED
    staff_page = client.get(
        f"/staff/{office.slug}/applications/{application.reference}/"
    ).content.decode()
    assert "Strong local evidence." in staff_page


def test_the_conflict_register_is_for_officers(client, office):
    panel, officer, (first, second), (application, other) = panel_with(office)
    conflict_declare(
        member=first, application=application, has_conflict=True, interest="Trustee.", actor=None
    )
    conflict_declare(member=second, application=other, has_conflict=False, interest="", actor=None)
    sign_in(client, officer)
    page = client.get(f"/staff/{office.slug}/panels/conflicts/").content.decode()
    assert "Trustee." in page and escape(first.user.full_name) in page


def test_list_pages_cost_a_constant_number_of_queries(
    client, office, django_assert_max_num_queries
):
    panel, officer, members, apps = panel_with(office, apps=3)
    for member in members:
        for application in apps:
            score(member, application, [3])
    for _n in range(2):
        panel_with(office, apps=1)
    panel_meeting_record(
        panel=panel, held_on=timezone.localdate(), attendees=members, actor=officer
    )
    assert ConflictDeclaration.objects.count() == 6
    sign_in(client, officer)
    client.get("/staff/")  # warm the session
    for path in [
        f"/staff/{office.slug}/panels/",
        f"/staff/{office.slug}/panels/conflicts/",
        base(panel),
        base(panel) + "moderation/",
    ]:
        with django_assert_max_num_queries(22):
            assert client.get(path).status_code == 200
    sign_in(client, members[0].user)
    with django_assert_max_num_queries(22):
        assert client.get(f"/staff/{office.slug}/panels/").status_code == 200


def test_rubric_guidance_from_the_policy_is_shown_as_text_not_html(client, office):
    """Issue 7 item 6: guidance typed into the office's policy cannot inject HTML."""
    policy = office.policy
    rubric = policy.assessment["rubric"]
    rubric[0]["guidance"] = "<script>alert(1)</script>Look at <img src=x onerror=alert(2)>\nthen"
    policy.save()
    panel, _officer, (member, _other), (application, _x) = panel_with(office)
    sign_in(client, member.user)
    url = f"{base(panel)}applications/{application.reference}/"
    client.post(url + "declare/", {"has_conflict": "False", "interest": ""})
    page = client.get(url + "score/").content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Look at &lt;img src=x onerror=alert(2)&gt;" in page
    assert "<br>then" in page  # line breaks kept


def _agreed_with_a_conflict(office):
    """A panel where the first member declared a conflict on an application that two others
    then scored and the panel agreed to fund with conditions."""
    from commissioning.assessment.scoring.services import recommendation_agree

    panel, officer, (first, second, third), (application, other) = panel_with(
        office, members=(Standing.INDEPENDENT, Standing.VOLUNTARY_SECTOR, Standing.INDEPENDENT)
    )
    conflict_declare(
        member=first, application=application, has_conflict=True, interest="Trustee.", actor=None
    )
    score(second, application, [4])
    score(third, application, [3])
    meeting = panel_meeting_record(
        panel=panel, held_on=timezone.localdate(), attendees=[second, third], actor=officer
    )
    recommendation_agree(
        panel=panel,
        application=application,
        meeting=meeting,
        outcome="fund_with_conditions",
        conditions="Quarterly reports.",
        rationale="Good.",
        actor=officer,
    )
    return panel, officer, first, application, other


def test_a_conflicted_member_sees_nothing_of_the_application_on_the_panel_page(client, office):
    """Issue 7 item 7 (AS2): no amount, no count of scores or conflicts, no agreed outcome."""
    panel, _officer, first, application, other = _agreed_with_a_conflict(office)
    sign_in(client, first.user)
    page = client.get(base(panel)).content.decode()
    row = page[page.index(f">{application.reference}<") :]
    row = row[: row.index("</tr>")]
    assert "Conflict declared" in row and "You declared a conflict of interest" in row
    assert "£" not in row
    assert "Fund with conditions" not in row and "Not yet agreed" not in row
    assert ">2<" not in row and ">1<" not in row  # scores in, conflicts declared
    assert application.title not in row and application.organisation.name not in row
    assert other.reference in page  # the other application is shown as before


def test_an_officer_with_a_conflict_cannot_open_the_portfolio_allocation(client, office):
    """Issue 7 item 7: the allocation shows every application's scores and decides between them."""
    panel, officer, (first, _second), (application, _x) = panel_with(office)
    from commissioning.assessment.panels.services import panel_member_add

    seat = panel_member_add(panel=panel, user=officer, standing=Standing.OFFICE, actor=officer)
    conflict_declare(
        member=seat, application=application, has_conflict=True, interest="Related.", actor=None
    )
    score(first, application, [4])
    sign_in(client, officer)
    response = client.get(base(panel) + "allocation/")
    assert response.status_code == 403
    assert "another officer must run and adopt it" in response.content.decode()
    assert client.post(base(panel) + "allocation/", {"budget": "4000"}).status_code == 403
    moderation = client.get(base(panel) + "moderation/").content.decode()
    assert f"{application.reference}</h2>" in moderation  # no title either
    api = f"/api/v1/offices/{office.slug}/panels/{panel.pk}/allocation-runs"
    assert client.get(api).status_code == 403
