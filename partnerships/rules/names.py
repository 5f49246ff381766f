"""Names in the reader's language, with the other language alongside and marked.

A name is shown in the reader's language first, with the other alongside: 「神戸市 (Kobe)」 on a
Japanese page, "Kobe (神戸市)" on an English one; a name that has no Japanese form (most US
cities) is shown once. Text in the other language carries its own `lang` attribute, so that
screen readers and fonts treat it right. Used by the template tags, the filters' labels and
anything else that names a record.
"""

import html
import re

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


def page_language():
    """ "ja" or "en": the language the page is rendered in."""
    return "ja" if (get_language() or "").lower().startswith("ja") else "en"


def name_pair(name, name_ja, page=None):
    """[(text, lang), ...]: the name in the reader's language first, then the other, if any."""
    names = [(name, "en"), (name_ja, "ja")]
    if (page or page_language()) == "ja":
        names.reverse()
    names = [(text, lang) for text, lang in names if text]
    if len(names) == 2 and names[0][0] == names[1][0]:
        names.pop()
    return names


def local_name(name, name_ja):
    """The name in the reader's language, or the one there is."""
    names = name_pair(name, name_ja)
    return names[0][0] if names else ""


def bilingual_text(name, name_ja, both=True):
    """Plain text, for titles, facet labels and the like: "Kobe (神戸市)" / "神戸市 (Kobe)"."""
    names = name_pair(name, name_ja)
    if not names:
        return ""
    if both and len(names) == 2:
        return f"{names[0][0]} ({names[1][0]})"
    return names[0][0]


def escaped(text):
    """Text made safe for HTML (markup already safe kept): html.escape, several times faster than
    format_html, for what is drawn on every row of every list."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


def _marked(text, lang, page):
    if lang == page:
        return escaped(text)
    if lang == "ja":
        return f'<span class="ja" lang="ja">{escaped(text)}</span>'
    return f'<span lang="{lang}">{escaped(text)}</span>'


def marked(text, lang):
    """Text, inside a span with its own `lang` when it is not in the page's language."""
    return mark_safe(_marked(text, lang, page_language()))


def bilingual_html(name, name_ja, url="", both=True, page=None):
    """Markup: the reader's-language name (a link when `url` is given), the other in brackets;
    `page` is the page's language when the caller knows it already."""
    page = page or page_language()
    names = name_pair(name, name_ja, page)
    if not names:
        return ""
    markup = _marked(*names[0], page)
    if url:
        markup = f'<a href="{escaped(url)}">{markup}</a>'
    if both and len(names) == 2:
        markup = f"{markup} ({_marked(*names[1], page)})"
    return mark_safe(markup)


_BRACKETED = re.compile(r"^(?P<first>.+) \((?P<other>[^()]+)\)$")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def marked_label(text):
    """`{{ value.label|marked_label }}`: a plain "Hyogo (兵庫県)" label from `bilingual_text` (a facet
    value), with the bracketed name in the other language marked with its `lang`."""
    match = _BRACKETED.match(str(text))
    if not match:
        return text
    other = match["other"]
    lang = "ja" if _JAPANESE.search(other) else "en"
    if lang == page_language():
        return text
    return format_html("{} ({})", match["first"], marked(other, lang))


def language_of(text):
    """ "ja" for text with Japanese script in it, else "en": for the `lang` of quoted words."""
    return "ja" if _JAPANESE.search(str(text)) else "en"
