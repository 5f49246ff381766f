"""What the map draws: partners as points, relationships as lines, as plain JSON for the page.

The page embeds it with `json_script`; static/js/map.js draws it over the outlines in
static/map/outlines.json (see scripts/build_map_assets.py). The views build it and hand it to
templates/partnerships/_map.html. It runs no query of its own: pass relationships fetched with
`select_related("us_partner__parent", "jp_partner__parent")`.
"""

from django.utils.translation import gettext


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
    return {
        "name": str(partner),
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
                    "year": link.established.year if link.established else None,
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
