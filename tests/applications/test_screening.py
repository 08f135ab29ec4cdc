"""AP7: eligibility screening against each seed office's own pack, officer overrides with a
reason, concluding with an e-mail to the applicant, and who may see and do what."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.mfa import totp_activate
from commissioning.accounts.models import Role
from commissioning.applications.models import (
    BudgetLine,
    Endorsement,
    Round,
    ScreeningOutcome,
    ScreeningResult,
    Status,
)
from commissioning.applications.screening import rules
from commissioning.applications.screening.rules import Rule
from commissioning.applications.screening.selectors import current_screening_results
from commissioning.applications.screening.services import (
    screening_conclude,
    screening_override,
    screening_run,
)
from commissioning.audit.models import AuditEvent
from commissioning.core.errors import DomainError
from commissioning.core.money import format_pounds
from commissioning.offices.models import Fund
from commissioning.offices.packs import load_pack
from tests.accounts.factories import TOTP_SECRET, sign_in, staff_user
from tests.applications.factories import (
    ApplicationSubmittedFactory,
    CompleteDraftFactory,
    OrganisationFactory,
    RoundFactory,
    SafeguardingPolicyFactory,
    member_of,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

PASS, FAIL, REFER = ScreeningOutcome.PASS, ScreeningOutcome.FAIL, ScreeningOutcome.REFER
SCREENING_NAMESPACE = "screening"


def seed_fund(office_slug: str, fund_code: str):
    """A fund of a seed office, loaded from the real pack."""
    office = load_pack(ROOT / "packs" / f"{office_slug}.yaml").office
    return office.funds.get(code=fund_code)


def submitted(fund, **fields):
    """A complete application to the fund, just submitted, with its endorsements confirmed."""
    fields.setdefault("round", RoundFactory(fund=fund))
    return ApplicationSubmittedFactory(**fields)


def results_of(application) -> dict[str, ScreeningResult]:
    return {r.rule: r for r in current_screening_results(application)}


def run(application, actor=None) -> dict[str, ScreeningResult]:
    screening_run(application=application, actor=actor)
    application.refresh_from_db()
    return results_of(application)


def signalled_bid(description="Volunteer coordinator travel"):
    """A Cumbria Community Fund bid whose one budget line uses a word that signals a staff
    role: its ineligible-costs result is referred to an officer."""
    fund = seed_fund("cumbria", "CF")
    application = submitted(fund, purposes=["crime-disorder"])
    application.budget_lines.update(category="volunteer_expenses", description=description)
    return application


# The seed offices' rules ------------------------------------------------------------------


def test_essex_csdf_over_its_maximum_fails_naming_the_figure():
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund, amount_requested=Decimal("25000"))
    result = run(application)[Rule.AMOUNT]
    assert result.outcome == FAIL
    assert result.reason == (
        "£25,000 is over the £20,000 maximum of the Community Safety Development Fund."
    )
    assert application.screening_outcome == FAIL
    assert application.status == Status.SCREENING


def test_essex_csdf_within_its_range_passes_every_rule():
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund, amount_requested=Decimal("18000"))
    results = run(application)
    assert {rule: r.outcome for rule, r in results.items()} == dict.fromkeys(results, PASS)
    assert list(results) == [
        Rule.AMOUNT,
        Rule.APPLICANT_TYPE,
        Rule.ENDORSEMENTS,
        Rule.SAFEGUARDING,
        Rule.PURPOSE,
        Rule.INELIGIBLE_COSTS,
        Rule.CONTINUATION,
        Rule.PILOT_LENGTH,
        Rule.DUPLICATION,
    ]
    assert "£18,000 is within the £1,000 to £20,000 range" in results[Rule.AMOUNT].reason
    assert application.screening_outcome == PASS
    assert application.status == Status.ELIGIBLE


def test_a_rounds_narrower_range_applies_and_is_named():
    fund = seed_fund("cumbria", "CF")
    round_ = RoundFactory(fund=fund, title="Road safety call", max_award=Decimal("1500"))
    result = run(submitted(fund, round=round_, purposes=["road-safety"]))[Rule.AMOUNT]
    assert result.outcome == FAIL
    assert result.reason == "£2,000 is over the £1,500 maximum of the Road safety call."


def test_cumbria_community_fund_without_a_confirmed_police_endorsement_fails():
    fund = seed_fund("cumbria", "CF")
    application = submitted(fund, purposes=["crime-disorder"], endorsements_confirmed=False)
    application.endorsements.update(state=Endorsement.State.REQUESTED)
    result = run(application)[Rule.ENDORSEMENTS]
    assert result.outcome == FAIL
    assert "police officer or PCSO" in result.reason
    assert "has not replied yet" in result.reason


def test_cumbria_community_fund_with_no_endorser_named_fails():
    fund = seed_fund("cumbria", "CF")
    application = submitted(fund, purposes=["crime-disorder"])
    application.endorsements.all().delete()
    result = run(application)[Rule.ENDORSEMENTS]
    assert result.outcome == FAIL
    assert "police officer or PCSO endorsement; no endorser is named" in result.reason


def test_cumbria_community_fund_with_a_confirmed_police_endorsement_passes():
    fund = seed_fund("cumbria", "CF")
    application = submitted(fund, purposes=["crime-disorder"])
    results = run(application)
    assert results[Rule.ENDORSEMENTS].outcome == PASS
    assert application.status == Status.ELIGIBLE


def test_essex_names_each_missing_endorsement():
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund)
    application.endorsements.filter(kind="community_safety_partnership").update(
        state=Endorsement.State.DECLINED
    )
    result = run(application)[Rule.ENDORSEMENTS]
    assert result.outcome == FAIL
    assert "community safety partnership: the endorser declined" in result.reason
    assert "police:" not in result.reason


def test_cumbria_budget_line_funding_a_staff_role_fails_naming_the_line():
    fund = seed_fund("cumbria", "CF")
    application = submitted(fund, purposes=["crime-disorder"])
    application.budget_lines.all().delete()
    BudgetLine.objects.create(
        application=application,
        category="staff_roles",
        description="Part-time project coordinator post",
        amount=Decimal("2000"),
    )
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert result.outcome == FAIL
    assert result.reason == (
        "‘Part-time project coordinator post’ (£2,000) is funding a permanent staff post, "
        "which the Community Fund does not pay for."
    )


def test_lancashire_budget_line_for_police_overtime_fails():
    fund = seed_fund("lancashire", "PG")
    application = submitted(fund, organisation__applicant_type="charity")
    BudgetLine.objects.create(
        application=application,
        category="police_officer_pay",
        description="Overtime for officers at the summer event",
        amount=Decimal("1500"),
    )
    results = run(application)
    result = results[Rule.INELIGIBLE_COSTS]
    assert result.outcome == FAIL
    assert "‘Overtime for officers at the summer event’ (£1,500)" in result.reason
    assert "police officer pay or overtime" in result.reason
    assert result.details["lines"][0]["amount"] == "1500.00"
    assert results[Rule.APPLICANT_TYPE].outcome == PASS


def test_lancashire_ordinary_costs_pass():
    fund = seed_fund("lancashire", "PG")
    application = submitted(fund, organisation__applicant_type="charity")
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert result.outcome == PASS
    assert "police officer pay or overtime" in result.reason


def test_an_applicant_type_the_fund_does_not_accept_fails():
    fund = seed_fund("lancashire", "PG")
    result = run(submitted(fund))[Rule.APPLICANT_TYPE]
    assert result.outcome == FAIL
    assert "community group" in result.reason
    assert "Grant funding to partners and partnerships" in result.reason


def test_cleveland_community_safety_fund_bid_with_no_s143_purpose_fails():
    fund = seed_fund("cleveland", "CSF")
    application = submitted(
        fund,
        title="Knitting circle",
        short_description="A weekly knitting circle at the library.",
        activities="We will meet on Tuesdays and knit blankets together.",
    )
    result = run(application)[Rule.PURPOSE]
    assert result.outcome == FAIL
    assert "names none of the purposes the PCC Community Safety Fund funds" in result.reason
    assert "Reducing re-offending" in result.reason


def test_cleveland_bid_naming_an_s143_purpose_passes():
    fund = seed_fund("cleveland", "CSF")
    application = submitted(
        fund, purposes=["reoffending"], activities="Mentoring for ex-offenders after prison."
    )
    result = run(application)[Rule.PURPOSE]
    assert result.outcome == PASS
    assert "Reducing re-offending" in result.reason


def test_cleveland_bid_with_no_purpose_but_matching_words_is_referred_never_passed():
    fund = seed_fund("cleveland", "CSF")
    application = submitted(
        fund,
        title="Youth diversion",
        short_description="Diversion for young people at risk of antisocial behaviour.",
        activities="Mentoring for young people released from prison.",
    )
    result = run(application)[Rule.PURPOSE]
    assert result.outcome == REFER
    assert "‘antisocial’" in result.reason and "‘prison’" in result.reason
    assert set(result.details["suggested"]) == {"crime-disorder", "reoffending"}


def test_cambridgeshire_road_safety_reserve_refuses_other_purposes():
    fund = seed_fund("cambridgeshire", "CRSR")
    refused = run(submitted(fund, purposes=["crime-disorder"]))[Rule.PURPOSE]
    assert refused.outcome == FAIL
    assert "crime-disorder is not a purpose the Casualty Reduction" in refused.reason
    accepted = run(submitted(fund, purposes=["road-safety"], title="Safer roads near the school"))[
        Rule.PURPOSE
    ]
    assert accepted.outcome == PASS


def test_safeguarding_policy_needed_and_missing_fails():
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund, involves_children_or_vulnerable_adults=True)
    result = run(application)[Rule.SAFEGUARDING]
    assert result.outcome == FAIL
    assert "no current safeguarding policy on file" in result.reason


def test_safeguarding_policy_on_file_passes():
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund, involves_children_or_vulnerable_adults=True)
    SafeguardingPolicyFactory(organisation=application.organisation)
    result = run(application)[Rule.SAFEGUARDING]
    assert result.outcome == PASS
    assert result.details["on_file"] is True


def test_a_safeguarding_policy_past_its_review_date_does_not_count():
    import datetime as dt

    fund = seed_fund("essex", "CSDF")
    application = submitted(fund, involves_children_or_vulnerable_adults=True)
    SafeguardingPolicyFactory(
        organisation=application.organisation,
        adopted_on=dt.date(2020, 1, 1),
        review_due_on=dt.date(2021, 1, 1),
    )
    assert run(application)[Rule.SAFEGUARDING].outcome == FAIL


def test_safeguarding_is_not_asked_where_the_project_does_not_involve_children():
    fund = seed_fund("essex", "CSDF")
    result = run(submitted(fund, involves_children_or_vulnerable_adults=False))
    assert result[Rule.SAFEGUARDING].outcome == PASS


def test_continuation_without_evidence_fails_where_the_pack_requires_it():
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund, is_continuation=True, previous_funding="")
    result = run(application)[Rule.CONTINUATION]
    assert result.outcome == FAIL
    assert "does not say what that funding delivered" in result.reason


def test_continuation_with_evidence_passes():
    fund = seed_fund("essex", "CSDF")
    application = submitted(
        fund, is_continuation=True, previous_funding="120 young people completed the course."
    )
    assert run(application)[Rule.CONTINUATION].outcome == PASS


def test_lancashire_does_not_require_continuation_evidence():
    fund = seed_fund("lancashire", "PG")
    application = submitted(
        fund, organisation__applicant_type="charity", is_continuation=True, previous_funding=""
    )
    assert run(application)[Rule.CONTINUATION].outcome == PASS


def test_a_pilot_over_the_funds_limit_fails():
    import datetime as dt

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
    assert "18 months, over the 12-month limit" in result.reason
    assert application.screening_outcome == FAIL


# Pure rules --------------------------------------------------------------------------------

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)


@given(low=money, high=money, amount=money)
def test_amount_rule_passes_inside_the_range_and_fails_outside(low, high, amount):
    low, high = min(low, high), max(low, high)
    fund = Fund(name="Test Fund", min_award=low, max_award=high)
    check = rules.amount_within_range(amount, fund=fund)
    assert check.rule == Rule.AMOUNT
    assert format_pounds(amount) in check.reason
    if low <= amount <= high:
        assert check.outcome == PASS
    else:
        assert check.outcome == FAIL
        limit = high if amount > high else low
        assert format_pounds(limit) in check.reason
        assert "Test Fund" in check.reason


def test_amount_rule_with_no_range_passes_and_with_no_amount_fails():
    fund = Fund(name="Victims Fund")
    assert rules.amount_within_range(Decimal("5"), fund=fund).outcome == PASS
    assert rules.amount_within_range(None, fund=fund).outcome == FAIL


def test_continuation_rule_requires_evidence_when_the_pack_is_silent():
    check = rules.continuation_evidence(True, "  ", application_policy={})
    assert check.outcome == FAIL


def test_a_round_cannot_widen_the_funds_range():
    fund = Fund(name="Community Fund", min_award=Decimal("100"), max_award=Decimal("2500"))
    wide = Round(title="Wide call", min_award=Decimal("1"), max_award=Decimal("9000"))
    check = rules.amount_within_range(Decimal("3000"), fund=fund, round=wide)
    assert check.outcome == FAIL
    assert "of the Community Fund" in check.reason


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ((2026, 4, 1), (2027, 3, 31), 12),
        ((2026, 4, 1), (2027, 4, 1), 13),
        ((2026, 1, 15), (2026, 2, 14), 1),
    ],
)
def test_months_spanned(start, end, months):
    import datetime as dt

    assert rules.months_spanned(dt.date(*start), dt.date(*end)) == months


# Running, overriding, concluding ------------------------------------------------------------


def test_a_run_keeps_earlier_results_as_history_and_writes_an_audit_event():
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund, amount_requested=Decimal("25000"))
    officer = staff_user(fund.office)
    run(application)
    run(application, actor=officer)
    assert application.screening_results.count() == 18
    assert application.screening_results.filter(is_current=True).count() == 9
    assert set(
        application.screening_results.filter(is_current=True).values_list("run_by", flat=True)
    ) == {officer.pk}
    events = AuditEvent.objects.filter(verb="application.screening_run")
    assert events.count() == 2
    assert events.last().data["results"]["amount"] == FAIL


def test_submission_screens_the_application(django_capture_on_commit_callbacks):
    from commissioning.applications.services import application_submit

    fund = seed_fund("cumbria", "CF")
    application = CompleteDraftFactory(round=RoundFactory(fund=fund), purposes=["crime-disorder"])
    application.endorsements.update(state=Endorsement.State.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, actor=member_of(application.organisation))
    application.refresh_from_db()
    assert application.status == Status.ELIGIBLE
    assert application.screening_outcome == PASS
    assert application.status_changes.filter(new=Status.ELIGIBLE, actor=None).exists()


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.WITHDRAWN, Status.IN_ASSESSMENT, Status.APPROVED]
)
def test_screening_is_refused_on_drafts_withdrawn_and_decided_applications(status):
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund)
    application.status = status
    application.save(update_fields=["status"])
    with pytest.raises(DomainError) as caught:
        screening_run(application=application, actor=None)
    assert caught.value.message
    assert not application.screening_results.exists()


def test_run_again_from_eligible_and_from_not_eligible():
    fund = seed_fund("essex", "CSDF")
    officer = staff_user(fund.office)
    application = submitted(fund)
    run(application)
    assert application.status == Status.ELIGIBLE
    application.amount_requested = Decimal("25000")
    application.save(update_fields=["amount_requested"])
    run(application, officer)
    assert application.status == Status.SCREENING
    screening_conclude(application=application, actor=officer)
    assert application.status == Status.INELIGIBLE
    application.amount_requested = Decimal("15000")
    application.save(update_fields=["amount_requested"])
    run(application, officer)
    assert application.status == Status.ELIGIBLE
    assert list(application.status_changes.values_list("old", "new").order_by("id")) == [
        (Status.SUBMITTED, Status.ELIGIBLE),
        (Status.ELIGIBLE, Status.SCREENING),
        (Status.SCREENING, Status.INELIGIBLE),
        (Status.INELIGIBLE, Status.SCREENING),
        (Status.SCREENING, Status.ELIGIBLE),
    ]


def test_override_needs_a_reason():
    fund = seed_fund("cumbria", "CF")
    application = submitted(fund, purposes=["crime-disorder"], is_pilot=True)
    application.ends_on = application.starts_on.replace(year=application.starts_on.year + 2)
    application.save(update_fields=["ends_on"])
    result = run(application)[Rule.PILOT_LENGTH]
    for reason in ("", "   "):
        with pytest.raises(DomainError) as caught:
            screening_override(
                result=result, outcome=PASS, reason=reason, actor=staff_user(fund.office)
            )
        assert caught.value.field == "reason"
    with pytest.raises(DomainError) as caught:
        screening_override(result=result, outcome="maybe", reason="x", actor=None)
    assert caught.value.field == "outcome"
    result.refresh_from_db()
    assert result.override_outcome == ""


def test_override_changes_the_outcome_and_is_audited():
    application = signalled_bid()
    officer = staff_user(application.office)
    result = run(application)[Rule.INELIGIBLE_COSTS]
    assert application.screening_outcome == REFER
    with pytest.raises(DomainError, match="referred to an officer"):
        screening_conclude(application=application, actor=officer)

    screening_override(
        result=result,
        outcome=PASS,
        reason="Mileage for the volunteer who organises the rota, not a paid post.",
        actor=officer,
    )
    result.refresh_from_db()
    application.refresh_from_db()
    assert result.effective_outcome == PASS and result.outcome == REFER
    assert result.overridden_by == officer and result.overridden_at
    assert application.screening_outcome == PASS
    event = AuditEvent.objects.get(verb="application.screening_overridden")
    assert event.data == {
        "rule": Rule.INELIGIBLE_COSTS,
        "from": REFER,
        "to": PASS,
        "reason": "Mileage for the volunteer who organises the rota, not a paid post.",
    }
    screening_conclude(application=application, actor=officer)
    application.refresh_from_db()
    assert application.status == Status.ELIGIBLE
    assert mail.outbox == []


def test_an_override_survives_a_run_that_finds_the_same_and_not_one_that_does_not():
    application = signalled_bid()
    officer = staff_user(application.office)
    result = run(application)[Rule.INELIGIBLE_COSTS]
    screening_override(result=result, outcome=PASS, reason="Agreed.", actor=officer)
    again = run(application, officer)[Rule.INELIGIBLE_COSTS]
    assert again.pk != result.pk and again.effective_outcome == PASS
    assert application.status == Status.ELIGIBLE
    application.budget_lines.update(description="Volunteer coordinator wages")
    changed = run(application, officer)[Rule.INELIGIBLE_COSTS]
    assert changed.effective_outcome == REFER and changed.override_reason == ""


def test_a_replaced_result_cannot_be_overridden():
    fund = seed_fund("essex", "CSDF")
    application = submitted(fund)
    old = run(application)[Rule.AMOUNT]
    run(application)
    with pytest.raises(DomainError, match="later screening"):
        screening_override(result=old, outcome=FAIL, reason="No.", actor=None)


def test_overriding_a_concluded_screening_reopens_it():
    fund = seed_fund("essex", "CSDF")
    officer = staff_user(fund.office)
    application = submitted(fund)
    result = run(application)[Rule.DUPLICATION]
    assert application.status == Status.ELIGIBLE
    screening_override(
        result=result, outcome=FAIL, reason="The same as the council's scheme.", actor=officer
    )
    application.refresh_from_db()
    assert application.status == Status.SCREENING
    assert application.screening_outcome == FAIL


def test_conclude_with_a_fail_makes_it_not_eligible_and_emails_the_reasons(
    django_capture_on_commit_callbacks,
):
    fund = seed_fund("essex", "CSDF")
    officer = staff_user(fund.office)
    organisation = OrganisationFactory(name="Basildon Boxing Club")
    application = submitted(
        fund,
        organisation=organisation,
        submitted_by=member_of(organisation, email="lead@boxing.example"),
        amount_requested=Decimal("25000"),
        is_continuation=True,
        previous_funding="",
    )
    run(application, officer)
    with django_capture_on_commit_callbacks(execute=True):
        screening_conclude(application=application, actor=officer)
    application.refresh_from_db()
    assert application.status == Status.INELIGIBLE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@boxing.example"]
    assert application.reference in message.subject
    assert "£25,000 is over the £20,000 maximum of the Community Safety Development Fund" in (
        message.body
    )
    assert "does not say what that funding delivered" in message.body
    assert AuditEvent.objects.filter(verb="application.screening_concluded").exists()


# Queries -----------------------------------------------------------------------------------


def _queries_to_screen(application) -> int:
    with CaptureQueriesContext(connection) as queries:
        screening_run(application=application, actor=None)
    return len(queries)


def test_screening_queries_do_not_grow_with_budget_lines_or_candidates():
    fund = seed_fund("essex", "CSDF")
    round_ = RoundFactory(fund=fund)
    few = submitted(fund, round=round_)
    many = submitted(fund, round=round_, amount_requested=Decimal("2000"))
    BudgetLine.objects.bulk_create(
        BudgetLine(application=many, category="equipment", description=f"Item {n}", amount=10)
        for n in range(25)
    )
    for n in range(5):
        submitted(fund, round=round_, title=f"Another project {n}")
    assert _queries_to_screen(few) == _queries_to_screen(many)


# Pages -------------------------------------------------------------------------------------


def screening_url(name: str, application, *extra) -> str:
    args = [application.office.slug, application.reference, *extra]
    return reverse(f"{SCREENING_NAMESPACE}:{name}", args=args)


def staff_page(application) -> str:
    return reverse(
        "applications:staff_application", args=[application.office.slug, application.reference]
    )


@pytest.fixture
def referred():
    """A Cumbria Community Fund bid whose budget line mentions a coordinator: referred."""
    application = signalled_bid()
    run(application)
    return application


def test_officer_runs_the_screening_again_from_the_page(client, referred):
    sign_in(client, staff_user(referred.office))
    response = client.post(screening_url("run", referred))
    assert response.status_code == 302 and response.url == staff_page(referred)
    assert referred.screening_results.filter(is_current=False).count() == 9


def test_officer_overrides_a_result_from_the_page(client, referred):
    officer = staff_user(referred.office)
    sign_in(client, officer)
    url = screening_url("override", referred, Rule.INELIGIBLE_COSTS)
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": PASS, "reason": "Volunteer mileage, not a post."})
    assert response.status_code == 302 and response.url == staff_page(referred)
    result = results_of(referred)[Rule.INELIGIBLE_COSTS]
    assert result.override_outcome == PASS and result.overridden_by == officer
    response = client.post(screening_url("conclude", referred))
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.status == Status.ELIGIBLE


def test_override_without_a_reason_shows_the_error_summary(client, referred):
    sign_in(client, staff_user(referred.office))
    response = client.post(
        screening_url("override", referred, Rule.INELIGIBLE_COSTS), {"outcome": PASS, "reason": " "}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the reason for the officer&#x27;s result" in page
    response = client.post(screening_url("override", referred, Rule.INELIGIBLE_COSTS), {})
    assert "Choose the officer&#x27;s result" in response.content.decode()
    assert results_of(referred)[Rule.INELIGIBLE_COSTS].override_outcome == ""


def test_concluding_with_a_referral_left_is_refused_with_a_message(client, referred):
    sign_in(client, staff_user(referred.office))
    response = client.post(screening_url("conclude", referred), follow=False)
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.status == Status.SCREENING


def test_an_unknown_rule_is_404(client, referred):
    sign_in(client, staff_user(referred.office))
    assert client.get(screening_url("override", referred, "nonsense")).status_code == 404


def test_screening_pages_take_only_post_where_they_change_things(client, referred):
    sign_in(client, staff_user(referred.office))
    assert client.get(screening_url("run", referred)).status_code == 405
    assert client.get(screening_url("conclude", referred)).status_code == 405


def _forbidden_users(application, other_office):
    applicant = member_of(application.organisation)
    return {
        "another office's officer": staff_user(other_office),
        "the applicant": applicant,
        "an auditor": staff_user(application.office, Role.AUDITOR),
        "a panel member": staff_user(application.office, Role.PANEL_MEMBER),
    }


def test_only_screeners_of_the_office_may_act(client, referred, other_office):
    for who, user in _forbidden_users(referred, other_office).items():
        sign_in(client, user)
        for name, extra in (("run", ()), ("conclude", ()), ("override", (Rule.AMOUNT,))):
            url = screening_url(name, referred, *extra)
            response = client.post(url, {"outcome": PASS, "reason": "Hijacked"})
            assert response.status_code == 404, (who, name)
        assert client.get(screening_url("override", referred, Rule.AMOUNT)).status_code == 404
    assert not referred.screening_results.exclude(override_outcome="").exists()
    assert referred.screening_results.count() == 9


def test_anonymous_visitors_are_sent_to_sign_in(client, referred):
    response = client.post(screening_url("run", referred))
    assert response.status_code == 302 and "/accounts/" in response.url


def test_office_admin_may_screen(client, referred):
    sign_in(client, staff_user(referred.office, Role.OFFICE_ADMIN))
    assert client.post(screening_url("run", referred)).status_code == 302


def test_panel_shows_results_matches_overrides_and_forms(referred):
    from commissioning.cycle.models import ExistingProvision

    officer = staff_user(referred.office, full_name="Sam Officer")
    ExistingProvision.objects.create(
        office=referred.office,
        provider="Eden Council",
        name="Safer Parks after dark",
        description=f"{referred.short_description} {referred.activities}",
    )
    results = run(referred, officer)
    screening_override(
        result=results[Rule.DUPLICATION],
        outcome=PASS,
        reason="The council's scheme ends in March.",
        actor=officer,
    )
    context = {
        "application": referred,
        "screening_results": current_screening_results(referred),
        "can_screen": True,
    }
    html = render_to_string("applications/staff/_screening_panel.html", context)
    assert "Length of a pilot" in html and "govuk-tag--yellow" in html
    assert "Safer Parks after dark (Eden Council)" in html
    assert "100%" in html
    assert "Sam Officer" in html and "The council&#x27;s scheme ends in March." in html
    assert screening_url("override", referred, Rule.INELIGIBLE_COSTS) in html
    assert screening_url("run", referred) in html
    assert screening_url("conclude", referred) in html
    assert "style=" not in html and "<script" not in html
    reader = render_to_string(
        "applications/staff/_screening_panel.html", {**context, "can_screen": False}
    )
    assert screening_url("run", referred) not in reader and "<form" not in reader


# API ---------------------------------------------------------------------------------------


def api_url(application) -> str:
    return (
        f"/api/v1/offices/{application.office.slug}/applications/{application.reference}/screening"
    )


def test_api_returns_the_current_results_to_office_staff(client, referred):
    sign_in(client, staff_user(referred.office, Role.AUDITOR))
    response = client.get(api_url(referred))
    assert response.status_code == 200
    data = response.json()
    assert data["reference"] == referred.reference
    assert data["screening_outcome"] == REFER
    by_rule = {r["rule"]: r for r in data["results"]}
    assert len(by_rule) == 9
    assert by_rule[Rule.INELIGIBLE_COSTS]["outcome"] == REFER
    assert by_rule[Rule.INELIGIBLE_COSTS]["title"] == "No ineligible costs"
    assert "‘coordinator’" in by_rule[Rule.INELIGIBLE_COSTS]["reason"]


def test_api_is_404_for_anyone_else(client, referred, other_office):
    users = _forbidden_users(referred, other_office)
    del users["an auditor"]
    # The API takes only sessions with two-factor sign-in; give the applicant one too.
    totp_activate(user=users["the applicant"], secret=TOTP_SECRET)
    for who, user in users.items():
        sign_in(client, user)
        response = client.get(api_url(referred))
        assert response.status_code == 404, who
        assert response.json() == {"detail": "Not found."}
