import shutil
from pathlib import Path

import pytest
import yaml

from commissioning.offices.packs import load_pack

ROOT = Path(__file__).resolve().parent.parent
PACKS = sorted((ROOT / "packs").glob("*.yaml"))
MINIMAL_PACK = Path(__file__).parent / "offices" / "minimal_pack.yaml"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def minimal_pack(tmp_path) -> Path:
    path = tmp_path / "testshire.yaml"
    shutil.copy(MINIMAL_PACK, path)
    return path


def write_pack(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def office(db, minimal_pack):
    return load_pack(minimal_pack).office


@pytest.fixture
def other_office(db, tmp_path):
    """A second office, so tests can prove one office's staff cannot see another's records."""
    data = yaml.safe_load(MINIMAL_PACK.read_text())
    data["office"].update(
        slug="otherton", code="OTH", name="Commissioner for Otherton", short_name="Otherton PCC"
    )
    data["funds"][0]["code"] = "OF"
    data["funds"][0]["name"] = "Otherton Fund"
    for area in data["areas"]:
        area["ons_code"] = area["ons_code"][:-1] + "8"
    return load_pack(write_pack(tmp_path / "otherton.yaml", data)).office
