"""Names and dates in the reader's language, for templates.

Names follow `partnerships.rules.names` (the reader's language first, the other alongside). Dates
show only as much as their source states, in the reader's format: "October 1957" / "1957年10月", "1955" / "1955年".
"""

import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import linebreaksbr
from django.utils import dateformat
from django.utils.formats import date_format, get_format, get_format_modules
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.models import DatePrecision
from partnerships.rules import languages, names
from partnerships.rules.names import (
    bilingual_html,
    bilingual_text,
    escaped,
    local_name,
    marked,
    name_pair,
    page_language,
)

register = template.Library()

# Formats per precision: Django format names, or YEAR_FORMAT from directory/formats/<lang>/.
PRECISION_FORMATS = {
    DatePrecision.YEAR: "YEAR_FORMAT",
    DatePrecision.MONTH: "YEAR_MONTH_FORMAT",
    DatePrecision.DAY: "DATE_FORMAT",
}


def year_format():
    """How a year on its own is written: "1955" in English, "1955年" in Japanese."""
    for module in get_format_modules():
        if hasattr(module, "YEAR_FORMAT"):
            return module.YEAR_FORMAT
    return "Y"


@register.simple_tag
def partner_name(partner, link=True, both=True):
    """`{% partner_name partner %}`: "<a>Kobe</a> (神戸市)"; `link=False` without the link,
    `both=False` in the reader's language only."""
    if not partner:
        return ""
    url = partner.get_absolute_url() if link else ""
    return bilingual_html(partner.name, partner.name_ja, url=url, both=both)


@register.simple_tag
def bilingual(name, name_ja, url="", both=True):
    """`{% bilingual topic.name topic.name_ja %}`: any English/Japanese pair, as partner_name."""
    return bilingual_html(name, name_ja, url=url, both=both)


@register.simple_tag
def local_paragraph(text, text_ja, block="p", css=""):
    """`{% local_paragraph program.summary program.summary_ja %}`: the text in the reader's language (the
    other where only that one exists) in a `<p>` marked with its language, line breaks kept."""
    pair = name_pair(text, text_ja)
    if not pair:
        return ""
    shown, lang = pair[0]
    css_attr = format_html(' class="{}"', css) if css else ""
    return format_html('<{} lang="{}"{}>{}</{}>', block, lang, css_attr, linebreaksbr(shown, autoescape=True), block)


@register.simple_tag
def other_language(name, name_ja):
    """The form not shown first (a subtitle under a heading), marked with its language; or ""."""
    pair = name_pair(name, name_ja)
    return marked(*pair[1]) if len(pair) == 2 else ""


@register.filter
def name_text(partner):
    """`{{ partner|name_text }}`: both names as plain text, for <title> and the like."""
    return bilingual_text(partner.name, partner.name_ja) if partner else ""


@register.filter
def short_name(partner):
    """`{{ partner|short_name }}`: the name in the reader's language only, as plain text."""
    return local_name(partner.name, partner.name_ja) if partner else ""


def date_formats():
    """{precision: format} in the reader's language: "F Y" / "Y年n月" for a month, and so on."""
    return {
        precision: year_format() if name == "YEAR_FORMAT" else get_format(name)
        for precision, name in PRECISION_FORMATS.items()
    }


@register.simple_tag
def precise_date(value, precision, formats=None):
    """A date shown only as precisely as its source states it (`formats`: `date_formats()`, when
    many dates are drawn at once)."""
    if not value:
        return _("not stated")
    formats = formats or date_formats()
    return dateformat.format(value, formats.get(precision, formats[DatePrecision.DAY]))


@register.filter
def year(value):
    """`{{ program.start_year|year }}`: a year number as the reader writes it ("1955" / "1955年")."""
    if value in (None, ""):
        return ""
    try:
        return date_format(datetime.date(int(value), 1, 1), year_format())
    except (TypeError, ValueError):
        return value


@register.simple_tag
def local_text(name, name_ja):
    """`{% local_text agreement.title agreement.title_ja %}`: plain text in the reader's language, for <title>."""
    return local_name(name, name_ja)


@register.simple_tag
def count_list(pairs):
    """`{% count_list relationship_kinds %}` for [(label, n), ...]: "412 sister city, 31 sister state"
    / "姉妹都市412件、姉妹州・県31件"."""
    items = [_("%(n)s %(label)s") % {"n": intcomma(n), "label": label} for label, n in pairs]
    return ("、" if page_language() == "ja" else ", ").join(items)


