from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from partnerships import languages, resilience, text


class NoIndexStaffPagesMiddleware:
    """Asks search engines not to index the admin, on top of robots.txt (which only asks
    them not to crawl it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached (down, hanging past its timeouts), readers get a
    503 page that says so and when to try again (`Retry-After`), not a generic server error.
    This answers a view's fault without logging it as a server error; a fault in a middleware
    reaches `resilience.server_error` (handler500), which answers the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return resilience.unavailable() if resilience.is_database_fault(exception) else None


class PermissionsPolicyMiddleware:
    """Turns off browser features no page uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class LanguageMiddleware:
    """Each request's language, as partnerships/languages.py defines it: the URL's prefix; for a
    public URL without one, the browser's Accept-Language (the response says `Vary:
    Accept-Language`, and its links carry the prefix from then on); staff pages as Django's
    LocaleMiddleware would choose. No cookie is read or set for public pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code, _rest = languages.split(request.path_info)
        negotiated = False
        if code is None and languages.is_unprefixed_public(request.path_info):
            code = languages.from_browser(request)
            request.path_info = f"/{code}{request.path_info}"
            negotiated = True
        elif code is None:
            code = translation.get_language_from_request(request)
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.setdefault("Content-Language", request.LANGUAGE_CODE)
        if negotiated:
            patch_vary_headers(response, ["Accept-Language"])
        return response


class CleanOutputMiddleware:
    """The rendering boundary of every page, JSON document and feed: what no text may hold is
    removed from the response (`text.safe_for_output`), so that a value stored before the text
    rule, or written straight to the database, neither makes a feed ill-formed XML nor reaches a
    reader. Below the page cache, so a kept copy is already clean. Files are cleaned cell by cell
    as they stream (exports.safe_cell); a CSV's deliberate byte-order mark is left alone."""

    CLEANED = ("text/html", "text/plain", "text/calendar", "text/xml", "json", "+xml", "/xml")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if response.streaming or not any(part in kind for part in self.CLEANED):
            return response
        charset = response.charset or "utf-8"
        try:
            content = response.content.decode(charset)
        except (UnicodeDecodeError, LookupError):
            return response
        cleaned = text.safe_for_output(content)
        if cleaned != content:
            response.content = cleaned.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
