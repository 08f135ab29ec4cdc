"""AP7 and CY2: possible duplication of existing provision, current awards and other bids to
the same round is referred to an officer, with the closest matches shown; it never fails."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.applications.models import ScreeningOutcome, Status
from commissioning.applications.screening.duplication import (
    Candidate,
    closest_matches,
    duplication_candidates,
    duplication_check,
    similarities,
    stem,
    terms,
)
from commissioning.applications.screening.rules import Rule
from commissioning.applications.screening.services import screening_run
from commissioning.offices.packs import load_pack
from tests.applications.factories import (
    ApplicationSubmittedFactory,
    ExistingProvisionFactory,
    OrganisationFactory,
    RoundFactory,
)
from tests.conftest import PACKS, ROOT

BOXING = (
    "Boxing club for young people at risk of exploitation in Basildon. Weekly boxing "
    "sessions and mentoring for young people referred by schools and the police."
)
POLICY = {"duplication_refer_threshold": 0.6}


def provision(text: str, label: str = "Existing service") -> Candidate:
    return Candidate(kind="provision", label=label, text=text)


# Text similarity ---------------------------------------------------------------------------


def test_identical_texts_are_fully_similar_and_unrelated_ones_not_at_all():
    same, unrelated = similarities(BOXING, [BOXING, "Knitting circle at the library"])
    assert same == pytest.approx(1.0)
    assert unrelated == 0.0


def test_stop_words_are_ignored_and_words_are_stemmed():
    assert stem("patrols") == stem("patrol") == "patrol"
    assert stem("activities") == "activity"
    assert stem("stopping") == stem("stopped") == "stop"
    assert stem("class") == "class"
    counts = terms("The patrols of the park")
    assert "the" not in counts and "of" not in counts
    assert counts["patrol"] == 1 and counts["patrol park"] == 1


def test_shared_phrases_count_for_more_than_shared_words():
    phrase, scattered = similarities(
        "knife crime awareness sessions",
        ["knife crime awareness for parents", "awareness of crime with a knife"],
    )
    assert phrase > scattered > 0


def test_the_closest_five_are_listed_best_first():
    candidates = [provision(f"{BOXING} {'extra words ' * n}", f"Service {n}") for n in range(8)]
    candidates.append(provision("Knitting circle at the library", "Knitting"))
    matches = closest_matches(BOXING, candidates)
    assert [c.label for c, _score in matches] == [f"Service {n}" for n in range(5)]
    scores = [score for _c, score in matches]
    assert scores == sorted(scores, reverse=True)


def test_a_match_at_the_threshold_is_referred_and_never_failed():
    check = duplication_check(
        BOXING, [provision(BOXING, "Basildon Boxing")], application_policy=POLICY
    )
    assert check.rule == Rule.DUPLICATION
    assert check.outcome == ScreeningOutcome.REFER
    assert "100% similar to ‘Basildon Boxing’" in check.reason
    assert "60%" in check.reason
    assert check.details["matches"][0]["percent"] == 100


def test_below_the_threshold_passes_and_still_lists_the_closest():
    check = duplication_check(
        BOXING,
        [provision("Mentoring for young people leaving care in Harlow", "Harlow mentoring")],
        application_policy=POLICY,
    )
    assert check.outcome == ScreeningOutcome.PASS
    assert check.details["matches"][0]["label"] == "Harlow mentoring"
    assert "below the 60% level" in check.reason


def test_the_threshold_comes_from_the_pack():
    candidates = [provision("Boxing sessions for young people in Basildon")]
    strict = duplication_check(
        BOXING, candidates, application_policy={"duplication_refer_threshold": 0.1}
    )
    lenient = duplication_check(
        BOXING, candidates, application_policy={"duplication_refer_threshold": 0.95}
    )
    assert strict.outcome == ScreeningOutcome.REFER
    assert lenient.outcome == ScreeningOutcome.PASS
    silent = duplication_check(BOXING, candidates, application_policy={})
    assert silent.outcome == ScreeningOutcome.PASS and "no level" in silent.reason


def test_nothing_to_compare_with_passes():
    check = duplication_check(BOXING, [], application_policy=POLICY)
    assert check.outcome == ScreeningOutcome.PASS
    assert check.details["matches"] == []


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.stem)
def test_every_seed_pack_sets_a_duplication_threshold(db, path):
    office = load_pack(path).office
    threshold = office.policy.application["duplication_refer_threshold"]
    assert 0 < threshold <= 1


# What is compared (database) ---------------------------------------------------------------


@pytest.fixture
def essex(db):
    return load_pack(ROOT / "packs" / "essex.yaml").office


def _bid(fund, **fields):
    fields.setdefault("round", RoundFactory(fund=fund))
    return ApplicationSubmittedFactory(**fields)


def test_candidates_are_current_awards_rival_bids_and_live_provision(essex, other_office):
    fund = essex.funds.get(code="CSDF")
    round_ = RoundFactory(fund=fund)
    application = _bid(fund, round=round_)
    today = timezone.localdate()
    yesterday, next_year = today - dt.timedelta(days=1), today + dt.timedelta(days=365)

    _bid(fund, status=Status.APPROVED, title="Current award", ends_on=next_year)
    _bid(fund, status=Status.APPROVED, title="Ended award", ends_on=yesterday)
    _bid(fund, round=round_, title="Rival bid")
    _bid(fund, round=round_, status=Status.WITHDRAWN, title="Withdrawn bid")
    _bid(fund, round=round_, status=Status.INELIGIBLE, title="Ineligible bid")
    _bid(fund, round=round_, organisation=application.organisation, title="Our other bid")
    _bid(fund, title="Bid to another round")
    _bid(other_office.funds.get(), status=Status.APPROVED, title="Other office's award")
    ExistingProvisionFactory(office=essex, name="Live service")
    ExistingProvisionFactory(office=essex, name="Funded to next year", ends_on=next_year)
    ExistingProvisionFactory(office=essex, name="Ended service", ends_on=yesterday)
    ExistingProvisionFactory(office=other_office, name="Other office's service")

    found = {(c.kind, c.text.splitlines()[0]) for c in duplication_candidates(application)}
    assert found == {
        ("award", "Current award"),
        ("application", "Rival bid"),
        ("provision", "Live service"),
        ("provision", "Funded to next year"),
    }


def test_screening_refers_a_bid_like_existing_provision_and_shows_the_matches(essex):
    fund = essex.funds.get(code="CSDF")
    ExistingProvisionFactory(
        office=essex, provider="Basildon Council", name="Boxing Futures", description=BOXING
    )
    application = _bid(
        fund,
        organisation=OrganisationFactory(),
        title="Boxing club",
        short_description="Boxing for young people at risk of exploitation in Basildon.",
        activities="Weekly boxing sessions and mentoring for young people referred by schools.",
        amount_requested=Decimal("5000"),
    )
    screening_run(application=application, actor=None)
    application.refresh_from_db()
    result = application.screening_results.get(is_current=True, rule=Rule.DUPLICATION)
    assert result.outcome == ScreeningOutcome.REFER
    match = result.details["matches"][0]
    assert match["label"] == "Boxing Futures (Basildon Council)"
    assert match["kind"] == "provision"
    assert match["similarity"] >= 0.6
    assert result.details["threshold"] == 0.6
    assert application.screening_outcome == ScreeningOutcome.REFER
    assert application.status == Status.SCREENING


def test_an_identical_bid_in_the_same_round_is_referred_not_failed(essex):
    fund = essex.funds.get(code="CSDF")
    round_ = RoundFactory(fund=fund)
    first = _bid(fund, round=round_)
    second = _bid(fund, round=round_)
    screening_run(application=second, actor=None)
    result = second.screening_results.get(is_current=True, rule=Rule.DUPLICATION)
    assert result.outcome == ScreeningOutcome.REFER
    assert result.details["matches"][0]["reference"] == first.reference
    assert result.details["matches"][0]["percent"] == 100
