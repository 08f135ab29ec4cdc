"""Screening reads what was written, not only what was ticked (issue 9, items 1 to 3):
ineligible costs signalled by a budget line's words, a ticked purpose the text does not
support, and a pilot longer than the fund allows."""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from commissioning.applications.models import BudgetLine, ScreeningOutcome, Status
from commissioning.applications.screening import rules
from commissioning.applications.screening.rules import Rule
from commissioning.applications.screening.services import screening_conclude, screening_override
from commissioning.applications.services import IncompleteApplication, application_submit
from commissioning.audit.models import AuditEvent
from tests.accounts.factories import staff_user
from tests.applications.factories import CompleteDraftFactory, RoundFactory, member_of
from tests.applications.test_screening import run, seed_fund, submitted
from tests.conftest import ROOT

PASS, FAIL, REFER = ScreeningOutcome.PASS, ScreeningOutcome.FAIL, ScreeningOutcome.REFER


def only_line(application, category, description, amount="1500"):
    """Replace the application's budget with one line."""
    application.budget_lines.all().delete()
    BudgetLine.objects.create(
        application=application,
        category=category,
        description=description,
        amount=Decimal(amount),
    )


# 1. Ineligible costs: the words of a budget line, not only its category ---------------------


@pytest.mark.django_db
def test_cumbria_coordinator_salary_under_project_staff_is_referred_quoting_the_line():
    """Item 1: 'part-time coordinator salary' under 'Project staff or sessional workers' passed
    Cumbria's no-staff-roles rule because only the category was read."""
    fund = seed_fund("cumbria", "CF")
    application = submitted(fund, purposes=["crime-disorder"])
    only_line(application, "staff", "Part-time coordinator salary", "2000")
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert result.outcome == REFER
    assert result.reason == (
        "‘Part-time coordinator salary’ (£2,000, entered as project staff or sessional workers) "
        "mentions ‘salary’, ‘coordinator’, which suggests funding a permanent staff post: the "
        "Community Fund does not pay for that. An officer should check what the cost is for."
    )
    assert result.details["signalled"] == [
        {
            "description": "Part-time coordinator salary",
            "category": "staff",
            "amount": "2000.00",
            "signals": {"staff_roles": ["salary", "coordinator"]},
        }
    ]
    assert application.screening_outcome == REFER
    assert application.status == Status.SCREENING


@pytest.mark.django_db
def test_lancashire_asb_forum_running_costs_under_other_are_referred():
    """Item 1: 'costs of running the local ASB forum' under 'Other' passed Lancashire's
    no-forum-costs rule."""
    fund = seed_fund("lancashire", "PG")
    application = submitted(fund, organisation__applicant_type="charity")
    only_line(application, "other", "Costs of running the local ASB forum", "750")
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert result.outcome == REFER
    assert "‘Costs of running the local ASB forum’ (£750, entered as other)" in result.reason
    assert "mentions ‘forum’" in result.reason
    assert "running a partnership or forum" in result.reason
    assert result.details["signalled"][0]["signals"] == {"partnership_running_costs": ["forum"]}


@pytest.mark.django_db
def test_lancashire_officer_overtime_under_venue_names_the_police_pay_rule():
    fund = seed_fund("lancashire", "PG")
    application = submitted(fund, organisation__applicant_type="charity")
    only_line(application, "venue", "Hall hire and police officer pay for stewarding")
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert result.outcome == REFER
    assert "police officer pay or overtime" in result.reason


@pytest.mark.django_db
def test_essex_backfilling_a_council_service_is_referred():
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund)
    only_line(application, "overheads", "Backfill for the statutory youth service", "5000")
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert result.outcome == REFER
    assert "something a statutory body must already fund" in result.reason


@pytest.mark.django_db
def test_postage_posters_and_sessional_coaches_are_not_a_staff_post():
    """Whole words only: 'post' is a Cumbria signal, 'postage' and 'posters' are not."""
    fund = seed_fund("cumbria", "CF")
    application = submitted(fund, purposes=["crime-disorder"])
    only_line(application, "publicity", "Postage, posters and postal surveys", "300")
    BudgetLine.objects.create(
        application=application,
        category="staff",
        description="Sessional boxing coaches",
        amount=Decimal("1700"),
    )
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert result.outcome == PASS
    assert result.details["signalled"] == []


