"""The lists' tables and facet values, drawn in Python, from one list of columns per table.

A table is a tuple of `Column`s, as the Django admin's `list_display`: each column gives its
heading (a sort link where the list offers that sort), its cells and their phone label, and the
fields its cells read (the relationships list loads only those). `TABLES` names the tables for the
templates (`{% table_headers "relationships" %}`, `{% table_rows "relationships" object_list %}`).

Adding a column is one entry in one of the tuples below; a relationship's status, say, after Kind
in RELATIONSHIPS (the lists and every record page's relationships then show it, with its phone
label, and the list loads the field):

    Column("status", gettext_lazy("Status"), lambda shared, link: escaped(link.get_status_display()),
           css="fact", fields=("status",)),

Its heading sorts the list only if the list's FilterSet offers its `sort` key (public/filters.py).

A list page shows 50 rows (up to 500) and a hundred or more facet values. Written as template tags
and includes, they were most of a list page's time; here each row is a few f-strings, every value
in them escaped with `markup.escaped` (markup already safe is kept).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnerships.html.markup import escaped
from partnerships.html.names import bilingual_html, marked_label
from partnerships.rules import languages
from partnerships.rules.dates import date_formats, precise_date
from partnerships.rules.languages import page_language


class _Shared:
    """What every row of one table shares, worked out once: the page's language, the partners' URL
    pattern, the date formats and the kinds' labels."""

    def __init__(self, model):
        self.page = page_language()
        self.partner_url = languages.record_urls("partnerships:partner-detail", "slug")
        self.formats = date_formats()
        self.kinds = {value: str(label) for value, label in model._meta.get_field("kind").choices}
        self._texts = {}

    def name(self, partner, link=True, both=True):
        if not partner:
            return ""
        url = self.partner_url(partner.slug) if link else ""
        return bilingual_html(partner.name, partner.name_ja, url=url, both=both, page=self.page)

    def date(self, value, precision):
        return escaped(precise_date(value, precision, self.formats))

    def text(self, message):
        """`message` translated and escaped, once per table."""
        if message not in self._texts:
            self._texts[message] = escaped(_(message))
        return self._texts[message]

    def kind(self, record):
        return escaped(self.kinds.get(record.kind, record.kind))


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table.

    `cell(shared, record)` returns the cell's markup (its text escaped); `css` is the cell's class,
    or a function of the record giving it; `sort` is the list's sort key for this column (the
    heading is a link when the list's FilterSet offers that key); `fields` are what the cell reads
    of the record, for `.only()`; `hidden`: the heading is for screen readers only and the cell
    has no phone label (a link that names itself)."""

    key: str
    label: Any
    cell: Callable
    css: str | Callable = ""
    sort: str = ""
    fields: tuple = ()
    hidden: bool = False


def fields(columns):
    """The record's fields a table's cells read, for `.only()`."""
    return [name for column in columns for name in column.fields]


def _under(html):
    return f'<br><span class="muted">{html}</span>' if html else ""


def corroboration(link):
    """The badge saying whether other sources corroborate it."""
    if link.is_corroborated:
        count = link.source_count
        text = ngettext("Corroborated (%(counter)s source)", "Corroborated (%(counter)s sources)", count)
        return mark_safe(f'<span class="badge badge-ok">{escaped(text % {"counter": count})}</span>')
    return mark_safe(f'<span class="badge">{escaped(_("One source"))}</span>')


# Relationships. On a phone the row is a card (site.css): a line for each partner (`partner`), then
# the facts on one line (`fact`; `dated`, `undated` for the date), then the link (`details`).


def _partner_fields(side):
    return tuple(
        f"{side}__{path}{field}" for path in ("", "parent__") for field in ("slug", "name", "name_ja", "kind", "parent")
    )


def _sources(_shared, link):
    return corroboration(link)


def _details(shared, link):
    hidden = f"{shared.name(link.us_partner, False, False)} – {shared.name(link.jp_partner, False, False)}"
    label = shared.text("Details")
    return f'<a href="{escaped(link.get_absolute_url())}">{label}<span class="visually-hidden">: {hidden}</span></a>'


RELATIONSHIPS = (
    Column(
        "us",
        gettext_lazy("US partner"),
        # A US place in English alone for an English reader (as a US state is in every filter); its
        # Japanese name first, the English beside it, for a Japanese reader.
        lambda shared, link: (
            shared.name(link.us_partner, both=shared.page == "ja")
            + _under(shared.name(link.us_partner.parent, False, False))
        ),
        css="partner",
        sort="us",
        fields=_partner_fields("us_partner"),
    ),
    Column(
        "jp",
        gettext_lazy("Japanese partner"),
        lambda shared, link: shared.name(link.jp_partner) + _under(shared.name(link.jp_partner.parent, False)),
        css="partner",
        sort="japan",
        fields=_partner_fields("jp_partner"),
    ),
    Column("kind", gettext_lazy("Kind"), _Shared.kind, css="fact", fields=("kind",)),
    Column(
        "established",
        gettext_lazy("Established"),
        lambda shared, link: shared.date(link.established, link.established_precision),
        css=lambda link: "fact dated" if link.established else "fact dated undated",
        sort="established",
        fields=("established", "established_precision"),
    ),
    Column("sources", gettext_lazy("Sources"), _sources, css="fact", fields=("source_count",)),
    Column("details", gettext_lazy("Details"), _details, css="details", hidden=True),
)


# Partners.


def _partner_name(shared, partner):
    name = shared.name(partner)
    if partner.name_kana:
        name += f'<br><span class="muted" lang="ja">{escaped(partner.name_kana)}</span>'
    return name


def _partner_region(shared, partner):
    if partner.parent:
        return shared.name(partner.parent)
    return f'<span class="muted">{escaped(partner.get_country_display())}</span>'


PARTNERS = (
    Column("name", gettext_lazy("Name"), _partner_name, sort="name"),
    Column("kind", gettext_lazy("Kind"), _Shared.kind),
    Column("region", gettext_lazy("State or prefecture"), _partner_region),
    Column(
        "relationships",
        gettext_lazy("Relationships"),
        lambda shared, partner: escaped(partner.relationship_count),
        css="num",
        sort="relationships",
    ),
)

TABLES = {
    "relationships": RELATIONSHIPS,
    # A record page's relationships: no sources column, no sorting.
    "related_relationships": tuple(column for column in RELATIONSHIPS if column.key != "sources"),
    "partners": PARTNERS,
}


def table_headers(columns, request=None, sorts=()):
    """The `<th>`s of a table; a column whose `sort` is among `sorts` (the keys the list offers) is
    a link that sorts by it."""
    headings = []
    for column in columns:
        label = str(column.label)
        if column.sort and column.sort in sorts and request is not None:
            headings.append(sort_header(request, label, column.sort))
        elif column.hidden:
            css = escaped(column.css)
            headings.append(f'<th scope="col" class="{css}"><span class="visually-hidden">{escaped(label)}</span></th>')
        else:
            headings.append(f'<th scope="col">{escaped(label)}</th>')
    return mark_safe("".join(headings))


def table_rows(columns, records):
    """The `<tr>`s of a table, a cell per column, each with its phone label (`data-label`)."""
    # Each cell's opening tag, worked out once where its class does not depend on the record.
    drawn = []
    for column in columns:
        label = "" if column.hidden else escaped(str(column.label))
        if callable(column.css):
            drawn.append((column.cell, column.css, f' data-label="{label}">'))
        else:
            css_attr = f' class="{escaped(column.css)}"' if column.css else ""
            drawn.append((column.cell, None, f'<td{css_attr} data-label="{label}">'))
    shared = None
    rows = []
    for record in records:
        shared = shared or _Shared(type(record))
        cells = []
        for cell, css, opening in drawn:
            if css is not None:
                opening = f'<td class="{escaped(css(record))}"{opening}'
            cells.append(f"{opening}{cell(shared, record)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))


def sort_header(request, label, key):
    """A column heading that sorts the list by this column (again: the other way), with `aria-sort`
    saying how it is sorted now."""
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
            f'<label for="f-{name}-{code}">{label} <span class="count">{escaped(value["count"])}</span></label></li>'
        )
    return mark_safe("\n".join(items))
