"""A record's version: a number that every save raises, checked by the database itself.

An edit starts from a version of a record (the change form carries it as `based_on`). Saving it
is one statement, `UPDATE … SET …, version = version + 1 WHERE id = %s AND version = <based on>`:
when someone else saved the record in between, no row matches and nothing is written
(`StaleVersion`). There is no read before the write that a second writer could slip past: on
PostgreSQL the second UPDATE waits for the first to commit, then finds the version moved on.

A save that names no version (`_expected_version` unset: the loader, a script, a test builder)
still raises it, so that every form open on the record becomes stale.
"""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class StaleVersion(Exception):
    """The record is no longer at the version an edit started from (or no longer exists): nothing
    was written."""

    def __init__(self, instance, expected):
        self.instance = instance
        self.expected = expected
        super().__init__(f"{type(instance).__name__} {instance.pk} is no longer at version {expected}")


class Versioned(models.Model):
    """A record whose every UPDATE raises `version`, and is conditional on it when the save says
    which version it starts from (`instance._expected_version = n`, as `review.publish` does)."""

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised by every save; an edit names the one it started from."),
    )

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = getattr(self, "_expected_version", None)
        field = self._meta.get_field("version")
        values = [item for item in values if item[0] is not field] + [(field, None, F("version") + 1)]
        rows = base_qs.filter(pk=pk_val)
        if expected is not None:
            rows = rows.filter(version=expected)
        updated = rows._update(values) > 0
        if expected is not None:
            if not updated:
                raise StaleVersion(self, expected)
            self._expected_version = None  # checked once: a later save of this instance starts anew
            self.version = expected + 1
        elif updated:
            self.version = base_qs.filter(pk=pk_val).values_list("version", flat=True).get()
        return updated
