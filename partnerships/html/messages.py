"""Staff messages with a little markup: a sentence followed by a list of changes, links to
records. Every value is escaped (`format_html`)."""

from django.utils.html import format_html, format_html_join


def with_changes(before, changes, after=""):
    """ "`before` <ul><li>field: old → new</li>…</ul> `after`", for [(field, old, new), ...]."""
    items = format_html_join("", "<li>{}: {} → {}</li>", changes)
    if after:
        return format_html("{} <ul>{}</ul> {}", before, items, after)
    return format_html("{} <ul>{}</ul>", before, items)


def links(pairs, separator=", "):
    """Links, for [(url, text), ...], joined by `separator`."""
    return format_html_join(separator, '<a href="{}">{}</a>', pairs)


def link(url, text=None):
    """One link; its address is its text unless `text` is given."""
    return format_html('<a href="{}">{}</a>', url, url if text is None else text)
