"""Every list, as each kind of reader meets it: at 390 px (a phone) and 1280 px, in English and
Japanese. No page scrolls sideways; on a phone each row is a card that labels its values; the
results are reached from the keyboard in at most five Tab presses through the skip link; axe finds
nothing serious; after filtering, focus lands on the new count so that it is read out."""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.browser

LISTS = {
    "partners": "/partners/",
    "relationships": "/relationships/",
    "agreements": "/agreements/",
    "programs": "/programs/",
    "seeking": "/seeking/",
    "anniversaries": "/anniversaries/?year=2027",
}
CARD_LISTS = {"partners", "relationships"}  # the lists drawn as tables on a desktop


@pytest.fixture(params=["en-US", "ja-JP"], ids=["en", "ja"])
def reader(request, browser):
    context = browser.new_context(viewport=DESKTOP, locale=request.param, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.language = request.param[:2]
    yield page
    context.close()


def sideways(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("name", LISTS)
def test_each_list_at_both_sizes_in_both_languages(site, reader, name):
    reader.goto(site + LISTS[name])
    assert reader.evaluate("document.documentElement.lang") == reader.language
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        reader.set_viewport_size(viewport)
        assert sideways(reader) <= 0, f"{name} scrolls sideways at {viewport['width']} px"
        screenshot(reader, f"{size}-{name}-{reader.language}")
        assert axe_violations(reader) == [], (name, size)
        if name in CARD_LISTS:
            cell = reader.locator(".results table tbody tr").first.locator("td").first
            display = cell.evaluate("td => getComputedStyle(td).display")
            label = cell.evaluate("td => getComputedStyle(td, '::before').content")
            if size == "desktop":
                assert display == "table-cell"
            elif name == "partners":  # each value beside its label
                assert display == "block" and label.strip('"') == cell.get_attribute("data-label") != ""
            else:  # a line for each partner, unlabelled: the names say which side is which
                assert display == "block" and label == "none"


# The lines of each card as a reader sees them: the visible characters grouped by the line box they
# sit on (a hidden thead and the link's hidden words left out; the " · " separators are drawn by CSS).
CARD_LINES = """() => [...document.querySelectorAll('table.cards-on-phone tbody tr')].map(card => {
  const lines = [];
  const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.visually-hidden')) continue;
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box || !box.width) continue;
      const middle = box.top + box.height / 2;
      const line = lines.find(line => Math.abs(line.middle - middle) < box.height / 3);
      if (line) line.text += node.data[i]; else lines.push({middle, text: node.data[i]});
    }
  }
  return {height: card.getBoundingClientRect().height, lines: lines.map(line => line.text.trim())};
})"""
PUNCTUATION_ONLY = re.compile(r"^[\s()（）・·、,:：–-]*$")
CARD_PAGES = ["/relationships/", "/relationships/?page=5", "/partners/", "/partners/washington/",
              "/partners/kobe-hyogo/"]  # fmt: skip


@pytest.mark.parametrize("path", CARD_PAGES)
def test_cards_on_a_phone_read_as_a_person_would_write_them(site, reader, path):
    """Each partner a line ("Kobe (神戸市) · Hyogo (兵庫県)"), never a row holding only "(" or ")";
    a relationship's card at most 160 px tall, so that a page of 50 is not 17,000 px long."""
    reader.set_viewport_size(PHONE)
    reader.goto(site + path)
    cards = reader.evaluate(CARD_LINES)
    assert cards, path
    for card in cards:
        assert not [line for line in card["lines"] if PUNCTUATION_ONLY.match(line)], card["lines"]
    tallest = max(cards, key=lambda card: card["height"])
    # A partner's card has four labelled values, its name's reading among them.
    assert tallest["height"] <= (200 if path == "/partners/" else 160), tallest["lines"]
    if path.startswith("/relationships/"):
        first = cards[0]["lines"]
        assert len(first) <= 5, first  # US partner, Japanese partner, kind · date · sources, Details


@pytest.mark.parametrize("name", LISTS)
def test_the_results_are_five_tab_presses_away(site, reader, name):
    reader.goto(site + LISTS[name])
    stops = []
    while len(stops) < 5 and (not stops or stops[-1] != "#results"):
        reader.keyboard.press("Tab")
        stops.append(reader.evaluate("document.activeElement.getAttribute('href')"))
    assert stops[-1] == "#results", f"{name}: the skip link to the results is not among the first five Tab stops"
    reader.keyboard.press("Enter")
    assert reader.evaluate("document.activeElement.id") == "results"


def test_after_filtering_focus_is_on_the_new_count(site, page):
    page.goto(f"{site}/relationships/")
    page.locator("#f-kind-sister_state").check()
    button = page.locator("form.filters button[type='submit']")
    page.wait_for_function("document.querySelector('form.filters button[type=submit]').textContent.startsWith('Show ')")
    promised = int(re.search(r"\d+", button.inner_text()).group())
    button.click()
    page.wait_for_url(re.compile(r"kind=sister_state"))
    focused = page.evaluate("document.activeElement.className")
    assert focused == "result-count"
    assert page.locator(".result-count").inner_text().startswith(f"{promised} ")
    # The address holds the filter chosen, not every empty field of the form.
    assert page.url.split("?")[1] == "kind=sister_state"
    # Back on the form, its empty fields still take input.
    page.go_back()
    page.locator("form.filters input[name=q]").fill("Hawaii")
    assert page.locator("form.filters input[name=q]").is_enabled()


def test_a_long_facet_shows_its_top_values_and_the_rest_on_request(site, page):
    page.goto(f"{site}/relationships/")
    group = page.locator("details.facet", has=page.locator("#f-state-WA"))
    more = group.locator("details.facet-more")
    assert group.locator("ul.facet-values").first.locator("li").count() == 8
    hidden = more.locator("input[type=checkbox]").first
    assert not hidden.is_visible()
    more.locator("summary").click()
    assert hidden.is_visible()
    # A group folds away entirely.
    group.locator("summary").first.click()
    assert not page.locator("#f-state-WA").is_visible()
