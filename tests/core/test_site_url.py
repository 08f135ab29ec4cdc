"""Issue 9, item 9: links in e-mails point at the address the demo is served on."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(*args, **env) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | env
    out = subprocess.run(  # noqa: S603
        ["make", "-n", "run", *args],  # noqa: S607
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if "seed_demo" in line or "manage.py serve" in line]


def test_make_run_on_another_port_gives_the_demo_that_port_as_its_site_address():
    lines = _dry_run("PORT=8101")
    assert len(lines) == 2
    assert all("SITE_URL=http://127.0.0.1:8101 " in line for line in lines)
    assert lines[-1].endswith("serve 127.0.0.1:8101")


def test_a_site_url_that_is_set_wins_over_host_and_port():
    lines = _dry_run("PORT=8101", SITE_URL="https://grants.example.org")
    assert all("SITE_URL=https://grants.example.org " in line for line in lines)


def test_readme_documents_port_and_site_url():
    readme = (ROOT / "README.md").read_text()
    assert "make run PORT=8101" in readme
    assert "SITE_URL" in readme


@pytest.mark.parametrize(
    ("addrport", "site_url"),
    [
        ("8101", "http://127.0.0.1:8101"),
        ("127.0.0.1:8101", "http://127.0.0.1:8101"),
        ("0.0.0.0:8102", "http://127.0.0.1:8102"),
        ("[::1]:8103", "http://[::1]:8103"),
    ],
)
def test_serve_started_directly_gives_links_its_own_port(addrport, site_url):
    """`manage.py serve` without `make run` (and without SITE_URL) still links to its port."""
    from commissioning.core.management.commands.serve import site_url_for

    assert site_url_for(addrport) == site_url
