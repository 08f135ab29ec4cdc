"""Policy packs (ST8): the seed packs load, loading is idempotent, edits update in place, and a
bad pack is refused with the file, key path, line and reason, having written nothing."""

import copy

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from commissioning.offices.models import Area, Budget, Fund, Office, OfficePolicy, Priority
from commissioning.offices.packs import PackError, load_pack, read_pack
from tests.conftest import MINIMAL_PACK, PACKS, write_pack

SEED_SLUGS = {"cumbria", "cambridgeshire", "lancashire", "essex", "cleveland"}


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"offices", "audit"}
    }


def test_the_five_seed_packs_ship():
    assert {p.stem for p in PACKS} >= SEED_SLUGS


@pytest.mark.parametrize("path", PACKS, ids=[p.stem for p in PACKS])
def test_seed_pack_validates_and_loads(db, path):
    report = load_pack(path)
    office = report.office
    assert office.slug == path.stem
    assert report.created > 10
    assert office.areas.count() >= 2
    assert all(a.ons_code[0] == "E" and a.population > 0 for a in office.areas.all())
    assert Priority.objects.filter(plan__office=office).count() >= 4
    assert office.funds.count() >= 2
    assert Budget.objects.filter(fund__office=office).exists()
    assert office.policy.procurement["bands"]
    assert office.policy.sign_off["tiers"]


@pytest.mark.parametrize("path", PACKS, ids=[p.stem for p in PACKS])
def test_loading_a_seed_pack_twice_changes_nothing(db, path):
    load_pack(path)
    stamps = {f.pk: f.updated_at for f in Fund.objects.all()}
    counts = row_counts()
    history = Fund.history.count()
    report = load_pack(path)
    assert (report.created, report.updated, report.archived) == (0, 0, 0)
    assert row_counts() == counts
    assert Fund.history.count() == history
    assert {f.pk: f.updated_at for f in Fund.objects.all()} == stamps


def test_essex_rules_from_the_seed(db):
    office = load_pack(next(p for p in PACKS if p.stem == "essex")).office
    csdf = office.funds.get(code="CSDF")
    assert csdf.max_award == 20000
    assert csdf.match_funding_scores_better and not csdf.match_funding_required
    names = {a.name for a in office.areas.all()}
    assert {"Southend-on-Sea", "Thurrock"} <= names
    over = [t for t in office.policy.sign_off["tiers"] if str(t["over"]) == "2000"][0]
    assert set(over["signatories"]) == {
        "commissioner",
        "monitoring_officer",
        "chief_finance_officer",
    }


def test_cleveland_forecast_budgets_exactly(db):
    office = load_pack(next(p for p in PACKS if p.stem == "cleveland")).office
    table = {
        (b.fund.name, b.financial_year): b.allocation
        for b in Budget.objects.filter(fund__office=office, is_forecast=True).select_related("fund")
    }
    initiatives = [v for (name, _y), v in sorted(table.items()) if "Community Safety Init" in name]
    victims = [v for (name, _y), v in sorted(table.items()) if "Victims and Witnesses" in name]
    assert initiatives == [1_000_000, 1_000_000, 1_005_000, 1_010_000]
    assert victims == [1_695_000, 1_210_000, 1_250_000, 1_270_000]


def test_cambridgeshire_top_slice_is_a_third(db):
    office = load_pack(next(p for p in PACKS if p.stem == "cambridgeshire")).office
    budget = Budget.objects.filter(fund__office=office, top_slices__share="1/3").first()
    assert budget is not None
    third = budget.top_slices.get(share="1/3").amount
    assert abs(third * 3 - budget.allocation) <= 0.02


def test_cumbria_community_fund(db):
    office = load_pack(next(p for p in PACKS if p.stem == "cumbria")).office
    fund = office.funds.get(max_award=2500)
    assert fund.is_rolling and fund.panels_per_year == 4
    assert [e["kind"] for e in fund.required_endorsements] == ["police_officer_or_pcso"]
    assert {"staff_roles", "charitable_sponsorship"} <= set(fund.ineligible_costs)
    assert "parish_council" in fund.eligible_applicant_types


