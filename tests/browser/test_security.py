"""The Content-Security-Policy holds in a real browser: every public page (the map included)
loads with no violation, so nothing inline or from another site is needed."""

import pytest

from partnerships.models import Relationship
from tests.browser.conftest import DESKTOP

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/partners/",
    "/partners/kobe-hyogo/",
    "/partners/washington/",
    "/relationships/",
    "/relationships/?state=WA&sort=-established",
    "/map/",
    "/map/?state=WA",
    "/anniversaries/",
    "/seeking/?wants=us",
    "/statistics/?state=WA",
    "/agreements/",
    "/programs/",
    "/search/?q=kobe",
    "/changes/",
    "/about/",
    "/admin/login/",
]


def test_every_page_loads_with_no_policy_violation(site, browser):
    context = browser.new_context(viewport=DESKTOP, locale="ja")  # the policy in force, as a reader gets it
    page = context.new_page()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    link = Relationship.objects.filter(us_partner__slug="seattle-wa", jp_partner__slug="kobe-hyogo").get()
    for path in [*PAGES, link.get_absolute_url()]:
        response = page.goto(f"{site}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    context.close()
    assert violations == []