@register.simple_tag
def list_separator():
    """Between the items of an inline list: ", " in English, "、" in Japanese."""
    return "、" if page_language() == "ja" else ", "


@register.filter
def marked_label(text):
    """`{{ value.label|marked_label }}`: a plain "Hyogo (兵庫県)" label (a facet value), with the
    bracketed name in the other language marked with its `lang`."""
    return names.marked_label(text)


# --- Table rows and facet values -----------------------------------------------------------------
# A list page shows 50 rows and a hundred or more facet values. Written as template tags and
# includes, they were most of a list page's time; here each is one f-string, its text escaped
# with `names.escaped`.


def _cell(label, html, css=""):
    css_attr = f' class="{css}"' if css else ""
    return f'<td{css_attr} data-label="{escaped(label)}">{html}</td>'


def _under(html):
    return f'<br><span class="muted">{html}</span>' if html else ""


class _Table:
    """What every row of one table shares, worked out once: the page's language, the partners' URL
    pattern, the date formats and the kinds' labels."""

    def __init__(self, model):
        self.page = page_language()
        self.partner_url = languages.record_urls("partnerships:partner-detail", "slug")
        self.formats = date_formats()
        self.kinds = {value: str(label) for value, label in model._meta.get_field("kind").choices}

    def name(self, partner, link=True, both=True):
        if not partner:
            return ""
        url = self.partner_url(partner.slug) if link else ""
        return bilingual_html(partner.name, partner.name_ja, url=url, both=both, page=self.page)

    def date(self, value, precision):
        return escaped(precise_date(value, precision, self.formats))


@register.simple_tag
def corroboration(link):
    """`{% corroboration relationship %}`: the badge saying whether other sources corroborate it."""
    if link.is_corroborated:
        count = link.source_count
        text = ngettext("Corroborated (%(counter)s source)", "Corroborated (%(counter)s sources)", count)
        return mark_safe(f'<span class="badge badge-ok">{escaped(text % {"counter": count})}</span>')
    return mark_safe(f'<span class="badge">{escaped(_("One source"))}</span>')


@register.simple_tag
def relationship_rows(links, sources=True):
    """`{% relationship_rows object_list %}`: the `<tr>`s of a relationships table (columns: US
    partner, Japanese partner, kind, established, and with `sources` how many sources say so, then
    the link to the record); each side's state or prefecture under its name."""
    labels = {
        "us": _("US partner"),
        "jp": _("Japanese partner"),
        "kind": _("Kind"),
        "established": _("Established"),
        "sources": _("Sources"),
        "details": escaped(_("Details")),
    }
    table = None
    rows = []
    for link in links:
        table = table or _Table(type(link))
        us, jp = link.us_partner, link.jp_partner
        # On a phone the row is a card (site.css): a line for each partner, then the facts on one line.
        cells = [
            _cell(labels["us"], table.name(us) + _under(table.name(us.parent, False, False)), css="partner"),
            _cell(labels["jp"], table.name(jp) + _under(table.name(jp.parent, False)), css="partner"),
            _cell(labels["kind"], escaped(table.kinds.get(link.kind, link.kind)), css="fact"),
            _cell(
                labels["established"],
                table.date(link.established, link.established_precision),
                css="fact dated" if link.established else "fact dated undated",
            ),
        ]
        if sources:
            cells.append(_cell(labels["sources"], corroboration(link), css="fact"))
        hidden = f"{table.name(us, False, False)} – {table.name(jp, False, False)}"
        url = escaped(link.get_absolute_url())
        details = f'<a href="{url}">{labels["details"]}<span class="visually-hidden">: {hidden}</span></a>'
        cells.append(_cell("", details, css="details"))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))


@register.simple_tag
def partner_rows(partners):
    """`{% partner_rows object_list %}`: the `<tr>`s of the partners table (name with its kana
    reading, kind, state or prefecture, number of relationships)."""
    labels = {"name": _("Name"), "kind": _("Kind"), "region": _("State or prefecture"), "count": _("Relationships")}
    table = None
    rows = []
    for partner in partners:
        table = table or _Table(type(partner))
        name = table.name(partner)
        if partner.name_kana:
            name += f'<br><span class="muted" lang="ja">{escaped(partner.name_kana)}</span>'
        if partner.parent:
            region = table.name(partner.parent)
        else:
            region = f'<span class="muted">{escaped(partner.get_country_display())}</span>'
        cells = [
            _cell(labels["name"], name),
            _cell(labels["kind"], escaped(table.kinds.get(partner.kind, partner.kind))),
            _cell(labels["region"], region),
            _cell(labels["count"], partner.relationship_count, css="num"),
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))


