"""What the map draws: partners as points, relationships as lines, as plain JSON for the page.

The page embeds it with `json_script`; static/js/map.js draws it over the outlines in
static/map/outlines.json (see scripts/build_map_assets.py). The views build it and hand it to
templates/partnerships/_map.html. It runs no query of its own: pass relationships fetched with
`select_related("us_partner__parent", "jp_partner__parent")`.
"""

import functools
import operator

from django.conf import settings
from django.db.models import Count
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from partnerships.models import Partner, region_of
from partnerships.rules.dates import date_formats, precise_date
from partnerships.rules.names import name_pair
from partnerships.rules.regions import in_link


def labels():
    """The words map.js shows, in the page's language."""
    return {
        "map": gettext("Map of US–Japan relationships"),
        "details": gettext("Relationship details"),
        "close": gettext("Close"),
        "onMap": gettext("Relationships on this map:"),
        "more": gettext("and %(count)s more"),
        "keys": gettext(
            "Drag or use the arrow keys to move the map, + and − to zoom. "
            "Tab to a line and press Enter to see the pair."
        ),
    }


def partner_row(partner):
    """A partner as map.js shows it: `names` are [[text, lang], ...], the reader's language first
    (`rules.names.name_pair`), so the script orders nothing itself; `name` and `ja` are for the
    page's own table of pairs (the `bilingual` tag orders them by the same rule)."""
    name = str(partner)
    return {
        "names": [list(pair) for pair in name_pair(name, partner.name_ja)],
        "name": name,
        "ja": partner.name_ja,
        "url": partner.get_absolute_url(),
        "country": partner.country,
        "lat": partner.latitude,
        "lng": partner.longitude,
    }


def coordinates_of(partner):
    """A partner's own coordinates, or its state's or prefecture's."""
    if partner.has_coordinates:
        return partner
    if partner.parent_id and partner.parent.has_coordinates:
        return partner.parent
    return None


def map_data(*groups, focus=None):
    """{"partners": {id: {...}}, "links": [{...}], "labels": {...}}.

    Each group is an iterable of relationships; those of the first group are drawn in front
    ("primary"), the others behind. `focus` is a partner to mark."""
    partners, links, seen = {}, [], set()
    formats = date_formats()
    for index, relationships in enumerate(groups):
        for link in relationships:
            if link.pk in seen:
                continue
            ends = [coordinates_of(link.us_partner), coordinates_of(link.jp_partner)]
            if None in ends:
                continue
            seen.add(link.pk)
            for partner, located in zip((link.us_partner, link.jp_partner), ends, strict=True):
                if partner.pk not in partners:
                    partners[partner.pk] = partner_row(partner) | {"lat": located.latitude, "lng": located.longitude}
            links.append(
                {
                    "id": link.pk,
                    "us": link.us_partner_id,
                    "jp": link.jp_partner_id,
                    "kind": link.get_kind_display(),
                    # As precise as its source states it ("October 1957", "1957年10月"); "" if not stated.
                    "established": precise_date(link.established, link.established_precision, formats)
                    if link.established
                    else "",
                    "url": link.get_absolute_url(),
                    "primary": index == 0,
                }
            )
    return {
        "partners": {str(pk): row for pk, row in partners.items()},
        "links": links,
        "focus": focus.pk if focus is not None and focus.pk in partners else None,
        "labels": labels(),
    }


def region_pairs(queryset, list_url):
    """One line per state–prefecture pair with how many relationships it stands for, each linking to
    the list of those relationships: what the map draws when a view holds more relationships than
    `settings.MAP_DETAIL_LIMIT`. Two queries, whatever the number of relationships."""
    rows = list(
        queryset.order_by()
        .values(us_code=region_of("us_partner__"), jp_code=region_of("jp_partner__"))
        .annotate(count=Count("pk"))
    )
    codes = {row["us_code"] for row in rows} | {row["jp_code"] for row in rows}
    regions = {region.iso_code: region for region in Partner.objects.filter(iso_code__in=codes - {None})}
    partners, links = {}, []
    for row in sorted(rows, key=lambda row: (-row["count"], row["us_code"] or "", row["jp_code"] or "")):
        us, jp = regions.get(row["us_code"]), regions.get(row["jp_code"])
        if us is None or jp is None or not (us.has_coordinates and jp.has_coordinates):
            continue
        for region in (us, jp):
            partners.setdefault(region.pk, partner_row(region))
        count = row["count"]
        query = urlencode(dict([in_link(us.iso_code), in_link(jp.iso_code)]))
        links.append(
            {
                "id": f"{us.iso_code}:{jp.iso_code}",
                "us": us.pk,
                "jp": jp.pk,
                "kind": ngettext("%(count)s relationship", "%(count)s relationships", count) % {"count": count},
                "established": "",
                "url": f"{list_url}?{query}",
                "primary": True,
                "count": count,
            }
        )
    return {
        "partners": {str(pk): row for pk, row in partners.items()},
        "links": links,
        "focus": None,
        "labels": labels(),
        "pairs": True,
    }


def map_for(groups, list_url, focus=None, limit=None):
    """The map of a view: the relationships of each group (the first drawn in front), or, past
    `limit` relationships in all (`settings.MAP_DETAIL_LIMIT`), one line per state–prefecture pair."""
    limit = limit or settings.MAP_DETAIL_LIMIT
    shown = [list(group[: limit + 1]) for group in groups]
    if sum(len(links) for links in shown) > limit:
        return region_pairs(functools.reduce(operator.or_, groups), list_url)
    return map_data(*shown, focus=focus)