@pytest.mark.django_db
def test_a_line_in_an_ineligible_category_still_fails_and_a_signalled_one_is_named_too():
    fund = seed_fund("cumbria", "CF")
    application = submitted(fund, purposes=["crime-disorder"])
    only_line(application, "charitable_sponsorship", "Sponsoring the charity fun run", "500")
    BudgetLine.objects.create(
        application=application, category="other", description="Coordinator wages", amount=1500
    )
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert result.outcome == FAIL
    assert result.reason.startswith("‘Sponsoring the charity fun run’ (£500) is sponsoring")
    assert "‘Coordinator wages’ (£1,500, entered as other) mentions" in result.reason


@pytest.mark.django_db
def test_an_officer_clears_a_signalled_line_with_a_recorded_reason():
    fund = seed_fund("cumbria", "CF")
    officer = staff_user(fund.office)
    application = submitted(fund, purposes=["crime-disorder"])
    only_line(application, "volunteer_expenses", "Volunteer coordinator travel", "2000")
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert result.outcome == REFER
    screening_override(
        result=result,
        outcome=PASS,
        reason="Mileage for the volunteer who organises the rota; not a paid post.",
        actor=officer,
    )
    screening_conclude(application=application, actor=officer)
    application.refresh_from_db()
    assert application.status == Status.ELIGIBLE
    event = AuditEvent.objects.get(verb="application.screening_overridden")
    assert event.data["rule"] == Rule.INELIGIBLE_COSTS and event.data["to"] == PASS


CUMBRIA = yaml.safe_load((ROOT / "packs" / "cumbria.yaml").read_text(encoding="utf-8"))
STAFF_SIGNALS = next(
    item["signals"]
    for item in CUMBRIA["policy"]["application"]["ineligible_costs"]
    if isinstance(item, dict) and item["category"] == "staff_roles"
)
STAFF_FUND = SimpleNamespace(
    name="Community Fund",
    ineligible_costs=["staff_roles"],
    ineligible_cost_signals={"staff_roles": STAFF_SIGNALS},
)


def _fund_signalled_by(*words):
    return SimpleNamespace(
        name="Community Fund",
        ineligible_costs=["staff_roles"],
        ineligible_cost_signals={"staff_roles": list(words)},
    )


def _line(description, category="staff"):
    return SimpleNamespace(description=description, category=category, amount=Decimal("100"))


def _with_random_case(draw, word):
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if flip else c.lower() for c, flip in zip(word, flips, strict=True))


# Text around a signal: words and punctuation, but never a letter or digit touching it.
filler = st.text(alphabet=st.sampled_from("abcdefghij £0123456789.,;:()"), max_size=30)


@st.composite
def line_mentioning_a_signal(draw):
    word = draw(st.sampled_from(STAFF_SIGNALS))
    before, after = draw(filler), draw(filler)
    separator = draw(st.sampled_from([" ", ", ", " (", "\n"]))
    return f"{before}{separator}{_with_random_case(draw, word)}{separator[::-1]}{after}"


@given(description=line_mentioning_a_signal())
@example(description="Part-time coordinator salary")
@example(description="POST HOLDER: 10 hours a week")
def test_any_description_with_a_signal_as_a_whole_word_is_referred(description):
    """Item 1: a signal word anywhere in the description, in any case, refers the line, under
    whatever category the applicant chose."""
    check = rules.no_ineligible_costs([_line(description)], fund=STAFF_FUND)
    assert check.outcome == REFER
    assert "funding a permanent staff post" in check.reason


@given(
    word=st.sampled_from(STAFF_SIGNALS),
    before=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", max_size=4),
    after=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", max_size=4),
)
@example(word="post", before="", after="age")
@example(word="post", before="", after="ers")
@example(word="salary", before="", after="man")
def test_a_word_that_only_contains_a_signal_is_not_referred(word, before, after):
    """Item 1: 'postage' and 'posters' are not 'post'."""
    if not (before or after):
        return
    glued = f"{before}{word}{after}"
    assert rules.matched_words(glued, [word]) == []
    check = rules.no_ineligible_costs([_line(glued)], fund=_fund_signalled_by(word))
    assert check.outcome == PASS


def test_a_line_with_no_signal_passes_and_a_fund_without_signals_reads_only_categories():
    clean = rules.no_ineligible_costs([_line("Gloves, pads and gym hire")], fund=STAFF_FUND)
    assert clean.outcome == PASS
    silent = SimpleNamespace(
        name="Community Fund", ineligible_costs=["staff_roles"], ineligible_cost_signals={}
    )
    assert rules.no_ineligible_costs([_line("Coordinator salary")], fund=silent).outcome == PASS