def test_ineligible_costs_carry_their_signal_words_office_and_fund_together(db, minimal_pack):
    """Issue 9 item 1: each ineligible-cost rule lists the words that signal it; a fund's
    words for the same category join the office's."""
    data = yaml.safe_load(minimal_pack.read_text())
    data["policy"]["application"]["ineligible_costs"] = [
        {"category": "police_officer_pay", "signals": ["overtime", "officer pay"]},
        "alcohol",
    ]
    data["funds"][0]["ineligible_costs"] = [
        {"category": "police_officer_pay", "signals": ["overtime", "PCSO pay"]},
        {"category": "staff_roles", "signals": ["salary"], "assumed": ["signals"]},
    ]
    office = load_pack(write_pack(minimal_pack, data)).office
    fund = office.funds.get()
    assert fund.ineligible_costs == ["police_officer_pay", "alcohol", "staff_roles"]
    assert fund.ineligible_cost_signals == {
        "police_officer_pay": ["overtime", "officer pay", "PCSO pay"],
        "staff_roles": ["salary"],
    }
    assert "funds[0].ineligible_costs[1].signals" in office.policy.assumptions


@pytest.mark.parametrize(
    ("slug", "category", "words"),
    [
        ("cumbria", "staff_roles", {"salary", "wages", "post", "coordinator"}),
        ("cumbria", "charitable_sponsorship", {"sponsorship", "donation"}),
        ("lancashire", "police_officer_pay", {"overtime", "officer pay"}),
        ("lancashire", "partnership_running_costs", {"forum", "partnership running costs"}),
        ("essex", "statutory_substitute", {"statutory", "backfill"}),
    ],
)
def test_seed_packs_give_each_ineligible_cost_its_signal_words(db, slug, category, words):
    office = load_pack(next(p for p in PACKS if p.stem == slug)).office
    for fund in office.funds.all():
        assert words <= set(fund.ineligible_cost_signals[category]), fund.code


def test_every_required_purpose_of_the_seed_packs_has_keywords(db):
    """Issue 9 item 2: a ticked purpose is checked against the words that show it."""
    for path in PACKS:
        for fund in load_pack(path).office.funds.filter(purpose_required=True):
            assert all(p.get("keywords") for p in fund.permitted_purposes), fund.code


def test_assumed_values_are_listed_for_the_office(db, minimal_pack):
    office = load_pack(minimal_pack).office
    assumptions = office.policy.assumptions
    assert "areas[1].population" in assumptions
    assert "funds[0].award.min" in assumptions
    assert "policy.sign_off.tiers[0]" in assumptions
    assert Fund.objects.get(office=office).assumed == ["award.min"]


def test_an_edited_pack_updates_in_place_and_archives_what_it_drops(db, minimal_pack):
    office = load_pack(minimal_pack).office
    fund_pk = office.funds.get().pk
    data = yaml.safe_load(minimal_pack.read_text())
    data["funds"][0]["award"]["max"] = 3000
    dropped = data["areas"].pop()
    report = load_pack(write_pack(minimal_pack, data))
    assert report.updated >= 1 and report.archived == 1
    fund = Fund.objects.get(pk=fund_pk)
    assert fund.max_award == 3000
    assert fund.history.count() == 2
    area = Area.objects.get(ons_code=dropped["ons_code"])
    assert area.archived_at is not None
    assert list(Area.objects.current().filter(office=office).values_list("name", flat=True)) == [
        "North Testshire"
    ]
    data["areas"].append(dropped)
    load_pack(write_pack(minimal_pack, data))
    assert Area.objects.get(ons_code=dropped["ons_code"]).archived_at is None


def test_top_slice_share_is_computed_to_the_penny(db, minimal_pack):
    office = load_pack(minimal_pack).office
    budget = Budget.objects.get(fund__office=office, financial_year=2025)
    assert budget.top_sliced == pytest.approx(10000)
    assert str(budget.available) == "20000.00"


def test_a_changed_plan_becomes_current_and_keeps_the_old_one(db, minimal_pack):
    office = load_pack(minimal_pack).office
    data = yaml.safe_load(minimal_pack.read_text())
    data["plan"]["code"] = "plan-2028"
    data["plan"]["starts_on"] = "2028-04-01"
    data["plan"]["ends_on"] = "2032-03-31"
    load_pack(write_pack(minimal_pack, data))
    assert office.plans.count() == 2
    assert office.plans.get(is_current=True).code == "plan-2028"


