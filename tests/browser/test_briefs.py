"""A place's brief, printed: Ohio, Washington and Hyogo on A4 and Letter, in both languages, show
every kind of tie and nothing of the site's chrome, and fit the paper's width."""

import pytest

pytestmark = pytest.mark.browser

# Printable width of A4 (210 mm) and Letter (8.5 in) with the 15 mm margins of site.css, in CSS px.
PAPER = {"A4": round((210 - 30) / 25.4 * 96), "Letter": round((8.5 * 25.4 - 30) / 25.4 * 96)}


@pytest.mark.parametrize("slug", ["ohio", "washington", "hyogo-prefecture"])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_brief_prints_on_a4_and_letter(site, page, slug, language):
    page.goto(f"{site}/{language}/partners/{slug}/")
    page.emulate_media(media="print")
    for paper, width in PAPER.items():
        page.set_viewport_size({"width": width, "height": 1100})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (slug, paper)
        for hidden in (".site-header", ".site-footer", ".lang-switch", ".print-button", ".report-link"):
            assert not page.locator(hidden).first.is_visible(), (hidden, paper)
        for section in ("relationships", "network", "offices", "agreements", "programs"):
            assert page.locator(f"#{section}-heading").is_visible(), (section, paper)
    page.emulate_media(media="screen")
    assert page.locator("button[data-print]").is_visible()
