"""Which language a page is in, from its URL: the one definition.

Public pages live under a language prefix, `/en/…` and `/ja/…` (Django's `i18n_patterns`), so
that a URL is one page for everyone: no cookie and no session decide the language, and any cache
can keep it. A URL without a prefix (every link shared before the prefixes existed, and the short
form people type) is still served, in the language the browser asks for (`Accept-Language`), and
says so with `Vary: Accept-Language`; its links lead on to the prefixed pages. Staff pages
(/admin/) keep Django's usual choice (browser, then the cookie).
"""

import functools
import re
from urllib.parse import quote

from django.conf import settings
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils.translation import get_language, get_supported_language_variant, override
from django.utils.translation.trans_real import parse_accept_lang_header

CODES = [code for code, _name in settings.LANGUAGES]
PREFIX = re.compile(rf"^/({'|'.join(CODES)})(/.*)?$")


def page_language():
    """ "ja" or "en": the language of the page being rendered. The one door: LanguageMiddleware
    activates the language the URL names (`split`; a URL without one, the browser's,
    `from_browser`), and everything that depends on the page's language (names, lists' separators,
    choices' labels, feeds, cache keys, a record's URL) asks this."""
    return "ja" if (get_language() or "").lower().startswith("ja") else "en"


def split(path):
    """("ja", "/relationships/") for "/ja/relationships/"; (None, path) when there is no prefix."""
    match = PREFIX.match(path)
    if not match:
        return None, path
    return match.group(1), match.group(2) or "/"


def neutral(path):
    """A page's path without its language prefix: the form that serves every reader."""
    return split(path)[1]


def in_language(path, code):
    return f"/{code}{neutral(path)}"


def is_unprefixed_public(path):
    """A path that names a public page without a language prefix (it resolves only once given one)."""
    if split(path)[0]:
        return False
    try:
        resolve(path)
        return False  # the admin, health checks, robots.txt: pages of their own
    except Resolver404:
        return True


def from_browser(request):
    """The first language the browser accepts that the directory has; English otherwise."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def resolved(path):
    """What a page's path resolves to (Django's ResolverMatch), with or without its language prefix
    and query; None for a path that names no page."""
    path = path.split("?")[0]
    code = split(path)[0] or settings.LANGUAGE_CODE
    try:
        with override(code):  # a language prefix resolves only while its language is active
            return resolve(in_language(path, code))
    except Resolver404:
        return None


def is_page(path):
    """A page's own path resolves, with or without its prefix (for reports that name a page)."""
    return resolved(path) is not None


MARKER = "7310458296"  # stands for a record's key while its URL's pattern is reversed; matches slug and int


@functools.cache
def _url_around_key(url_name, key_name, language, script_prefix):
    return reverse(url_name, kwargs={key_name: MARKER}).split(MARKER)


def record_url(url_name, key_name, key):
    """`record_url("partnerships:partner-detail", "slug", "kobe")`: what `reverse()` gives, in the
    active language, for a page named by one key — reversed once per language, not once per link
    (a list page links every row)."""
    return record_urls(url_name, key_name)(key)


def record_urls(url_name, key_name):
    """A function of the key giving `record_url`s, for drawing many links in one language."""
    before, after = _url_around_key(url_name, key_name, page_language(), get_script_prefix())
    return lambda key: f"{before}{quote(str(key), safe='-_.~')}{after}"
