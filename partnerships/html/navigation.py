"""The site's navigation marks the section a page is in."""

from django.utils.safestring import mark_safe


def current_page(request, names):
    """' aria-current="page"' on the navigation link of the section the page is in (`names`: the
    URL names of the section's pages)."""
    match = getattr(request, "resolver_match", None)
    return mark_safe(' aria-current="page"') if match and match.url_name in names else ""
