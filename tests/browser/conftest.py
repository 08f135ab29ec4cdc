import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# A demo of one office is quick to seed, so the modules that share one are spread over this many
# groups (each seeds it once) rather than run one after another in a single process; the demo
# of all five offices takes long enough to seed that its modules stay in one group.
ONE_OFFICE_GROUPS = 2


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Browser tests that share a demo run in one process, so it is seeded there once."""
    modules: dict[tuple, list[str]] = {}
    for item in items:
        offices = getattr(item.module, "DEMO_OFFICES", None)
        if "tests/browser/" in str(item.fspath) and offices is not None:
            names = modules.setdefault(tuple(offices), [])
            if item.module.__name__ not in names:
                names.append(item.module.__name__)
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            offices = getattr(item.module, "DEMO_OFFICES", None)
            if offices is None:
                group = Path(str(item.fspath)).stem
            elif not offices:
                group = "demo-all"
            else:
                share = sorted(modules[tuple(offices)]).index(item.module.__name__)
                group = f"demo-{'-'.join(offices)}-{share % ONE_OFFICE_GROUPS}"
            item.add_marker(pytest.mark.xdist_group(f"browser-{group}"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; browser tests must run in CI.")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: browser tests skipped.")
    from playwright.sync_api import Page, expect, sync_playwright

    _patch_content_to_wait_for_the_document(Page)
    expect.set_options(timeout=60_000)  # as long as the pages' own timeout, below
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _patch_content_to_wait_for_the_document(page_class) -> None:
    """Make `page.content()` wait until the current document is parsed.

    A click on a submit button returns once the navigation it starts has committed, which can be
    before the new document has any content; reading it then gives ''. Tests read the page's text
    right after such clicks, so reading waits for the DOM first (a no-op when it is ready).
    """
    if getattr(page_class.content, "waits_for_document", False):
        return
    read = page_class.content

    def content(self):
        self.wait_for_load_state("domcontentloaded")
        return read(self)

    content.waits_for_document = True
    page_class.content = content


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(60_000)  # PDFs and e-mails are made in the request on a busy machine
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def demo_media(tmp_path_factory) -> Path:
    """Where the demo's uploaded and generated files live, for every test of this process."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture
def demo_of(settings, demo_media, transactional_db):
    """`demo_of("essex")` leaves the database holding the demo of those offices (of all five
    with no argument), seeded once per test process and restored for each test after."""
    from tests.browser.demo import demo_restore_or_seed

    def load(*offices: str) -> None:
        settings.DEMO_MODE = True
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": demo_media},
            },
        }
        demo_restore_or_seed(offices)

    return load
