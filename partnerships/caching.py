"""Public pages that any cache may keep: an ETag and Cache-Control on every public GET, `304 Not
Modified` to a conditional request, and a copy of each rendered page in the shared cache
(Redis when REDIS_URL is set), keyed by what the page is a function of:

- the data version (models/version.py), which every publish raises, on every server at once;
- the page's language and URL (languages.py: the language is in the URL, never in a cookie);
- the code (RELEASE) and the day (anniversaries and "as of" dates move with it).

Only pages that are the same for every reader are kept: no form with a CSRF token (the report
form), no cookie set, no response that varies on the cookie. Files (CSV, Excel) stream and are
not copied, but they carry the same ETag and are answered 304 the same way.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import http_date, parse_etags
from django.utils.translation import get_language

from partnerships import languages
from partnerships.models import DataVersion

# Public pages that are not the same for everyone (they carry a CSRF token).
PRIVATE_PAGES = {"report"}
MAX_KEPT_BYTES = 2 * 1024 * 1024
HEADERS_KEPT = ["Content-Type", "Content-Language", "Content-Disposition", "Link"]


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


def page_name(path):
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not languages.split(request.path_info)[0]:
            return self.get_response(request)
        name = page_name(request.path_info)
        if name is None or name in PRIVATE_PAGES:
            return self.get_response(request)
        number, changed = DataVersion.current()
        tag = self.etag(request, number, changed)
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
        if settings.PAGE_CACHE and not response.streaming and len(response.content) <= MAX_KEPT_BYTES:
            headers = {header: response[header] for header in HEADERS_KEPT if response.has_header(header)}
            cache.set(key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return self.described(response, tag, changed)

    @staticmethod
    def etag(request, number, changed):
        stamp = changed.isoformat() if changed else "-"
        today = timezone.localdate().isoformat()
        query = request.META.get("QUERY_STRING", "")
        text = f"{release()}|{number}|{stamp}|{today}|{get_language()}|{request.path_info}|{query}"
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
