"""Grant agreement templates in the policy packs (issue 10, item 3; AG1): each fund names a
template, each template's clauses cover every AG1 topic and use only known placeholders."""

import copy

import pytest
import yaml

from commissioning.offices.models import Office
from commissioning.offices.packs import PackError, load_pack
from commissioning.offices.rules import (
    AGREEMENT_REQUIRED_TOPICS,
    agreement_template_for,
    placeholders_fill,
)
from tests.conftest import MINIMAL_PACK, PACKS, write_pack
from tests.offices.test_packs import _set

pytestmark = pytest.mark.django_db


def _clauses(data):
    return data["policy"]["agreements"]["templates"][0]["clauses"]


def _drop_topic(topic):
    def change(data):
        for clause in _clauses(data):
            clause["covers"] = [t for t in clause["covers"] if t != topic] or ["other"]

    return change


def _add_template_twice(data):
    templates = data["policy"]["agreements"]["templates"]
    templates.append(copy.deepcopy(templates[0]))


BROKEN = [
    (
        "fund names a missing template",
        _set(["funds", 0, "agreement_template"], "nope"),
        "funds[0].agreement_template",
        "'nope' is not the code of a template",
    ),
    (
        "no clause on safeguarding",
        _drop_topic("safeguarding"),
        "policy.agreements.templates[0].clauses",
        "no clause covers safeguarding",
    ),
    (
        "unknown placeholder",
        _set(["policy", "agreements", "templates", 0, "clauses", 0, "text"], "Pay {bank}."),
        "policy.agreements.templates[0].clauses[0].text",
        "unknown placeholder {bank}",
    ),
    (
        "template code twice",
        _add_template_twice,
        "policy.agreements.templates[1].code",
        "template code 'grant' is used twice",
    ),
    (
        "countersigned by nobody",
        _set(["policy", "agreements", "countersigned_by"], []),
        "policy.agreements.countersigned_by",
        "",
    ),
]


@pytest.mark.parametrize("change,path,reason", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_template_is_refused_with_where_and_why(minimal_pack, change, path, reason):
    data = yaml.safe_load(MINIMAL_PACK.read_text())
    change(data)
    write_pack(minimal_pack, data)
    with pytest.raises(PackError) as caught:
        load_pack(minimal_pack)
    messages = [p.format(str(minimal_pack)) for p in caught.value.problems]
    assert any(p.path == path and reason in p.message for p in caught.value.problems), messages


def test_the_loaded_policy_holds_the_templates_by_code_and_each_funds_choice(office):
    agreements = office.policy.agreements
    assert agreements["countersigned_by"] == ["commissioner", "chief_executive"]
    assert agreements["funds"] == {"CF": "grant"}
    template = agreement_template_for("CF", agreements)
    assert template["code"] == "grant" and template["version"] == 1
    assert "assumed" not in template["clauses"][0]
    assert agreement_template_for("ZZ", agreements)["code"] == "grant"  # the first, by default
    assert agreement_template_for("CF", {}) is None


@pytest.mark.parametrize("path", PACKS, ids=[p.stem for p in PACKS])
def test_every_seed_pack_names_a_template_for_every_fund_covering_ag1(path):
    load_pack(path)
    data = yaml.safe_load(path.read_text())
    office = Office.objects.get(slug=data["office"]["slug"])
    agreements = office.policy.agreements
    for fund in office.funds.all():
        template = agreement_template_for(fund.code, agreements)
        covered = {t for clause in template["clauses"] for t in clause["covers"]}
        assert set(AGREEMENT_REQUIRED_TOPICS) <= covered, fund.code
        assert agreements["funds"][fund.code] == template["code"]
    assert "commissioner" in agreements["countersigned_by"]


def test_essex_agreements_take_the_seeds_wording(db):
    load_pack(next(p for p in PACKS if p.stem == "essex"))
    office = Office.objects.get(slug="essex")
    text = " ".join(
        c["text"] for c in agreement_template_for("CSDF", office.policy.agreements)["clauses"]
    )
    assert "proactive publicity" in text  # ESX 4.15
    assert "transferred by BACS" in text  # ESX 4.12
    assert "robust safeguarding policy" in text  # ESX 4.22
    assert office.policy.agreements["countersigned_by"] == ["commissioner"]  # ESX 3.4


def test_placeholders_are_filled_and_unknown_ones_left():
    assert placeholders_fill("{organisation} keeps {x}", {"organisation": "A"}) == "A keeps {x}"
