"""Web pages cited as sources: one Source per distinct URL, with a stable slug and a publisher."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from urllib.parse import urlsplit

from databuild.decisions import CONSULATE_CITIES, PAGE_LICENCE, PUBLISHERS
from databuild.places import Place
from databuild.text import slugify


def publisher_of(url: str) -> str:
    """A readable publisher for a page, from its host."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if m := re.match(r"^(\w+)\.us\.emb-japan\.go\.jp$", host):
        return f"Consulate-General of Japan in {CONSULATE_CITIES.get(m.group(1), m.group(1).title())}"
    for suffix, name in PUBLISHERS.items():
        if host == suffix or host.endswith("." + suffix):
            return name
    if m := re.search(r"(?:^|[.-])pref[.-](\w+)", host):
        return f"{m.group(1).title()} Prefectural Government"
    return host


def page_slug(url: str) -> str:
    """host + path, slugified; long ones shortened deterministically."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = re.sub(r"\.(html?|php|aspx|cgi|mcpx|htm|iml)$", "", parts.path, flags=re.I)
    slug = slugify(f"{host} {path}")
    if len(slug) > 90:
        slug = slug[:90].rstrip("-")
    return slug


def page_sources(
    links: dict,
    places: dict[str, Place],
    extra_urls: set[str],
    names_by_url: dict[str, list[str]] | None = None,
    checked: dict[str, str] | None = None,
) -> dict[str, dict]:
    """One Source per distinct page URL; returns url -> record (slug assigned, deduplicated).

    `names_by_url` maps a page that gives Japanese names of US places to those places' slugs;
    `checked` maps a page that was checked but cites no pair (it contradicts one) to what it is."""
    names_by_url = names_by_url or {}
    checked = checked or {}
    pairs_by_url: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for link in links.values():
        for ev in link.evidence:
            if ev.source.startswith("http"):
                pairs_by_url[ev.source].add((link.us, link.jp, link.kind))
    urls = sorted(set(pairs_by_url) | extra_urls | set(checked))
    slugs = Counter(page_slug(u) for u in urls)
    seen: Counter = Counter()
    slug_of = {}
    for url in urls:
        slug = page_slug(url)
        if slugs[slug] > 1:
            seen[slug] += 1
            slug = f"{slug}-{seen[slug]}"
        slug_of[url] = slug
    # Pages cited only for a Japanese name come after, so they never renumber a slug already cited.
    for url in sorted(set(names_by_url) - set(urls)):
        slug, n = page_slug(url), 0
        while slug in slug_of.values():
            n += 1
            slug = f"{page_slug(url)}-{n}"
        slug_of[url] = slug
    pages = {}
    for url in sorted(slug_of):
        slug = slug_of[url]
        pairs = sorted(pairs_by_url.get(url, set()))
        if len(pairs) == 1:
            us, jp, kind = pairs[0]
            what = f"{places[us].name}–{places[jp].name} {kind.replace('_', '-')} relationship"
        elif pairs:
            kinds = {k for _, _, k in pairs}
            what = "list of sister-state relationships" if kinds == {"sister_state"} else "list of sister cities"
        elif url in checked:
            what = checked[url]
        elif url in extra_urls or url not in names_by_url:
            what = "agreement or programme page"
        elif len(names_by_url[url]) == 1:
            what = f"Japanese name of {places[names_by_url[url][0]].name}"
        else:
            what = "Japanese names of US places"
        pages[url] = {
            "slug": slug,
            "title": f"{publisher_of(url)}: {what}",
            "kind": "web_page",
            "publisher": publisher_of(url),
            "url": url,
            "licence": PAGE_LICENCE,
            "notes": "",
        }
    return pages
