"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Run with `make browser` (they are marked `browser`, and `make test` leaves them out). Chromium
is /usr/bin/chromium (`apt-get install chromium`; never `playwright install`), axe-core comes
from node_modules (`npm ci`). Screenshots go to screenshots/ (git-ignored).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread; the ORM calls that the fixtures
    make here are still plain synchronous ones. Only for these tests (a subprocess of another
    test must not inherit it: `check --deploy` warns about it)."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with all the bundled data loaded. transactional_db empties
    the database again after each test, so other tests start clean."""
    call_command("load_directory", reload=True, verbosity=0)
    return live_server.url


class Requests(list):
    """Every URL the page asked for."""

    def foreign(self, base):
        return [url for url in self if not (url.startswith(base + "/") or url.startswith(("data:", "blob:")))]


@pytest.fixture
def page(browser):
    # bypass_csp lets the tests inject axe-core; test_security.py checks the policy itself.
    context = browser.new_context(viewport=DESKTOP, locale="en-US", accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.requests = Requests()
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="en-US", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.requests = Requests()
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def axe_violations(page, minimum=("serious", "critical")):
    """axe-core's WCAG 2.1 A/AA violations of at least serious impact on the current page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    results = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [node["target"] for node in v["nodes"][:5]],
        }
        for v in results["violations"]
        if v["impact"] in minimum
    ]
