"""What each history version changed, stored with it: the fields whose values differ from the
record's previous version, with both values (`change_fields`).

/changes/ and its feed show a change field by field; worked out on each render, that meant the
previous version of every change and each partner a value names, a query apiece (0.7 s of CPU a
render). Stored when the version is written, a page of changes is a fixed number of queries
(partnerships/public/changes.py). Values are kept as the database has them (codes, ids, ISO dates), so
that a page shows them in its reader's language with today's names.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

# Columns that are bookkeeping, not facts a reader edits: the key, derived columns (a search's
# folded names, the verification state that follows the checks) and the row's edit counter.
UNSHOWN = {"id", "search_text", "verification", "version"}


class RecordedChange(models.Model):
    """The base of a history model (`HistoricalRecords(bases=[RecordedChange])`): each version
    written keeps what it changed."""

    change_fields = models.JSONField(
        _("fields changed"),
        null=True,
        blank=True,
        editable=False,
        encoder=DjangoJSONEncoder,
        help_text=_("Each field this version changed, with its old and new value."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.change_fields is None and self.history_type == "~" and self._state.adding:
            previous = type(self)._default_manager.filter(id=self.id).order_by("-history_date", "-history_id").first()
            self.change_fields = field_changes(type(self), previous, self)
        super().save(*args, **kwargs)


def compared_fields(history_model):
    """The columns of a history model that hold the record's facts (not the version's bookkeeping)."""
    return [
        field
        for field in history_model._meta.concrete_fields
        if not field.name.startswith("history_") and field.name != "change_fields" and field.name not in UNSHOWN
    ]


def stored(value):
    """A value as JSON keeps it (a date as its ISO text), so that a new version and one read back compare alike."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def field_changes(history_model, old, new):
    """[{"field", "old", "new"}] for each field that differs between two versions (either an
    instance or a dict of values by column); [] without a previous version."""
    if old is None:
        return []

    def value(version, field):
        return stored(version[field.attname] if isinstance(version, dict) else getattr(version, field.attname))

    found = []
    for field in compared_fields(history_model):
        was, now = value(old, field), value(new, field)
        if was != now:
            found.append({"field": field.name, "old": was, "new": now})
    return found


def fill_change_fields(history_model, batch_size=500):
    """Work out `change_fields` for every changed ("~") version that has none, from the version
    before it: for versions written before the field existed (migration 0018) or in bulk.
    Returns how many it filled."""
    columns = [field.attname for field in compared_fields(history_model)]
    rows = history_model._default_manager.order_by("id", "history_date", "history_id").values(
        "id", "history_id", "history_type", "change_fields", *columns
    )
    previous, pending, filled = {}, [], 0
    for row in rows.iterator(chunk_size=2000):
        if row["history_type"] == "~" and row["change_fields"] is None:
            version = history_model(history_id=row["history_id"])
            version.change_fields = field_changes(history_model, previous.get(row["id"]), row)
            pending.append(version)
        previous[row["id"]] = row
        if len(pending) >= batch_size:
            filled += history_model._default_manager.bulk_update(pending, ["change_fields"])
            pending = []
    if pending:
        filled += history_model._default_manager.bulk_update(pending, ["change_fields"])
    return filled