@register.simple_tag
def agreement_cards(agreements):
    """`{% agreement_cards object_list %}`: one card per agreement (title in the reader's language with
    the other under it, kind, date signed, status, parties, topics)."""
    labels = {"parties": escaped(_("Parties:")), "topics": escaped(_("Topics")), "undated": _("date not stated")}
    table = None
    cards = []
    for agreement in agreements:
        table = table or _Table(type(agreement))
        title = bilingual_html(agreement.title, agreement.title_ja, url=agreement.get_absolute_url(), both=False)
        other = other_language(agreement.title, agreement.title_ja)
        if agreement.signed:
            signed = _("signed %(signed_on)s") % {
                "signed_on": precise_date(agreement.signed, agreement.signed_precision, table.formats)
            }
        else:
            signed = labels["undated"]
        meta = " · ".join(
            escaped(text)
            for text in (table.kinds.get(agreement.kind, agreement.kind), signed, agreement.get_status_display())
        )
        parties = escaped(list_separator()).join(table.name(party, False, False) for party in agreement.parties.all())
        topics = "".join(
            f"<li>{bilingual_html(topic.name, topic.name_ja, both=False, page=table.page)}</li>"
            for topic in agreement.topics.all()
        )
        cards.append(
            f'<li class="card">\n<h2>{title}</h2>\n'
            + (f"<p>{other}</p>\n" if other else "")
            + f'<p class="meta">{meta}</p>\n<p class="meta">{labels["parties"]} {parties}</p>\n'
            + (f'<ul class="tags" aria-label="{labels["topics"]}">{topics}</ul>\n' if topics else "")
            + "</li>"
        )
    return mark_safe("\n".join(cards))


@register.simple_tag
def facet_values(name, values):
    """`{% facet_values group.name group.shown %}`: one checkbox per facet value, ticked when chosen,
    with its label (the other language's name marked) and count."""
    items = []
    name = escaped(name)
    for value in values:
        code = escaped(value["value"])
        checked = " checked" if value["selected"] else ""
        label = escaped(marked_label(value["label"]))
        items.append(
            f'<li><input type="checkbox" name="{name}" value="{code}" id="f-{name}-{code}"{checked}>'
            f'<label for="f-{name}-{code}">{label} <span class="count">{value["count"]}</span></label></li>'
        )
    return mark_safe("\n".join(items))


@register.filter
def text_lang(text):
    """`{{ check.quote|text_lang }}`: "ja" or "en", for a `lang` attribute on quoted words."""
    return names.language_of(text)


@register.filter
def join_values(chips):
    """`{{ active_filters|join_values }}`: the chosen filter values, for a page's <title>."""
    return list_separator().join(str(chip["value"]) for chip in chips)


@register.simple_tag(takes_context=True)
def sort_header(context, label, key):
    """`{% sort_header _("Established") "established" %}`: a column heading that sorts the list by
    this column (again: the other way), with `aria-sort` saying how it is sorted now."""
    query = context["request"].GET.copy()
    current = query.get("sort", "")
    ascending, descending = current == key, current == f"-{key}"
    query["sort"] = f"-{key}" if ascending else key
    query.pop("page", None)
    state = "ascending" if ascending else "descending" if descending else "none"
    arrow = " ▲" if ascending else " ▼" if descending else ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}">{}{}</a></th>', state, query.urlencode(), label, arrow
    )


@register.simple_tag(takes_context=True)
def language_url(context, code):
    """`{% language_url "ja" %}`: this very page (filters and all) in another language."""
    request = context.get("request")
    if request is None:
        return ""
    query = request.META.get("QUERY_STRING", "")
    return languages.in_language(request.path_info, code) + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def current_page(context, *names):
    """`{% current_page "partner-list" "partner-detail" %}`: ' aria-current="page"' on the
    navigation link of the section the page is in."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return mark_safe(' aria-current="page"') if match and match.url_name in names else ""
