"""A rendered page read as a browser reads it: elements, their attributes and their text, not the
bytes a template happens to write (attribute order, quotes, whitespace).

For a whole element, `assertContains(response, "<a href=…>…</a>", html=True)` (or `assertInHTML`
on a string) says it best; these helpers are for what that cannot say: an element's attributes
whatever its content (`<html lang="ja">`), the start of a title, how many charts a page draws.
Both parse with Django's own parser (django.test.html), so they agree on what an element is.
"""

import json
from html.parser import HTMLParser

from django.test.html import Element, parse_html


def parse(page):
    """The page (a response or its text) as a tree of django.test.html Elements."""
    if not isinstance(page, str):
        page = page.content.decode()
    return parse_html(page)


def elements(page, tag, **attributes):
    """Every `tag` element (`"*"`: of any name) of the page with these attributes, in document order. An attribute is
    given with `_` for `-` (`aria_current="true"`), `class_` for `class` (which matches one of the
    element's classes) and True for "present, whatever its value" (`selected=True`)."""
    wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attributes.items()}
    found = []

    def walk(node):
        for child in node.children:
            if isinstance(child, Element):
                if tag in (child.name, "*") and has(child, wanted):
                    found.append(child)
                walk(child)

    tree = parse(page) if not isinstance(page, Element) else page
    if tree.name is not None and tag in (tree.name, "*") and has(tree, wanted):
        found.append(tree)
    walk(tree)
    return found


def element(page, tag, **attributes):
    """The one `tag` element with these attributes (see `elements`); fails unless there is exactly one."""
    found = elements(page, tag, **attributes)
    assert len(found) == 1, f"{len(found)} <{tag}> elements with {attributes}"
    return found[0]


def has(node, wanted):
    present = dict(node.attributes)
    for name, value in wanted.items():
        if name not in present:
            return False
        if value is True:
            continue
        if name == "class" and value in (present[name] or "").split():
            continue
        if present[name] != value:
            return False
    return True


def text(node):
    """The element's text, its descendants' included, with runs of whitespace made one space."""
    parts = []

    def walk(node):
        for child in node.children:
            parts.append(child) if isinstance(child, str) else walk(child)

    walk(node)
    return " ".join(" ".join(parts).split())


def json_script(page, element_id):
    """The data of the page's `<script id=… type="application/json">` (as `json_script` writes it).
    Read with the standard parser, which gives a script's text as it is: Django's folds whitespace."""
    if not isinstance(page, str):
        page = page.content.decode()
    scripts = ScriptText(element_id)
    scripts.feed(page)
    scripts.close()
    assert len(scripts.found) == 1, f"{len(scripts.found)} <script id={element_id!r} type=application/json>"
    return json.loads(scripts.found[0])


class ScriptText(HTMLParser):
    def __init__(self, element_id):
        super().__init__(convert_charrefs=False)
        self.element_id, self.inside, self.found = element_id, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.inside = tag == "script" and attrs.get("id") == self.element_id and attrs.get("type") == "application/json"
        if self.inside:
            self.found.append("")

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.found[-1] += data
