from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ical.views import ICalFeed

from partnerships.models import DatePrecision, Partner, Relationship
from partnerships.platform import caching
from partnerships.public import anniversaries
from partnerships.public.changes import Release, recent_changes
from partnerships.public.facets import active_filters
from partnerships.public.filters import RelationshipFilter
from partnerships.rules import languages
from partnerships.rules.dates import date_formats, precise_date
from partnerships.rules.languages import page_language
from partnerships.rules.names import local_name
from partnerships.rules.text import safe_for_output


class ChangesFeed(Feed):
    """Published additions, changes and removals, newest first, for partners and researchers to follow."""

    feed_type = Atom1Feed
    title = gettext_lazy("US–Japan Partnerships Directory: what changed")
    subtitle = gettext_lazy("Records added, changed or removed in the directory, once a reviewer has published them.")
    link = reverse_lazy("partnerships:changes")

    def get_object(self, request, *args, **kwargs):
        return request

    def items(self, request):
        entries = recent_changes(settings.PAGE_SIZE)
        for entry in entries:  # an Atom id is an IRI, the same from every language's feed
            entry.iri = request.build_absolute_uri(
                f"{languages.neutral(reverse('partnerships:changes'))}#{entry.anchor}"
            )
        return entries

    # A feed is XML, which cannot carry control characters at all: whatever a record holds, the
    # feed leaves them out rather than fail for every reader.
    def item_title(self, change):
        return safe_for_output(f"{change.verb}: {change.label}")

    def item_description(self, change):
        if isinstance(change, Release):
            return _("The directory's bundled data (fixtures/), with the sources each record cites.")
        reason = safe_for_output(change.reason) or _("No reason was given.")
        lines = [f"{item.field}: {item.old} → {item.new}" for item in change.fields]
        return "\n".join([reason, *map(safe_for_output, lines)])

    def item_link(self, change):
        return getattr(change, "url", "") or f"{reverse('partnerships:changes')}#{change.anchor}"

    def item_guid(self, change):
        return change.iri

    item_guid_is_permalink = False

    def item_updateddate(self, change):
        return change.date

    def item_pubdate(self, change):
        return change.date


def place_with_region(partner):
    """A partner named with its state or prefecture, in the reader's language, as a calendar entry
    names it out of context: "Richmond, Indiana" / "島田市（静岡県）" (Japanese where the directory
    has the Japanese name, as a Japanese reader's own calendar would write it). A state or
    prefecture is named alone."""
    name = local_name(partner.name, partner.name_ja)
    if not partner.parent_id or partner.parent.kind not in Partner.REGION_KINDS:
        return name
    region = local_name(partner.parent.name, partner.parent.name_ja)
    return f"{name}（{region}）" if page_language() == "ja" else f"{name}, {region}"


class AnniversaryCalendar(ICalFeed):
    """/anniversaries.ics: the anniversaries page as an iCalendar feed (RFC 5545) that Outlook or
    Google Calendar can subscribe to, with the page's filters in its query string (and named after
    them): an all-day event for each anniversary over the days `anniversaries.days_of` gives (the
    day, or the whole month or year where only that is known, said in its description), naming
    both places with their state and prefecture, its kind as the event's category."""

    product_id = "-//US-Japan Partnerships Directory//Anniversaries//EN"
    timezone = "UTC"
    file_name = "anniversaries.ics"

    def query_parameters(self):
        return caching.parameters(anniversaries.YearForm, RelationshipFilter)

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.year_form = anniversaries.YearForm(request.GET)
        base = Relationship.objects.select_related("us_partner__parent", "jp_partner__parent")
        self.filterset = RelationshipFilter(
            request.GET or None, queryset=anniversaries.with_anniversaries(base, self.year_form.years())
        )
        if not self.year_form.is_valid() or (self.filterset.is_bound and not self.filterset.is_valid()):
            errors = {**self.year_form.errors, **self.filterset.errors}
            lines = [f"{name}: {' '.join(str(e) for e in errs)}" for name, errs in errors.items()]
            return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
        self.formats = date_formats()
        return super().__call__(request, *args, **kwargs)

    def title(self):
        """X-WR-CALNAME: a subscriber with several filtered calendars tells them apart by name."""
        title = _("Anniversaries of US–Japan sister relationships")
        colon, separator = ("：", "、") if page_language() == "ja" else (": ", "; ")
        chips = active_filters(self.filterset, self.request.GET)
        chosen = [f"{chip['label']}{colon}{chip['value']}" for chip in chips]
        if self.year_form.cleaned_data.get("year"):
            chosen.append(f"{self.year_form.fields['year'].label}{colon}{self.year_form.cleaned_data['year']}")
        return safe_for_output(f"{title} — {separator.join(chosen)}" if chosen else title)

    def description(self):
        return _("Ties reaching 5, 10, 15 … years, from the US–Japan Partnerships Directory.")

    def items(self):
        return list(self.filterset.qs.order_by("anniversary_year", "-anniversary", "pk"))

    def item_title(self, link):
        pair = f"{place_with_region(link.us_partner)} – {place_with_region(link.jp_partner)}"
        return safe_for_output(_("%(years)s years: %(pair)s (%(kind)s)") % {
            "years": link.anniversary, "pair": pair, "kind": link.get_kind_display()
        })  # fmt: skip

    def item_description(self, link):
        stated = precise_date(link.established, link.established_precision, self.formats)
        lines = [_("Established %(date)s.") % {"date": stated}]
        if link.established_precision == DatePrecision.MONTH:
            lines.append(_("The day is not known: the event spans the month."))
        elif link.established_precision == DatePrecision.YEAR:
            lines.append(_("The day and month are not known: the event spans the year."))
        return ("。" if page_language() == "ja" else " ").join(lines)

    def item_categories(self, link):
        return [str(link.get_kind_display())]

    def item_link(self, link):
        return link.get_absolute_url()

    def item_guid(self, link):
        return f"anniversary-{link.pk}-{link.anniversary_year}@{self.request.get_host()}"

    def item_start_datetime(self, link):
        return anniversaries.days_of(link)[0]

    def item_end_datetime(self, link):
        return anniversaries.days_of(link)[1]
