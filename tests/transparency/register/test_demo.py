"""Issue 12, items 1, 2 and 6 on the demo: every office has more than a year of published
awards; its register, CSV and 360Giving exports pass the schema and the quality checks,
round-trip through the flat formats and hold no personal data; seeding again adds nothing."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.awards.models import Award
from commissioning.core.registry import DemoRun
from commissioning.offices.models import Office
from commissioning.transparency.opendata.export import (
    package_problems,
    schema_errors,
    stream_package,
    unflatten,
)
from commissioning.transparency.register import demo
from commissioning.transparency.register.selectors import public_awards
from tests.conftest import PACKS
from tests.transparency.helpers import personal_data_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_offices(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    for pack in PACKS:
        call_command("load_pack", str(pack), verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)
    return list(Office.objects.filter(slug__in=[p.stem for p in PACKS]).select_related("policy"))


def _people() -> list[str]:
    """The demo's people: no one's name may be published."""
    return [u.full_name for u in User.objects.exclude(full_name="") if len(u.full_name) > 5]


def test_every_demo_office_publishes_a_year_of_awards_as_valid_open_data(
    client, demo_offices, tmp_path, django_capture_on_commit_callbacks
):  # TR1, TR2, item 6
    people = _people()
    for office in demo_offices:
        made = sorted(public_awards(office).values_list("made_at", flat=True))
        assert len(made) >= 3, office.slug
        assert made[-1] - made[0] >= dt.timedelta(days=365), office.slug

        package = json.loads("".join(stream_package(office)))
        assert len(package["grants"]) == len(made)
        assert schema_errors(package) == [], office.slug
        assert package_problems(package) == [], office.slug

        for output_format in ("xlsx", "csv"):
            path = tmp_path / f"{office.slug}.{output_format}"
            call_command(
                "export_360giving",
                office=office.slug,
                output=str(path),
                output_format=output_format,
            )
            back = unflatten(path, output_format)
            assert schema_errors(back) == [], (office.slug, output_format)
            assert package_problems(back) == [], (office.slug, output_format)
            if output_format == "xlsx":
                assert back["grants"] == package["grants"], office.slug
            else:
                assert [g["id"] for g in back["grants"]] == [g["id"] for g in package["grants"]]

        register = client.get(reverse("transparency:register", args=[office.slug]))
        assert register.status_code == 200
        reference = _reference(package["grants"][-1]["id"], office)
        award_page = client.get(reverse("transparency:award", args=[office.slug, reference]))
        assert award_page.status_code == 200
        csv_text = b"".join(
            client.get(reverse("transparency:register_csv", args=[office.slug])).streaming_content
        ).decode()
        # Registered company numbers are public (eight digits, like a bank account number).
        registered = [
            number
            for number in public_awards(office).values_list(
                "organisation__company_number", flat=True
            )
            if number
        ]
        for text in (
            register.content.decode().split('id="main-content"', 1)[-1],
            award_page.content.decode().split('id="main-content"', 1)[-1],
            csv_text,
            json.dumps(package, ensure_ascii=False),
            (tmp_path / f"{office.slug}.csv").read_text(),
        ):
            assert personal_data_in(text, allowed_numbers=registered) == [], office.slug
            assert [name for name in people if name in text] == [], office.slug

    awards = Award.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(DemoRun())
    assert Award.objects.count() == awards


def _reference(grant_id: str, office) -> str:
    """The award's reference from its grant id (360G-<prefix>-<reference>)."""
    return grant_id[grant_id.index(f"-{office.code}-") + 1 :]
