from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.changes import recent_changes
from partnerships.text import safe_for_output


class ChangesFeed(Feed):
    """Published additions, changes and removals, newest first, for partners and researchers to follow."""

    feed_type = Atom1Feed
    title = gettext_lazy("US–Japan Partnerships Directory: what changed")
    subtitle = gettext_lazy("Records added, changed or removed in the directory, once a reviewer has published them.")
    link = reverse_lazy("partnerships:changes")

    def items(self):
        return recent_changes(50)

    # A feed is XML, which cannot carry control characters at all: whatever a record holds, the
    # feed leaves them out rather than fail for every reader.
    def item_title(self, change):
        return safe_for_output(f"{change.verb}: {change.label}")

    def item_description(self, change):
        return safe_for_output(change.reason) or _("No reason was given.")

    def item_link(self, change):
        return change.url or f"{reverse('partnerships:changes')}#change-{change.key}"

    def item_guid(self, change):
        return f"change-{change.key}"

    item_guid_is_permalink = False

    def item_updateddate(self, change):
        return change.date

    def item_pubdate(self, change):
        return change.date
