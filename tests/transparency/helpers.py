"""Published awards for the register and open data tests, made as the product makes them: a
decision signed and then published."""

import re

from commissioning.awards.models import Award
from commissioning.decisions.services import decision_publish
from tests.applications.factories import OrganisationFactory
from tests.awards.factories import award_by_decision
from tests.decisions.conftest import CONTACT_DOMAIN, CONTACT_SURNAME

# What must never be on a public page or in an export.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+")
UK_PHONE = re.compile(r"(\+44\s?|\b0)(\d[\s-]?){9,10}\b")
SORT_CODE = re.compile(r"\b\d{2}-\d{2}-\d{2}\b")
ACCOUNT_NUMBER = re.compile(r"\b\d{8}\b")
DEMO_PEOPLE = (CONTACT_SURNAME, "Jordan Ellis", "Pat ")


def publish(awards, officer):
    decision = awards[0].decision
    decision_publish(decision=decision, actor=officer)
    return list(Award.objects.filter(pk__in=[a.pk for a in awards]).order_by("id"))


def published_awards(office, officer, round_, signatories, *, amounts=("2000",), **kwargs):
    awards = award_by_decision(office, officer, round_, signatories, amounts=amounts, **kwargs)
    return publish(awards, officer)


def charity(number="1164883", **kwargs):
    return OrganisationFactory(
        applicant_type="charity", charity_number=number, email=f"office@{CONTACT_DOMAIN}", **kwargs
    )


def personal_data_in(text: str, *, allowed_numbers=()) -> list[str]:
    """E-mail addresses, telephone numbers, bank details and demo people's names in text."""
    found = [m.group(0) for m in EMAIL.finditer(text)]
    found += [m.group(0) for m in UK_PHONE.finditer(text)]
    found += [m.group(0) for m in SORT_CODE.finditer(text)]
    found += [
        m.group(0) for m in ACCOUNT_NUMBER.finditer(text) if m.group(0) not in allowed_numbers
    ]
    found += [name for name in DEMO_PEOPLE if name in text]
    return found


def check_register_and_open_data(office) -> None:
    """Issue 12 on the demo (items 1, 2 and 6): more than a year of published awards; the
    360Giving package passes the schema and the quality checks and round-trips through XLSX
    and CSV; the register, its CSV, an award page and the exports hold nothing personal."""
    import datetime as dt
    import json
    import tempfile
    from pathlib import Path

    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from commissioning.accounts.models import User
    from commissioning.transparency.opendata.export import (
        package_problems,
        schema_errors,
        stream_package,
        unflatten,
    )
    from commissioning.transparency.register.selectors import public_awards

    made = sorted(public_awards(office).values_list("made_at", flat=True))
    assert len(made) >= 3
    assert made[-1] - made[0] >= dt.timedelta(days=365)

    package = json.loads("".join(stream_package(office)))
    assert len(package["grants"]) == len(made)
    assert schema_errors(package) == []
    assert package_problems(package) == []
    texts = [json.dumps(package, ensure_ascii=False)]
    with tempfile.TemporaryDirectory() as folder:
        for output_format in ("xlsx", "csv"):
            path = Path(folder) / f"{office.slug}.{output_format}"
            call_command(
                "export_360giving",
                office=office.slug,
                output=str(path),
                output_format=output_format,
            )
            back = unflatten(path, output_format)
            assert schema_errors(back) == [], output_format
            assert package_problems(back) == [], output_format
            if output_format == "xlsx":
                assert back["grants"] == package["grants"]
            else:
                assert [g["id"] for g in back["grants"]] == [g["id"] for g in package["grants"]]
                texts.append(path.read_text())

    client = Client()
    register = client.get(reverse("transparency:register", args=[office.slug]))
    assert register.status_code == 200
    reference = public_awards(office).order_by("-made_at").values_list("reference", flat=True)[0]
    award_page = client.get(reverse("transparency:award", args=[office.slug, reference]))
    assert award_page.status_code == 200
    csv_response = client.get(reverse("transparency:register_csv", args=[office.slug]))
    texts += [
        register.content.decode().split('id="main-content"', 1)[-1],
        award_page.content.decode().split('id="main-content"', 1)[-1],
        b"".join(csv_response.streaming_content).decode(),
    ]
    # Registered company numbers are public (eight digits, like a bank account number).
    registered = [
        n for n in public_awards(office).values_list("organisation__company_number", flat=True) if n
    ]
    people = [u.full_name for u in User.objects.exclude(full_name="") if len(u.full_name) > 5]
    for text in texts:
        assert personal_data_in(text, allowed_numbers=registered) == []
        assert [name for name in people if name in text] == []
