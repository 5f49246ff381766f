"""Names in the reader's language, with the other language alongside and marked.

A name is shown in the reader's language first, with the other alongside: 「神戸市 (Kobe)」 on a
Japanese page, "Kobe (神戸市)" on an English one; a name that has no Japanese form (most US
cities) is shown once. This is the text; `partnerships.html.names` draws it as markup, the
other language marked with its own `lang`.
"""

import re

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from partnerships.rules.languages import page_language


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


def list_separator():
    """Between the items of an inline list: ", " in English, "、" in Japanese."""
    return "、" if page_language() == "ja" else ", "


def counted(pairs):
    """ "412 sister city, 31 sister state" / "姉妹都市412件、姉妹州・県31件" for [(label, n), ...]."""
    return list_separator().join(_("%(n)s %(label)s") % {"n": intcomma(n), "label": label} for label, n in pairs)


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def language_of(text):
    """ "ja" for text with Japanese script in it, else "en": for the `lang` of quoted words."""
    return "ja" if _JAPANESE.search(str(text)) else "en"


KATAKANA = re.compile(r"[\u30a1-\u30f6]")


def reading(name, name_ja="", name_kana=""):
    """How a Japanese reader files a name (五十音順): its reading in hiragana, where the directory
    has one; else its Japanese name, katakana read as hiragana (a US city's シアトル → しあとる);
    else the name itself (it sorts before every kana)."""
    text = name_kana or name_ja
    if not text:
        return name
    return KATAKANA.sub(lambda kana: chr(ord(kana.group()) - 0x60), text)
