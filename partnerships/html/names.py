"""Names as markup: the reader's-language name first, the other alongside inside a span with its
own `lang`, so that screen readers and fonts treat it right (`partnerships.rules.names` decides
the order and the text). Every interpolation goes through `markup.escaped`."""

import re

from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from partnerships.html.markup import escaped
from partnerships.rules.languages import page_language
from partnerships.rules.names import language_of, name_pair


def _marked(text, lang, page):
    if lang == page:
        return escaped(text)
    if lang == "ja":
        return f'<span class="ja" lang="ja">{escaped(text)}</span>'
    return f'<span lang="{escaped(lang)}">{escaped(text)}</span>'


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


def marked_label(text):
    """`{{ value.label|marked_label }}`: a plain "Hyogo (兵庫県)" label from `bilingual_text` (a facet
    value), with the bracketed name in the other language marked with its `lang`."""
    match = _BRACKETED.match(str(text))
    if not match:
        return text
    other = match["other"]
    lang = language_of(other)
    if lang == page_language():
        return text
    return format_html("{} ({})", match["first"], marked(other, lang))


def other_language(name, name_ja):
    """The form not shown first (a subtitle under a heading), marked with its language; or ""."""
    pair = name_pair(name, name_ja)
    return marked(*pair[1]) if len(pair) == 2 else ""


def local_paragraph(text, text_ja, block="p", css=""):
    """The text in the reader's language (the other where only that one exists) in a `<p>` marked
    with its language, line breaks kept."""
    pair = name_pair(text, text_ja)
    if not pair:
        return ""
    shown, lang = pair[0]
    css_attr = format_html(' class="{}"', css) if css else ""
    return format_html('<{} lang="{}"{}>{}</{}>', block, lang, css_attr, linebreaksbr(shown, autoescape=True), block)
