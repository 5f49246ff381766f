"""Public pages that any cache may keep: an ETag and Cache-Control on every public GET, `304 Not
Modified` to a conditional request, and a copy of each rendered page in the shared cache
(Redis when REDIS_URL is set), keyed by what the page is a function of:

- the data version (models/version.py), which every publish raises, on every server at once;
- the page's language and URL (languages.py: the language is in the URL, never in a cookie), with
  the scheme and host it was asked on (JSON and feeds carry absolute links);
- the page's parameters in their canonical form (`canonical_query`): only those the page reads,
  in a fixed order, without empty values. A query string with any other parameter is redirected
  to the same page without it, so junk in a URL never makes a new copy;
- the code (RELEASE) and the day (anniversaries and "as of" dates move with it).

Only pages that are the same for every reader are kept: no form with a CSRF token (the report
form), no cookie set, no response that varies on the cookie; nor a page larger than
PAGE_CACHE_MAX_BYTES, nor one that corrected its input (`not_kept`: a page number that does not
exist). Files (CSV, Excel) stream and are not copied, but they carry the same ETag and are
answered 304 the same way.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified, HttpResponsePermanentRedirect, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import http_date, parse_etags, urlencode

from partnerships.models import DataVersion
from partnerships.rules import languages

# Public pages that are not the same for everyone (they carry a CSRF token).
PRIVATE_PAGES = {"report"}
# Headers each answer gets afresh (`described`); every other header of a kept page is kept with it,
# so that a copy carries what the middleware below this one added (X-Frame-Options…) as the page did.
HEADERS_DESCRIBED = {"etag", "cache-control", "last-modified", "x-cache"}


@functools.cache
def release():
    """What version of the code renders the pages: RELEASE from the environment (a deploy's commit),
    else a digest of the code, templates and translations this process runs."""
    if settings.RELEASE:
        return settings.RELEASE
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder, pattern in (("partnerships", "*.py"), ("templates", "*.html"), ("locale", "*.mo")):
        for path in sorted((root / folder).rglob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def parameters(*sources):
    """The query-string parameters a page reads, from the forms and filter sets that read them (and
    names a view reads itself, such as "page"): what `query_parameters` of a view or feed returns."""
    names = []
    for source in sources:
        if isinstance(source, str):
            names.append(source)
        else:  # a Form (base_fields) or a FilterSet (base_filters)
            names.extend(getattr(source, "base_filters", None) or source.base_fields)
    return names


def known_parameters(match):
    """The parameters the resolved page reads: its view's (or feed's) `query_parameters()`; none if
    it declares none."""
    view = getattr(match.func, "view_class", match.func)
    declared = getattr(view, "query_parameters", None)
    return set(declared()) if declared else set()


def canonical_query(query, known):
    """The query string as the page understands it: the known parameters in a fixed (alphabetical)
    order, each value as given, empty values left out. Two URLs that differ otherwise show the same page."""
    canonical = QueryDict(mutable=True)
    for name in sorted(set(query) & known):
        values = [value for value in query.getlist(name) if value]
        if values:
            canonical.setlist(name, values)
    return canonical.urlencode()


def not_kept(response):
    """Serve `response` but keep no copy: the page corrected what it was asked (a page number past
    the end), so that each wrong spelling of a URL does not become a page of its own."""
    response.page_cache_keep = False
    return response


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not languages.split(request.path_info)[0]:
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.url_name in PRIVATE_PAGES:
            return self.get_response(request)
        known = known_parameters(match)
        query = canonical_query(request.GET, known)
        if set(request.GET) - known:
            # Parameters no page reads (trackers, junk): the same page without them, never a new copy.
            kept = [(name, value) for name, value in request.GET.lists() if name in known]
            target = request.path + ("?" + urlencode(kept, doseq=True) if kept else "")
            return HttpResponsePermanentRedirect(target)
        number, changed = DataVersion.current()
        tag = self.etag(request, number, changed, query)
        if tag in parse_etags(request.headers.get("If-None-Match", "")):
            return self.described(HttpResponseNotModified(), tag, changed)
        key = f"page:{tag}"
        kept = cache.get(key) if settings.PAGE_CACHE else None
        if kept is not None:
            status, headers, body = kept
            response = HttpResponse(body, status=status)
            for header, value in headers.items():
                response[header] = value
            response["X-Cache"] = "hit"
            return self.described(response, tag, changed)
        with DataVersion.reading((number, changed)):
            response = self.get_response(request)
        if response.status_code != 200 or response.cookies or "Cookie" in response.get("Vary", ""):
            return response
        keep = settings.PAGE_CACHE and getattr(response, "page_cache_keep", True) and not response.streaming
        if keep and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES:
            headers = {header: value for header, value in response.items() if header.lower() not in HEADERS_DESCRIBED}
            cache.set(key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return self.described(response, tag, changed)

    @staticmethod
    def etag(request, number, changed, query):
        stamp = changed.isoformat() if changed else "-"
        today = timezone.localdate().isoformat()
        site = f"{request.scheme}://{request.get_host()}"
        text = f"{release()}|{number}|{stamp}|{today}|{languages.page_language()}|{site}|{request.path_info}|{query}"
        return '"' + hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32] + '"'

    @staticmethod
    def described(response, tag, changed):
        response["ETag"] = tag
        response["Cache-Control"] = f"public, max-age={settings.PUBLIC_MAX_AGE}"
        if changed:
            response["Last-Modified"] = http_date(changed.timestamp())
        return response


def last_published():
    """When the data last changed (for a document's "as of"); now if it never did."""
    changed = DataVersion.current()[1]
    return changed or timezone.now()