# 2. A ticked purpose needs support in the text ----------------------------------------------


@pytest.mark.django_db
def test_cambridgeshire_road_safety_ticked_with_nothing_about_roads_is_referred():
    """Item 2: the Casualty Reduction and Support Reserve is road safety only; ticking the
    purpose on a bid about parks passed."""
    fund = seed_fund("cambridgeshire", "CRSR")
    application = submitted(
        fund,
        purposes=["road-safety"],
        title="Safer Parks after dark",
        short_description="Volunteer patrols and lighting surveys in three parks.",
        activities="Weekly evening patrols with the neighbourhood team; two surveys.",
    )
    result = run(application)[Rule.PURPOSE]
    assert result.outcome == REFER
    assert result.reason.startswith(
        "The application ticks Prevent road crashes and promote road safety, but its title, "
        "description and activities mention none of the words that show it (such as "
        "‘road safety’, ‘road’, ‘roads’, ‘crash’)."
    )
    assert "An officer should confirm" in result.reason
    assert result.details["support"] == {"road-safety": []}
    assert application.screening_outcome == REFER


@pytest.mark.django_db
def test_a_ticked_purpose_the_text_supports_passes_naming_the_words():
    fund = seed_fund("cambridgeshire", "CRSR")
    application = submitted(
        fund,
        purposes=["road-safety"],
        title="Speed awareness for young drivers",
        activities="Workshops in sixth forms on speeding and collisions.",
    )
    result = run(application)[Rule.PURPOSE]
    assert result.outcome == PASS
    assert "It mentions ‘collisions’, ‘speeding’, ‘speed’, ‘drivers’." in result.reason


@pytest.mark.django_db
def test_cleveland_ticking_every_s143_purpose_refers_the_ones_the_text_does_not_support():
    fund = seed_fund("cleveland", "CSF")
    application = submitted(
        fund,
        purposes=["crime-disorder", "substance-misuse"],
        title="Safer Parks after dark",
        short_description="Patrols against antisocial behaviour in three parks.",
        activities="Weekly evening patrols.",
    )
    result = run(application)[Rule.PURPOSE]
    assert result.outcome == REFER
    assert "ticks Reducing the misuse of drugs, alcohol and other substances, but" in result.reason
    assert "Crime and disorder reduction" not in result.reason
    assert result.details["support"] == {"crime-disorder": ["antisocial"], "substance-misuse": []}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("officer_result", "status"), [(FAIL, Status.INELIGIBLE), (PASS, Status.ELIGIBLE)]
)
def test_an_officer_confirms_or_fails_an_unsupported_purpose_and_it_is_recorded(
    officer_result, status
):
    fund = seed_fund("cambridgeshire", "CRSR")
    officer = staff_user(fund.office)
    application = submitted(fund, purposes=["road-safety"], title="Safer Parks after dark")
    result = run(application)[Rule.PURPOSE]
    assert result.outcome == REFER
    reason = (
        "The parks project does not concern roads."
        if officer_result == FAIL
        else ("The patrols cover the school crossing on the park road, seen on the site visit.")
    )
    screening_override(result=result, outcome=officer_result, reason=reason, actor=officer)
    screening_conclude(application=application, actor=officer)
    application.refresh_from_db()
    result.refresh_from_db()
    assert application.status == status
    assert result.override_outcome == officer_result
    assert result.override_reason == reason and result.overridden_by == officer
    event = AuditEvent.objects.get(verb="application.screening_overridden")
    assert event.data == {
        "rule": Rule.PURPOSE,
        "from": REFER,
        "to": officer_result,
        "reason": reason,
    }


PURPOSE_FUND = SimpleNamespace(
    name="Casualty Reduction and Support Reserve",
    purpose_required=True,
    permitted_purposes=[
        {"code": "road-safety", "title": "Road safety", "keywords": ["road safety", "speeding"]}
    ],
)


@given(text=st.text(alphabet="abcdefgh rstuvwxyz.,", max_size=60))
@example(text="Knitting circle at the library")
@example(text="Speeding on the high street")
def test_a_ticked_purpose_passes_exactly_when_its_words_are_in_the_text(text):
    check = rules.purpose_permitted(["road-safety"], text, fund=PURPOSE_FUND)
    supported = bool(re.search(r"(?<!\w)(road[\s-]+safety|speeding)(?!\w)", text, re.I))
    assert check.outcome == (PASS if supported else REFER)