# A corpus of broken packs: (change, expected key path, expected words in the reason).
def _set(path, value):
    def change(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return change


def _delete(path):
    def change(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return change


def _both(*changes):
    def change(data):
        for one in changes:
            one(data)

    return change


BROKEN = [
    (
        "ineligible cost listed twice",
        _set(
            ["policy", "application", "ineligible_costs"],
            ["police_officer_pay", {"category": "police_officer_pay", "signals": ["overtime"]}],
        ),
        "policy.application.ineligible_costs[1]",
        "cost category 'police_officer_pay' is listed twice",
    ),
    (
        "ineligible cost with no signal words",
        _set(["funds", 0, "ineligible_costs"], [{"category": "staff_roles", "signals": []}]),
        "funds[0].ineligible_costs[0].signals",
        "needs at least 1 item(s)",
    ),
    (
        "ineligible cost with an unknown category",
        _set(["funds", 0, "ineligible_costs"], [{"category": "wages", "signals": ["salary"]}]),
        "funds[0].ineligible_costs[0].category",
        "'wages' is not allowed here; use one of: police_officer_pay",
    ),
    (
        "required purpose without keywords",
        _both(
            _set(["funds", 0, "purposes"], [{"code": "road-safety", "title": "Road safety"}]),
            _set(["funds", 0, "purpose_required"], True),
        ),
        "funds[0].purposes[0].keywords",
        "a required purpose needs keywords",
    ),
    ("missing office", _delete(["office"]), "", "the key 'office' is missing"),
    (
        "money with commas",
        _set(["funds", 0, "award", "max"], "2,500"),
        "funds[0].award.max",
        "write pounds as a whole number",
    ),
    (
        "money as a float",
        _set(["funds", 0, "award", "max"], 2500.5),
        "funds[0].award.max",
        "is not an amount",
    ),
    (
        "negative money",
        _set(["funds", 0, "budgets", 0, "allocation"], -5),
        "funds[0].budgets[0].allocation",
        "is not an amount",
    ),
    (
        "unknown key",
        _set(["funds", 0, "maximum_award"], 5),
        "funds[0]",
        "unknown key 'maximum_award'",
    ),
    ("bad enum", _set(["office", "kind"], "PCCC"), "office.kind", "use one of: PCC, PFCC"),
    (
        "bad ONS code",
        _set(["areas", 0, "ons_code"], "X123"),
        "areas[0].ons_code",
        "not in the expected form",
    ),
    (
        "population as text",
        _set(["areas", 0, "population"], "many"),
        "areas[0].population",
        "must be a whole number",
    ),
    (
        "unknown applicant type",
        _set(["funds", 0, "eligible_applicants"], ["pirates"]),
        "funds[0].eligible_applicants[0]",
        "'pirates' is not allowed",
    ),
    (
        "unknown funding source",
        _set(["funds", 0, "funding_sources"], ["precept"]),
        "funds[0].funding_sources[0]",
        "'precept' is not one of the funding_sources codes",
    ),
    (
        "min above max",
        _set(["funds", 0, "award"], {"min": 3000, "max": 2500}),
        "funds[0].award.min",
        "minimum award is above the maximum",
    ),
    (
        "duplicate area",
        _set(["areas", 1, "ons_code"], "E07000901"),
        "areas[1].ons_code",
        "used twice",
    ),
    (
        "duplicate plan code",
        _set(["plan", "items", 0, "children", 1, "code"], "P1"),
        "plan.items[0].children[1].code",
        "used twice",
    ),
    (
        "plan ends before it starts",
        _set(["plan", "ends_on"], "2020-01-01"),
        "plan.ends_on",
        "must end after it starts",
    ),
    (
        "bad date",
        _set(["plan", "starts_on"], "1 April 2024"),
        "plan.starts_on",
        "not in the expected form",
    ),
    (
        "gap in procurement bands",
        _set(["policy", "procurement", "bands", 1, "from"], 6000),
        "policy.procurement.bands[1].from",
        "without gaps or overlaps",
    ),
    (
        "open-ended middle tier",
        _delete(["policy", "sign_off", "tiers", 0, "up_to"]),
        "policy.sign_off.tiers[0]",
        "only the last tier may leave out 'up_to'",
    ),
    (
        "unknown signatory",
        _set(["policy", "sign_off", "tiers", 1, "signatories"], ["mayor"]),
        "policy.sign_off.tiers[1].signatories[0]",
        "'mayor' is not allowed",
    ),
    (
        "top-slice over allocation",
        _set(["funds", 0, "budgets", 1, "top_slices"], [{"purpose": "x", "amount": 40000}]),
        "funds[0].budgets[1].top_slices",
        "more than the allocation",
    ),
    (
        "two budgets for a year",
        _set(["funds", 0, "budgets", 1, "year"], 2026),
        "funds[0].budgets[1].year",
        "financial year 2026 has two budgets",
    ),
    ("reserved slug", _set(["office", "slug"], "admin"), "office.slug", "used by the site"),
    (
        "endorsement without its question",
        _delete(["funds", 0, "required_endorsements", 0, "question"]),
        "funds[0].required_endorsements[0]",
        "the key 'question' is missing",
    ),
    (
        "endorsement question that is not a question",
        _set(["funds", 0, "required_endorsements", 0, "question"], "A police officer"),
        "funds[0].required_endorsements[0].question",
        "not in the expected form",
    ),
    ("wrong pack version", _set(["pack_version"], 2), "pack_version", "must be 1"),
    ("empty funds", _set(["funds"], []), "funds", "at least 1 item"),
    (
        "rubric weights",
        _set(["policy", "assessment", "rubric", 0, "weight"], 50),
        "policy.assessment.rubric",
        "weights add up to 90, not 100",
    ),
    (
        "tiers out of order",
        _set(["policy", "application", "tiers", 0, "up_to"], None),
        "policy.application.tiers[0].up_to",
        "is not an amount",
    ),
    (
        "open tier first",
        _delete(["policy", "application", "tiers", 0, "up_to"]),
        "policy.application.tiers",
        "only the last may leave 'up_to' out",
    ),
    (
        "monitoring names no fund",
        _set(["policy", "monitoring", "rules", 0, "when"], {"fund_codes": ["ZZ"]}),
        "policy.monitoring.rules[0].when.fund_codes[0]",
        "'ZZ' is not the code of a fund",
    ),
    (
        "name too long",
        _set(["areas", 0, "name"], "x" * 121),
        "areas[0].name",
        "longer than 120 characters",
    ),
]


@pytest.mark.parametrize("change,path,reason", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_pack_is_refused_with_where_and_why(db, minimal_pack, change, path, reason):
    data = yaml.safe_load(MINIMAL_PACK.read_text())
    broken = copy.deepcopy(data)
    change(broken)
    write_pack(minimal_pack, broken)
    before = row_counts()
    with pytest.raises(PackError) as caught:
        load_pack(minimal_pack)
    messages = [p.format(str(minimal_pack)) for p in caught.value.problems]
    assert any(p.path == path and reason in p.message for p in caught.value.problems), messages
    assert all(m.startswith(str(minimal_pack)) for m in messages)
    if path:
        assert any(p.line for p in caught.value.problems if p.path == path), messages
    assert row_counts() == before
    assert not Office.objects.exists()


def test_a_broken_edit_leaves_the_loaded_office_untouched(db, minimal_pack):
    load_pack(minimal_pack)
    before = row_counts()
    data = yaml.safe_load(minimal_pack.read_text())
    data["funds"][0]["award"]["max"] = 9999
    data["areas"][0]["population"] = "lots"
    with pytest.raises(PackError):
        load_pack(write_pack(minimal_pack, data))
    assert row_counts() == before
    assert Fund.objects.get().max_award == 2500


@pytest.mark.parametrize(
    "text,line,reason",
    [
        ("pack_version: 1\noffice: [unclosed\n", 3, "the YAML cannot be read"),
        ("pack_version: 1\npack_version: 1\n", 2, "the key 'pack_version' appears twice"),
        ("- just\n- a list\n", 1, "a pack must be a mapping"),
        ("key: value\n\tbad: tab\n", 2, "the YAML cannot be read"),
    ],
)
def test_unreadable_yaml_gives_the_line(tmp_path, text, line, reason):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(PackError) as caught:
        read_pack(path)
    problem = caught.value.problems[0]
    assert reason in problem.message
    assert problem.line == line


def test_line_numbers_point_at_the_offending_key(tmp_path):
    text = MINIMAL_PACK.read_text().replace('allocation: "30000.00"', "allocation: 30,000")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "30,000" in row)
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(PackError) as caught:
        read_pack(path)
    assert caught.value.problems[0].line == line
    assert f"funds[0].budgets[1].allocation (line {line}): '30,000' is not an amount" in str(
        caught.value
    )


def test_missing_file(tmp_path):
    with pytest.raises(PackError, match="cannot read the file"):
        read_pack(tmp_path / "nope.yaml")


def test_commands_report_and_exit_1(db, tmp_path, capsys):
    data = yaml.safe_load(MINIMAL_PACK.read_text())
    data["office"]["kind"] = "Mayor"
    bad = write_pack(tmp_path / "bad.yaml", data)
    for command in ("validate_pack", "load_pack"):
        with pytest.raises(CommandError) as caught:
            call_command(command, str(bad))
        assert caught.value.returncode == 1
        assert f"{bad}: office.kind (line" in capsys.readouterr().err
    assert not Office.objects.exists()
    assert not OfficePolicy.objects.exists()


def test_load_pack_command_all(db, capsys):
    call_command("load_pack", all=True)
    out = capsys.readouterr().out
    assert out.count("created") == len(PACKS)
    assert set(Office.objects.values_list("slug", flat=True)) >= SEED_SLUGS
