"""The stage model's steps in a pack: checked when the pack is read (ST8), stored for the
cycle to read."""

import pytest
import yaml

from commissioning.offices.packs import PackError, load_pack, read_pack
from tests.conftest import write_pack


def _with_steps(minimal_pack, steps_a, steps_b=()):
    data = yaml.safe_load(minimal_pack.read_text())
    model = data["policy"]["stage_model"]
    model[0]["steps"] = list(steps_a)
    model[1]["steps"] = list(steps_b)
    return write_pack(minimal_pack, data)


def test_steps_are_loaded_with_their_values(db, minimal_pack):
    path = _with_steps(
        minimal_pack,
        [
            {
                "code": "needs_assessment",
                "title": "Link a needs assessment",
                "required_from": "5000.50",
            }
        ],
        [{"code": "outcomes_set", "title": "Set outcomes"}],
    )
    office = load_pack(path).office
    stored = office.policy.stage_model
    assert stored[0]["steps"] == [
        {"code": "needs_assessment", "title": "Link a needs assessment", "required_from": "5000.50"}
    ]
    assert "required_from" not in stored[1]["steps"][0]


@pytest.mark.parametrize(
    ("steps_a", "steps_b", "reason"),
    [
        (
            [{"code": "a_step", "title": "A"}],
            [{"code": "a_step", "title": "B"}],
            "step code 'a_step' is used twice (also in stage UNDERSTAND)",
        ),
        ([{"code": "Bad-Code", "title": "A"}], [], "Bad-Code"),
        ([{"code": "a", "title": "A", "required_from": -5}], [], "required_from"),
        ([{"code": "a", "title": "A", "required_from": 1234.5}], [], "required_from"),
        ([{"code": "a", "title": "A", "when": 3}], [], "when"),
    ],
)
def test_bad_steps_are_refused_with_where_and_why(minimal_pack, steps_a, steps_b, reason):
    path = _with_steps(minimal_pack, steps_a, steps_b)
    with pytest.raises(PackError) as caught:
        read_pack(path)
    text = str(caught.value)
    assert "stage_model" in text and reason in text, text
    assert all(p.line for p in caught.value.problems)
