"""What a reader does, in a real browser: browse and filter, search in both languages, follow
links both ways, download a filtered CSV, use only the keyboard, use a phone."""

import csv
import io
import re
from pathlib import Path

import pytest

from partnerships.models import Relationship, in_regions
from tests.browser.conftest import screenshot


def washington_count():
    """How many relationships the directory has in Washington State (its cities' and its own)."""
    return Relationship.objects.filter(in_regions(["US-WA"], "us_partner__")).count()


pytestmark = pytest.mark.browser


def count_of(page, selector=".result-count"):
    return int(re.search(r"[\d,]+", page.locator(selector).first.inner_text()).group().replace(",", ""))


def test_filter_partners_by_a_facet_and_remove_the_chip(site, page):
    page.goto(f"{site}/partners/")
    everyone = count_of(page)
    page.locator("#f-country-JP").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"country=JP"))
    japanese = count_of(page)
    assert 0 < japanese < everyone
    chip = page.locator(".chips a").first
    assert "Japan" in chip.inner_text()
    assert page.locator("#f-country-JP").is_checked()
    chip.click()
    page.wait_for_function("location.pathname === '/partners/' && !location.search.includes('country')")
    page.wait_for_load_state()
    assert count_of(page) == everyone
    assert page.locator(".chips").count() == 0


@pytest.mark.parametrize("query", ["Kobe", "神戸"])
def test_search_in_english_and_japanese(site, page, query):
    page.goto(f"{site}/search/")
    page.locator("#search-q").fill(query)
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"q="))
    assert count_of(page) > 0
    partners = page.locator("#group-partners + ul.search-results")
    assert "Kobe" in partners.inner_text()
    assert "神戸市" in partners.inner_text()


def details_link(page, pair):
    """A table's "Details" link, whose hidden text names the pair."""
    return page.locator("a", has_text=re.compile(r"^Details:\s*" + re.escape(pair) + "$")).first


def test_open_a_relationship_and_follow_its_links_both_ways(site, page):
    page.goto(f"{site}/relationships/?q=Seattle&prefecture=28")
    details_link(page, "Seattle – Kobe").click()
    page.wait_for_url(re.compile(r"/relationships/\d+/$"))
    relationship_url = page.url
    assert "Seattle" in page.locator("h1").inner_text() and "Kobe" in page.locator("h1").inner_text()
    # To the Japanese partner, and from its page back to the same relationship.
    page.locator(".pair-side").nth(1).locator(".pair-name a").click()
    page.wait_for_url(re.compile(r"/partners/kobe"))
    assert "Kobe" in page.locator("h1").inner_text()
    details_link(page, "Seattle – Kobe").click()
    page.wait_for_url(relationship_url)
    # And to the US partner, whose page lists it too.
    page.locator(".pair-side").nth(0).locator(".pair-name a").click()
    page.wait_for_url(re.compile(r"/partners/seattle"))
    assert details_link(page, "Seattle – Kobe").count() == 1


def test_download_the_filtered_csv(site, page):
    page.goto(f"{site}/relationships/?state=WA")
    shown = count_of(page)
    with page.expect_download() as download_info:
        page.locator(".downloads a", has_text=re.compile(r"^CSV$")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == shown == washington_count()
    assert {row["us_region"] for row in rows} == {"Washington"}
    hrefs = page.locator(".results table a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    on_page = {match.group(1) for href in hrefs if (match := re.fullmatch(r"/en/relationships/(\d+)/", href))}
    assert {row["id"] for row in rows} == on_page


def tab_to(page, predicate, limit=1000):
    """Press Tab until the focused element matches the JavaScript predicate `el => ...`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def test_keyboard_only_filters_and_pagination(site, page):
    page.goto(f"{site}/relationships/")
    everyone = count_of(page)
    tab_to(page, "el => el.id === 'f-kind-sister_city'")
    page.keyboard.press("Space")
    assert page.locator("#f-kind-sister_city").is_checked()
    tab_to(page, "el => el.type === 'submit' && el.closest('form.filters')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"kind=sister_city"))
    sister_cities = count_of(page)
    assert 50 < sister_cities < everyone
    # Focus is visible: the focused link gets an outline.
    tab_to(page, "el => el.getAttribute('rel') === 'next'")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"page=2"))
    assert "kind=sister_city" in page.url
    assert "Page 2" in page.locator(".pagination").inner_text()


PHONE_PATHS = ["/", "/partners/", "/relationships/", "/relationships/?state=WA", "/map/", "/about/", "/search/?q=kobe"]


def test_phone_pages_do_not_scroll_sideways_and_the_nav_works(site, phone):
    for path in PHONE_PATHS:
        phone.goto(site + path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    phone.goto(site + "/")
    link = phone.locator("nav[aria-label='Main'] a", has_text="Relationships")
    assert link.is_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    link.tap()
    phone.wait_for_url(re.compile(r"/relationships/$"))
    assert phone.locator("h1").inner_text() == "Relationships"


def test_on_a_phone_the_results_come_first_and_the_filters_open_on_request(site, phone):
    phone.goto(site + "/relationships/")
    count = phone.locator(".result-count")
    apply = phone.locator("form.filters button[type='submit']")
    assert count.is_visible() and not apply.is_visible()
    assert count.bounding_box()["y"] < 844
    assert apply.text_content() == "Apply filters"
    phone.get_by_text("Filters", exact=True).tap()
    apply.wait_for(state="visible")
    phone.locator("label[for='f-state-WA']").tap()
    # The button says what the choice gives, and stays in view at the bottom of the screen.
    expected = f"Show {washington_count()} results"
    phone.wait_for_function(f"document.querySelector('form.filters button[type=submit]').textContent === '{expected}'")
    box = apply.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844
    apply.tap()
    phone.wait_for_url(re.compile(r"state=WA"))
    assert f"{washington_count()} relationships found" in count.inner_text()


def test_language_switch_keeps_the_filters(site, page):
    page.goto(f"{site}/relationships/?state=WA")
    page.locator("nav.lang-switch a[hreflang='ja']").click()
    page.wait_for_function("document.documentElement.lang === 'ja'")
    assert "/ja/relationships/" in page.url and "state=WA" in page.url
    assert page.locator("#f-state-WA").is_checked()
    assert count_of(page) == washington_count()
    screenshot(page, "desktop-relationships-wa-ja")
    # The switch goes back, filters and all.
    page.locator("nav.lang-switch a[hreflang='en']").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "/en/relationships/" in page.url and "state=WA" in page.url
