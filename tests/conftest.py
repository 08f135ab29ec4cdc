import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import settings as hypothesis_settings

from commissioning.offices.packs import load_pack

ROOT = Path(__file__).resolve().parent.parent
PACKS = sorted((ROOT / "packs").glob("*.yaml"))
MINIMAL_PACK = Path(__file__).parent / "offices" / "minimal_pack.yaml"

# Property tests judge results, not speed: a busy machine must not fail them on a deadline.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


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


def _other_office_pack(folder: Path) -> Path:
    data = yaml.safe_load(MINIMAL_PACK.read_text())
    data["office"].update(
        slug="otherton", code="OTH", name="Commissioner for Otherton", short_name="Otherton PCC"
    )
    data["funds"][0]["code"] = "OF"
    data["funds"][0]["name"] = "Otherton Fund"
    for area in data["areas"]:
        area["ons_code"] = area["ons_code"][:-1] + "8"
    return write_pack(folder / "otherton.yaml", data)


@pytest.fixture(scope="session")
def other_office_pack(tmp_path_factory) -> Path:
    return _other_office_pack(tmp_path_factory.mktemp("packs"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, other_office_pack):
    """Write the two test offices once per test database; tests that only read them share them.

    Each test runs in a transaction that is rolled back, so what a test changes is undone. Tests
    that flush the database (transactional ones) make the fixtures below load the pack again.
    """
    with django_db_blocker.unblock():
        load_pack(MINIMAL_PACK)
        load_pack(other_office_pack)


def _loaded(slug: str, path: Path):
    from commissioning.offices.models import Office

    return Office.objects.filter(slug=slug).first() or load_pack(path).office


@pytest.fixture
def office(db):
    return _loaded("testshire", MINIMAL_PACK)


@pytest.fixture
def other_office(db, other_office_pack):
    """A second office, so tests can prove one office's staff cannot see another's records."""
    return _loaded("otherton", other_office_pack)
