"""The map in a real browser: lines drawn, filters followed, click and keyboard, pan and zoom,
and not one request to another host."""

import re

import pytest

from partnerships.models import Relationship, in_regions
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def line_midpoint(page, selector):
    """Where on the screen the middle of a line is, to click it like a person would."""
    return page.evaluate(
        """(selector) => {
            const path = document.querySelector(selector);
            const point = path.getPointAtLength(path.getTotalLength() / 2);
            const screen = new DOMPoint(point.x, point.y).matrixTransform(path.getScreenCTM());
            return {x: screen.x, y: screen.y};
        }""",
        selector,
    )


def view_box(page):
    return page.locator(".map-viewport svg").get_attribute("viewBox")


def test_map_draws_lines_and_follows_the_filters(site, page):
    page.goto(f"{site}/map/")
    page.wait_for_selector(".map-ready")
    assert page.locator(".map-link").count() == Relationship.objects.count()
    assert page.locator(".map-region.map-jp").count() == 47
    # Outlines and all come from this site.
    assert any(url.endswith("/static/map/outlines.json") for url in page.requests)
    assert page.requests.foreign(site) == []
    # Tick a facet on the map's own filter form: the map redraws with Washington's links only.
    page.locator("#f-state-WA").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert re.search(r"/map/\?.*state=WA", page.url), page.url
    page.wait_for_selector(".map-ready")
    washington = Relationship.objects.filter(in_regions(["US-WA"], "us_partner__")).count()
    assert page.locator(".map-link").count() == washington
    assert f"{washington} relationships on the map" in page.locator(".result-count").inner_text()
    # The same view as a list.
    page.get_by_role("link", name="Show them as a list").click()
    page.wait_for_url(re.compile(r"/relationships/\?state=WA"))
    assert f"{washington} relationships found" in page.locator(".result-count").inner_text()
    assert not page.errors


def test_click_a_line_shows_the_pair_with_links(site, page):
    page.goto(f"{site}/map/?state=WA&prefecture=28")
    page.wait_for_selector(".map-ready")
    point = line_midpoint(page, ".map-link .map-line")
    page.mouse.click(point["x"], point["y"])
    info = page.locator(".map-info")
    info.wait_for(state="visible")
    assert "Kobe" in info.inner_text() or "Hyogo" in info.inner_text()
    assert axe_violations(page) == []
    details = info.get_by_role("link", name="Relationship details")
    details.click()
    page.wait_for_url(re.compile(r"/relationships/\d+/$"))


def test_keyboard_pan_zoom_and_open_a_line(site, page):
    page.goto(f"{site}/map/?state=WA")
    page.wait_for_selector(".map-ready")
    viewport = page.locator(".map-viewport")
    viewport.focus()
    before = view_box(page)
    page.keyboard.press("+")
    zoomed = view_box(page)
    assert zoomed != before
    page.keyboard.press("ArrowRight")
    assert view_box(page) != zoomed
    page.get_by_role("button", name="Reset view").click()
    # Tab from the map to its first line, Enter: the pair shows and takes the focus.
    viewport.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('map-link')")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    info = page.locator(".map-info")
    info.wait_for(state="visible")
    # map.js moves the focus on the next tick, after the key's own handling.
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('map-info')")
    assert label.split(" – ")[0] in info.inner_text()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"


def test_touch_pan_and_pinch_on_a_phone(site, phone):
    phone.goto(f"{site}/map/?state=WA")
    phone.wait_for_selector(".map-ready")
    svg = phone.locator(".map-viewport svg")
    box = svg.bounding_box()
    assert box["width"] <= 390
    before = view_box(phone)
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # One finger drags the map; two fingers spreading apart zoom in.
    phone.evaluate(
        """([cx, cy]) => {
            const svg = document.querySelector('.map-viewport svg');
            const fire = (type, id, x, y) => svg.dispatchEvent(new PointerEvent(type,
                {pointerId: id, pointerType: 'touch', clientX: x, clientY: y, bubbles: true, isPrimary: id === 1}));
            fire('pointerdown', 1, cx, cy); fire('pointermove', 1, cx - 60, cy); fire('pointerup', 1, cx - 60, cy);
        }""",
        [cx, cy],
    )
    panned = view_box(phone)
    zoom_in = [float(n) for n in panned.split()]
    phone.evaluate(
        """([cx, cy]) => {
            const svg = document.querySelector('.map-viewport svg');
            const fire = (type, id, x, y) => svg.dispatchEvent(new PointerEvent(type,
                {pointerId: id, pointerType: 'touch', clientX: x, clientY: y, bubbles: true, isPrimary: id === 1}));
            fire('pointerdown', 1, cx - 20, cy); fire('pointerdown', 2, cx + 20, cy);
            fire('pointermove', 1, cx - 80, cy); fire('pointermove', 2, cx + 80, cy);
            fire('pointerup', 1, cx - 80, cy); fire('pointerup', 2, cx + 80, cy);
        }""",
        [cx, cy],
    )
    pinched = [float(n) for n in view_box(phone).split()]
    assert panned != before
    assert pinched[2] < zoom_in[2]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_detail_pages_show_their_map(site, page):
    page.goto(f"{site}/partners/kobe-hyogo/")
    page.wait_for_selector(".map-ready")
    assert page.locator(".map-link.primary").count() >= 1
    assert page.locator(".map-point.focus").count() == 1
    page.locator("a", has_text=re.compile(r"^Details:\s*Seattle – Kobe$")).first.click()
    page.wait_for_selector(".map-ready")
    assert page.locator(".map-link.primary").count() == 1
    assert page.requests.foreign(site) == []
