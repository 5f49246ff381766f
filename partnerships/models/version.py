"""The data version: one number that every published change raises.

Public pages are a function of the published records, the page's URL and language, and the
code: the version stands for the first. It keys each page's ETag and its copy in the shared
cache (partnerships/caching.py), so that a publish on any server makes every server's copies
stale at once — the version is read from the database, which they all share.
"""

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    number = models.PositiveBigIntegerField(_("version"), default=1)
    changed = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("data version")

    def __str__(self):
        return f"{self.number} ({self.changed:%Y-%m-%d %H:%M})"

    @classmethod
    def current(cls):
        """(number, when it last changed); (0, None) before anything was published."""
        return cls.objects.filter(pk=1).values_list("number", "changed").first() or (0, None)

    @classmethod
    def bump(cls):
        """Raise the version, inside the caller's transaction (so it commits with the change)."""
        if not cls.objects.filter(pk=1).update(number=F("number") + 1, changed=timezone.now()):
            cls.objects.get_or_create(pk=1)


def bump_on_change(sender, **kwargs):
    """Signal receiver: a record (or its many-to-many links) changed."""
    if kwargs.get("raw"):  # loaddata: the loader bumps once at the end
        return
    if "action" in kwargs and not kwargs["action"].startswith("post_"):
        return
    DataVersion.bump()
