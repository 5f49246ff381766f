import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from partnerships.platform import resilience
from partnerships.rules import languages, text

# Views that take a larger body (IMPORT_BODY_LIMIT): the spreadsheet import's upload and confirmation.
LARGE_BODY_VIEWS = {"admin:partnerships_relationship_import"}


def body_limit(request):
    """The most bytes a request to this URL may send: REQUEST_BODY_LIMIT, IMPORT_BODY_LIMIT for an import."""
    try:
        view = resolve(request.path_info).view_name
    except Resolver404:
        view = None
    return settings.IMPORT_BODY_LIMIT if view in LARGE_BODY_VIEWS else settings.REQUEST_BODY_LIMIT


class RequestBodyLimitMiddleware:
    """A request whose body is larger than it may be (`body_limit`) is answered 413 at once, from
        its Content-Length, before anything reads the body; so an anonymous visitor cannot make a
        server read, parse or store a 200 MB upload (Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts form
        fields, not files). A body is read only up to its Content-Length (Django's LimitedStream) and a
        request without one is read as empty, so the declared length is the whole bound. (gunicorn then
    discards what the client goes on sending, up to a bound of its own, or closes the connection.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length it cannot read
        if length > settings.REQUEST_BODY_LIMIT:  # only then is the URL looked at
            limit = body_limit(request)
            if length > limit:
                return too_large(limit)
        return self.get_response(request)


def too_large(limit):
    """The 413 page: plain and bilingual, rendered without the request (nothing of it was read)."""
    megabytes = f"{limit / (1024 * 1024):g}"
    response = HttpResponse(render_to_string("413.html", {"megabytes": megabytes}), status=413)
    response["Cache-Control"] = "no-store"
    return response


# The session key that keeps when its staff member signed in (seconds since the epoch).
SIGNED_IN_AT = "signed_in_at"


def stamp_sign_in(sender, request, user, **kwargs):
    """user_logged_in receiver: the session's sign-in time, which SessionAgeLimitMiddleware reads."""
    request.session[SIGNED_IN_AT] = int(time.time())


class SessionAgeLimitMiddleware:
    """A staff session ends SESSION_MAX_HOURS after its sign-in, however active (an idle one ends
    after SESSION_IDLE_MINUTES: SESSION_COOKIE_AGE): a stolen session cookie or an unlocked
    computer is not a way in for ever. The staff member is signed out and the login page says why.
    Public pages (under a language prefix) are left alone: they read no session, and reading it
    would make them vary on the cookie, which the page cache refuses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        staff_page = settings.SESSION_COOKIE_NAME in request.COOKIES and not languages.split(request.path_info)[0]
        if staff_page and request.user.is_authenticated:
            self.limit(request)
        return self.get_response(request)

    @staticmethod
    def limit(request):
        signed_in = request.session.setdefault(SIGNED_IN_AT, int(time.time()))  # a session from before the limit
        if time.time() - signed_in > settings.SESSION_MAX_HOURS * 3600:
            logout(request)  # the view then sends the person to the login page, as for anyone signed out
            hours = f"{settings.SESSION_MAX_HOURS:g}"
            messages.warning(
                request,
                _("You were signed out %(hours)s hours after signing in. Sign in again to go on.") % {"hours": hours},
            )


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
    """Each request's language, as partnerships/rules/languages.py defines it: the URL's prefix; for a
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
        request.LANGUAGE_CODE = languages.page_language()
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
