"""The pack's procurement section is refused when its split or criteria do not add up."""

import pytest
import yaml

from commissioning.offices.packs import PackError, read_pack
from tests.conftest import ROOT, write_pack


def _pack(tmp_path, change):
    data = yaml.safe_load((ROOT / "packs" / "cambridgeshire.yaml").read_text())
    change(data["policy"]["procurement"])
    return write_pack(tmp_path / "cambridgeshire.yaml", data)


def test_the_shipped_packs_are_read():
    for slug in ("cambridgeshire", "cleveland", "cumbria", "essex", "lancashire"):
        data, _digest = read_pack(ROOT / "packs" / f"{slug}.yaml")
        assert data["policy"]["procurement"]["ocid_prefix"].startswith("ocds-")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda p: p.update(quality_cost_split={"quality": 70, "cost": 40}),
            "quality and cost must add up to 100, not 110",
        ),
        (
            lambda p: p["tender_criteria"][0].update(weight=30),
            "the weights of the tender criteria must add up to 100, not 95",
        ),
        (
            lambda p: p["tender_criteria"][1].update(code="delivery"),
            "criterion code 'delivery' is used twice",
        ),
        (lambda p: p.update(ocid_prefix="OCDS-1"), "ocid_prefix"),
    ],
)
def test_procurement_problems_are_refused(tmp_path, change, message):
    with pytest.raises(PackError) as refused:
        read_pack(_pack(tmp_path, change))
    assert message in str(refused.value) or any(
        message in f"{p.path} {p.message}" for p in refused.value.problems
    )
