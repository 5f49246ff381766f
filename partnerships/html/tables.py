"""The lists' rows, cards, facet values and column headings, drawn in Python.

A list page shows 50 rows and a hundred or more facet values. Written as template tags and
includes, they were most of a list page's time; here each is one f-string, its text escaped with
`escaped` (markup already safe is kept). The template tags in `templatetags/partnerships.py`
hand them to the templates.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.html.names import bilingual_html, escaped, marked_label, other_language
from partnerships.rules import languages
from partnerships.rules.dates import date_formats, precise_date
from partnerships.rules.languages import page_language
from partnerships.rules.names import list_separator


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


def corroboration(link):
    """The badge saying whether other sources corroborate it."""
    if link.is_corroborated:
        count = link.source_count
        text = ngettext("Corroborated (%(counter)s source)", "Corroborated (%(counter)s sources)", count)
        return mark_safe(f'<span class="badge badge-ok">{escaped(text % {"counter": count})}</span>')
    return mark_safe(f'<span class="badge">{escaped(_("One source"))}</span>')


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


def sort_header(request, label, key):
    """`{% sort_header _("Established") "established" %}`: a column heading that sorts the list by
    this column (again: the other way), with `aria-sort` saying how it is sorted now."""
    query = request.GET.copy()
    current = query.get("sort", "")
    ascending, descending = current == key, current == f"-{key}"
    query["sort"] = f"-{key}" if ascending else key
    query.pop("page", None)
    state = "ascending" if ascending else "descending" if descending else "none"
    arrow = " ▲" if ascending else " ▼" if descending else ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}">{}{}</a></th>', state, query.urlencode(), label, arrow
    )