# 3. A pilot longer than the fund allows ------------------------------------------------------


@pytest.mark.django_db
def test_an_18_month_pilot_arriving_without_the_form_fails_screening():
    """Item 3: Cumbria's pilots last at most 12 months; an 18-month pilot was only referred."""
    fund = seed_fund("cumbria", "CF")
    application = submitted(
        fund,
        purposes=["crime-disorder"],
        is_pilot=True,
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2028, 9, 30),
    )
    result = run(application)[Rule.PILOT_LENGTH]
    assert result.outcome == FAIL
    assert result.reason == (
        "The pilot runs 18 months, over the 12-month limit for pilots of the Community Fund. "
        "Pilots of this fund end in an evaluation."
    )
    assert application.screening_outcome == FAIL
    assert application.pilot_evaluation_due == dt.date(2028, 9, 30)


@pytest.mark.django_db
def test_an_accepted_pilot_carries_its_evaluation_due_date():
    fund = seed_fund("cumbria", "CF")
    application = submitted(
        fund,
        purposes=["crime-disorder"],
        is_pilot=True,
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2028, 3, 31),
    )
    result = run(application)[Rule.PILOT_LENGTH]
    assert result.outcome == PASS
    assert result.reason.endswith("Its evaluation is due when it ends, on 31 March 2028.")
    assert result.details["evaluation_due"] == "2028-03-31"
    assert application.status == Status.ELIGIBLE
    assert application.pilot_evaluation_due == dt.date(2028, 3, 31)


@pytest.mark.django_db
def test_no_evaluation_is_due_for_a_project_that_is_not_a_pilot_or_a_fund_that_asks_none():
    cumbria = seed_fund("cumbria", "CF")
    assert submitted(cumbria, purposes=["crime-disorder"]).pilot_evaluation_due is None
    essex = seed_fund("essex", "CSDF")
    assert submitted(essex, is_pilot=True).pilot_evaluation_due is None


@pytest.mark.django_db
def test_submitting_an_over_long_pilot_is_refused_with_the_limit():
    fund = seed_fund("cumbria", "CF")
    application = CompleteDraftFactory(
        round=RoundFactory(fund=fund),
        purposes=["crime-disorder"],
        is_pilot=True,
        ends_on=dt.date(2028, 9, 30),
    )
    application.endorsements.update(state="confirmed")
    with pytest.raises(IncompleteApplication) as caught:
        application_submit(application=application, actor=member_of(application.organisation))
    assert [m.message for m in caught.value.missing] == [
        "Pilots of this fund last at most 12 months"
    ]


@pytest.mark.django_db
def test_the_form_refuses_an_over_long_pilot_and_saves_none_of_it(client):
    """Item 3: the About step refuses a pilot longer than the fund allows, with the limit."""
    fund = seed_fund("cumbria", "CF")
    application = CompleteDraftFactory(
        round=RoundFactory(fund=fund), purposes=["crime-disorder"], is_pilot=False
    )
    client.force_login(member_of(application.organisation))
    url = f"/applications/{application.public_id}/about/"
    assert "Pilots of this fund last at most 12 months." in client.get(url).content.decode()
    page = client.post(
        url,
        {
            "title": "Safer Parks pilot",
            "is_pilot": "True",
            "is_continuation": "False",
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2027",
            "ends_on_0": "30",
            "ends_on_1": "9",
            "ends_on_2": "2028",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html
    assert "Pilots of this fund last at most 12 months" in html
    application.refresh_from_db()
    assert application.title == "Safer Parks pilot"
    assert application.is_pilot is False
    assert (application.starts_on, application.ends_on) == (
        dt.date(2027, 4, 1),
        dt.date(2028, 3, 31),
    )
    accepted = client.post(
        url,
        {
            "title": "Safer Parks pilot",
            "is_pilot": "True",
            "is_continuation": "False",
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2027",
            "ends_on_0": "31",
            "ends_on_1": "3",
            "ends_on_2": "2028",
        },
    )
    assert accepted.status_code == 302
    application.refresh_from_db()
    assert application.is_pilot is True
    assert application.pilot_evaluation_due == dt.date(2028, 3, 31)
