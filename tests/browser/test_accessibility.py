"""axe-core on every kind of page: no serious or critical WCAG 2.1 A/AA violation. Each page is
also photographed at desktop and phone size into screenshots/."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "partners": "/partners/",
    "partner": "/partners/kobe-hyogo/",
    "relationships": "/relationships/",
    "relationship": "FIRST:/relationships/?q=Seattle&prefecture=28",
    "agreements": "/agreements/",
    "agreement": "FIRST:/agreements/",
    "programs": "/programs/",
    "program": "FIRST:/programs/",
    "about": "/about/",
    "search": "/search/?q=kobe",
    "map": "/map/",
    "map-filtered": "/map/?state=WA",
    "anniversaries": "/anniversaries/?year=2027",
    "seeking": "/seeking/",
    "statistics": "/statistics/",
    "not-found": "/no-such-page/",
}


def open_page(page, site, path):
    if path.startswith("FIRST:"):
        # A detail page: the first record of a list.
        page.goto(site + path.removeprefix("FIRST:"))
        href = page.locator(
            ".results a[href*='/relationships/'], .results a[href*='/agreements/'], .results a[href*='/programs/']"
        ).first.get_attribute("href")
        path = href
    response = page.goto(site + path)
    if "/map/" in path or page.locator("[data-map]").count():
        page.wait_for_selector(".map-ready")
    return response


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(site, page, name):
    response = open_page(page, site, PAGES[name])
    assert response.status == (404 if name == "not-found" else 200)
    screenshot(page, f"desktop-{name}")
    violations = axe_violations(page)
    page.set_viewport_size(PHONE)
    screenshot(page, f"phone-{name}")
    violations += [v | {"viewport": "phone"} for v in axe_violations(page) if v not in violations]
    page.set_viewport_size(DESKTOP)
    assert violations == [], violations
    assert page.requests.foreign(site) == []
