"""The lists' cards (agreements, programs, places seeking a partner), drawn in Python like the
tables' rows (`tables.py`): a list page shows 50 of them (up to 500), and a card drawn by template
tags and includes costs several times as much. Every value is escaped with `markup.escaped`;
translated sentences with values in them are filled with the values escaped, as
`{% blocktranslate %}` does.
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format, localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from partnerships.html.markup import escaped
from partnerships.html.names import bilingual_html, local_paragraph, other_language
from partnerships.rules.dates import date_formats, precise_date, year
from partnerships.rules.languages import page_language
from partnerships.rules.names import list_separator


def _card(lines):
    """A card: its lines (those not empty), one a line."""
    return '<li class="card">\n' + "".join(f"{line}\n" for line in lines if line) + "</li>"


def _tags(topics, page, label):
    items = "".join(f"<li>{bilingual_html(topic.name, topic.name_ja, both=False, page=page)}</li>" for topic in topics)
    return f'<ul class="tags" aria-label="{label}">{items}</ul>' if items else ""


def _names(partners, page):
    """Partners' names in the reader's language, without links, as a list in a sentence."""
    separator = escaped(list_separator())
    return separator.join(bilingual_html(partner.name, partner.name_ja, both=False, page=page) for partner in partners)


def _subtitle(name, name_ja):
    other = other_language(name, name_ja)
    return f"<p>{other}</p>" if other else ""


def agreement_cards(agreements):
    """`{% agreement_cards object_list %}`: one card per agreement (title in the reader's language with
    the other under it, kind, date signed, status, parties, topics)."""
    page = page_language()
    formats = date_formats()
    parties_label, topics_label = escaped(_("Parties:")), escaped(_("Topics"))
    kinds = None
    cards = []
    for agreement in agreements:
        kinds = kinds or {value: str(label) for value, label in type(agreement)._meta.get_field("kind").choices}
        title = bilingual_html(agreement.title, agreement.title_ja, url=agreement.get_absolute_url(), both=False)
        if agreement.signed:
            signed = _("signed %(signed_on)s") % {
                "signed_on": precise_date(agreement.signed, agreement.signed_precision, formats)
            }
        else:
            signed = _("date not stated")
        kind = kinds.get(agreement.kind, agreement.kind)
        meta = " · ".join(escaped(text) for text in (kind, signed, agreement.get_status_display()))
        parties = _names(agreement.parties.all(), page)
        cards.append(
            _card(
                [
                    f"<h2>{title}</h2>",
                    _subtitle(agreement.title, agreement.title_ja),
                    f'<p class="meta">{meta}</p>',
                    f'<p class="meta">{parties_label} {parties}</p>',
                    _tags(agreement.topics.all(), page, topics_label),
                ]
            )
        )
    return mark_safe("\n".join(cards))


def _years(program):
    """ "1998–2005", "since 1998", or "" when the start is not known."""
    if not program.start_year:
        return ""
    start = escaped(year(program.start_year))
    if program.end_year and program.end_year != program.start_year:
        return _("%(start)s–%(end)s") % {"start": start, "end": escaped(year(program.end_year))}
    return _("since %(year)s") % {"year": start}


def program_cards(programs):
    """`{% program_cards object_list %}`: one card per program (name in the reader's language with the
    other under it, years, status, summary, participants, topics)."""
    page = page_language()
    participants_label, topics_label = escaped(_("Participants:")), escaped(_("Topics"))
    cards = []
    for program in programs:
        years = _years(program)
        meta = (f"{years} · " if years else "") + escaped(program.get_status_display())
        name = bilingual_html(program.name, program.name_ja, url=program.get_absolute_url(), both=False)
        participants = _names([participation.partner for participation in program.participations.all()], page)
        cards.append(
            _card(
                [
                    f"<h2>{name}</h2>",
                    _subtitle(program.name, program.name_ja),
                    f'<p class="meta">{meta}</p>',
                    local_paragraph(program.summary, program.summary_ja),
                    f'<p class="meta">{participants_label} {participants}</p>' if participants else "",
                    _tags(program.topics.all(), page, topics_label),
                ]
            )
        )
    return mark_safe("\n".join(cards))


def _figures(seeking):
    """The place's state or prefecture, population and area as stated, and when."""
    parent = seeking.partner.parent
    figures = bilingual_html(parent.name, parent.name_ja) if parent else ""
    if seeking.population:
        figures += " · " + _("population %(n)s") % {"n": escaped(intcomma(seeking.population))}
    if seeking.area_km2:
        figures += " · " + _("%(area)s km²") % {"area": escaped(localize(seeking.area_km2))}
    if seeking.as_of:
        figures += " (" + _("as of %(date)s") % {"date": escaped(date_format(seeking.as_of, "Y-m"))} + ")"
    return figures


def seeking_cards(places):
    """`{% seeking_cards object_list %}`: one card per place seeking a partner (its name, figures, the
    countries and places it seeks, in its own words, what it hopes for, and where CLAIR lists it)."""
    seeks, hopes, source_label = escaped(_("Seeks partners in:")), escaped(_("Hopes for:")), escaped(_("Source:"))
    cards = []
    for seeking in places:
        partner, source = seeking.partner, seeking.source
        wanted = ", ".join(escaped(label) for label in seeking.wanted)
        places_sought = f"：{escaped(seeking.places)}" if seeking.places else ""
        checked = _("read on %(date)s") % {"date": escaped(date_format(seeking.checked, "Y-m-d"))}
        cards.append(
            _card(
                [
                    f"<h2>{bilingual_html(partner.name, partner.name_ja, url=partner.get_absolute_url())}</h2>",
                    f'<p class="meta">{_figures(seeking)}</p>',
                    f"<p>{seeks} <strong>{wanted}</strong> — "
                    f'<span lang="ja">{escaped(seeking.countries)}{places_sought}</span></p>',
                    f'<p>{hopes} <span lang="ja">{escaped(seeking.conditions)}</span></p>'
                    if seeking.conditions
                    else "",
                    f'<p lang="ja" class="muted">{escaped(seeking.description)}</p>' if seeking.description else "",
                    f'<p class="meta">{source_label} <a href="{escaped(source.url)}" rel="noopener">'
                    f"{escaped(source.title)}</a> ({checked})</p>",
                ]
            )
        )
    return mark_safe("\n".join(cards))
