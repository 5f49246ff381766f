import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ical.views import ICalFeed

from partnerships import anniversaries, caching
from partnerships.changes import recent_changes
from partnerships.filters import RelationshipFilter
from partnerships.models import Relationship
from partnerships.text import safe_for_output


class ChangesFeed(Feed):
    """Published additions, changes and removals, newest first, for partners and researchers to follow."""

    feed_type = Atom1Feed
    title = gettext_lazy("US–Japan Partnerships Directory: what changed")
    subtitle = gettext_lazy("Records added, changed or removed in the directory, once a reviewer has published them.")
    link = reverse_lazy("partnerships:changes")

    def items(self):
        return recent_changes(settings.PAGE_SIZE)

    # A feed is XML, which cannot carry control characters at all: whatever a record holds, the
    # feed leaves them out rather than fail for every reader.
    def item_title(self, change):
        return safe_for_output(f"{change.verb}: {change.label}")

    def item_description(self, change):
        reason = safe_for_output(change.reason) or _("No reason was given.")
        lines = [f"{item.field}: {item.old} → {item.new}" for item in change.fields]
        return "\n".join([reason, *map(safe_for_output, lines)])

    def item_link(self, change):
        return change.url or f"{reverse('partnerships:changes')}#change-{change.key}"

    def item_guid(self, change):
        return f"change-{change.key}"

    item_guid_is_permalink = False

    def item_updateddate(self, change):
        return change.date

    def item_pubdate(self, change):
        return change.date


class AnniversaryCalendar(ICalFeed):
    """/anniversaries.ics: the anniversaries page as an iCalendar feed (RFC 5545) that Outlook or
    Google Calendar can subscribe to, with the page's filters in its query string: an all-day event
    on each anniversary, dated as precisely as the tie's date is stated."""

    product_id = "-//US-Japan Partnerships Directory//Anniversaries//EN"
    timezone = "UTC"
    file_name = "anniversaries.ics"

    def query_parameters(self):
        return caching.parameters(anniversaries.YearForm, RelationshipFilter)

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.year_form = anniversaries.YearForm(request.GET)
        base = Relationship.objects.select_related("us_partner", "jp_partner")
        self.filterset = RelationshipFilter(
            request.GET or None, queryset=anniversaries.with_anniversaries(base, self.year_form.years())
        )
        if not self.year_form.is_valid() or (self.filterset.is_bound and not self.filterset.is_valid()):
            errors = {**self.year_form.errors, **self.filterset.errors}
            lines = [f"{name}: {' '.join(str(e) for e in errs)}" for name, errs in errors.items()]
            return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Anniversaries of US–Japan sister relationships")

    def description(self):
        return _("Ties reaching 5, 10, 15 … years, from the US–Japan Partnerships Directory.")

    def items(self):
        return list(self.filterset.qs.order_by("anniversary_year", "-anniversary", "pk"))

    def item_title(self, link):
        pair = f"{link.us_partner.name} – {link.jp_partner.name}"
        return safe_for_output(_("%(years)s years: %(pair)s (%(kind)s)") % {
            "years": link.anniversary, "pair": pair, "kind": link.get_kind_display()
        })  # fmt: skip

    def item_description(self, link):
        stated = {"day": link.established.isoformat(), "month": link.established.isoformat()[:7]}.get(
            link.established_precision, str(link.established.year)
        )
        return _("Established %(date)s.") % {"date": stated}

    def item_link(self, link):
        return link.get_absolute_url()

    def item_guid(self, link):
        return f"anniversary-{link.pk}-{link.anniversary_year}@{self.request.get_host()}"

    def item_start_datetime(self, link):
        return anniversaries.day_of(link)

    def item_end_datetime(self, link):
        return anniversaries.day_of(link) + datetime.timedelta(days=1)
