"""A place's brief, printed: Ohio, Washington and Hyogo on A4 and Letter, in both languages, show
every kind of tie and nothing of the site's chrome, and fit the paper's width."""

import re

import pytest
from django.conf import settings
from django.db.models import Q

from partnerships.models import Relationship
from partnerships.public import anniversaries

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


def test_the_printed_washington_brief_has_its_header_no_link_column_and_its_anniversaries(site, page):
    page.goto(f"{site}/en/partners/washington/")
    header = page.locator(".print-header")
    assert not header.is_visible()  # on screen, the site's own header says where you are
    assert page.locator("td.details").first.is_visible()
    page.emulate_media(media="print")
    assert header.is_visible()
    assert "Data version" in header.inner_text() and f"{site}/en/partners/washington/" in header.inner_text()
    for details in page.locator("td.details, th.details").all():
        assert not details.is_visible()
    # The anniversaries of the cities' ties, not only the state's own (15 of them in 2026–2027).
    state_ties = Relationship.objects.filter(
        Q(us_partner__slug="washington") | Q(us_partner__parent__slug="washington")
    )
    due = anniversaries.with_anniversaries(state_ties, anniversaries.coming_years()).count()
    own = anniversaries.with_anniversaries(
        state_ties.filter(us_partner__slug="washington"), anniversaries.coming_years()
    )
    assert due > own.count()
    assert page.locator("#anniversaries-heading + ul > li").count() == min(due, settings.DETAIL_LIST_LIMIT)
    pages = re.search(rb"/Type /Pages\s*/Count (\d+)", page.pdf(format="Letter"))
    assert int(pages.group(1)) <= 4


@pytest.mark.parametrize("paper", ["A4"])
def test_the_printed_hyogo_brief_keeps_japanese_words_and_dates_whole(site, page, paper):
    page.goto(f"{site}/ja/partners/hyogo-prefecture/")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PAPER[paper], "height": 1100})
    # A cell's text wraps only at a space: each line of a cell starts after a space or at its start.
    broken = page.evaluate(
        """() => {
        const broken = [];
        for (const cell of document.querySelectorAll("table td")) {
            if (getComputedStyle(cell).display === "none") continue;
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const range = document.createRange();
                let top = null;
                for (let i = 0; i < node.length; i++) {
                    range.setStart(node, i); range.setEnd(node, i + 1);
                    const rect = range.getBoundingClientRect();
                    if (!rect.height) continue;
                    if (top !== null && rect.top > top + 2 && !/\\s/.test(node.data[i - 1] || " ")) {
                        broken.push(node.data);
                    }
                    top = rect.top;
                }
            }
        }
        return broken;
    }"""
    )
    assert broken == []
