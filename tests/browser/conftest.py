"""Browser tests: Python Playwright driving Debian's Chromium against a live test server.

They run in a pytest session of their own (`-m browser`, see the Makefile), because live-server
tests empty the database after each test; each test loads the seed content again.
"""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file rather than in memory.

    The live server answers each request in a thread of its own. With an in-memory database they
    all share one connection, and a request that saves the session while another reads it
    sometimes failed with "database table is locked: django_session" (a 400 in the browser).
    With a file each thread has its own connection, and the settings' IMMEDIATE transactions make
    it wait for the other's write (see tests/test_sqlite_concurrency.py).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_file = tmp_path_factory.mktemp("db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(test_file)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the seed content loaded."""
    call_command("load_initial_data", verbosity=0)
    return live_server


def _page_refusing_nothing(browser, site, viewport):
    """A page whose test fails if the browser refuses anything under the Content-Security-Policy
    (an inline script or style, a file from elsewhere): the site would be broken for visitors."""
    context = browser.new_context(base_url=site.url, viewport=viewport)
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not refused, f"the Content-Security-Policy refused: {refused}"


@pytest.fixture
def page(browser, site):
    yield from _page_refusing_nothing(browser, site, {"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser, site):
    yield from _page_refusing_nothing(browser, site, {"width": 360, "height": 780})


def axe_violations(page):
    """WCAG 2.1 A and AA violations that axe-core finds on the page as it is now."""
    # Evaluated through the browser's debugging protocol, which the page's Content-Security-
    # Policy does not govern (an injected <script> element would be refused, as it should be).
    page.evaluate(AXE_SCRIPT.read_text())
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations)",
        WCAG_AA_TAGS,
    )
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in violations
    ]


def format_violations(violations):
    return json.dumps(violations, indent=2)


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
