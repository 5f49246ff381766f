"""What each history version changed, stored with it: the fields whose values differ from the
record's previous version, with both values (`change_fields`).

/changes/ and its feed show a change field by field; worked out on each render, that meant the
previous version of every change and each partner a value names, a query apiece (0.7 s of CPU a
render). Stored when the version is written, a page of changes is a fixed number of queries
(partnerships/public/changes.py). Values are kept as the database has them (codes, ids, ISO dates), so
that a page shows them in its reader's language with today's names.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

# Columns that are bookkeeping, not facts a reader edits: the key, derived columns (a search's
# folded names, the verification state that follows the checks) and the row's edit counter.
UNSHOWN = {"id", "search_text", "verification", "version"}
# The reasons the loader writes on the versions it makes: a load of the bundled data is a release,
# shown as one entry, not as a change to each record.
LOADED = "Loaded from the bundled data (fixtures/)"
RELOADED = "Reloaded from the bundled data (fixtures/)"
BUNDLED = (LOADED, RELOADED)


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


# --- What a version changed, as a reader sees it (/changes/, its feed, a refused save) ---------------


@dataclass
class FieldChange:
    field: str  # the field's label
    old: str
    new: str


# What the name of a record that a changed value points to reads (a partner's: its state).
NAMED_WITH = {"partnerships.partner": ["parent"]}


def changed_field(model, entry):
    try:
        return model._meta.get_field(entry["field"])
    except FieldDoesNotExist:  # a field since removed
        return None


def named_records(versions):
    """{(model, pk): name} of every record that a change among `versions` ((model, version) pairs)
    set or unset, in one query per kind of record."""
    wanted = defaultdict(set)
    for model, version in versions:
        for entry in version.change_fields or []:
            model_field = changed_field(model, entry)
            if model_field is not None and model_field.is_relation:
                wanted[model_field.related_model] |= {v for v in (entry["old"], entry["new"]) if v is not None}
    names = {}
    for related_model, pks in wanted.items():
        records = related_model._base_manager.select_related(
            *NAMED_WITH.get(related_model._meta.label_lower, [])
        ).in_bulk(pks)
        names.update({(related_model, pk): str(record) for pk, record in records.items()})
    return names


def differences(model, entries, names):
    """What a change did, field by field (old -> new), as the reader sees each value."""
    found = []
    for entry in entries:
        model_field = changed_field(model, entry)
        label = str(model_field.verbose_name) if model_field is not None else entry["field"]
        found.append(
            FieldChange(label, shown(model_field, entry["old"], names), shown(model_field, entry["new"], names))
        )
    return found


def differences_between(model, old, new):
    """What changed from one history version of a record (`old`) to a later one (`new`), field by
    field, as the reader sees each value; [] without the older version. For a refused save: what
    others published while the form was open."""
    if old is None:
        return []
    entries = field_changes(type(new), old, new)
    return differences(model, entries, named_records([(model, SimpleNamespace(change_fields=entries))]))


def shown(model_field, value, names):
    """A stored value as a reader sees it: a record's name, a choice's label in the page's language."""
    if value in (None, ""):
        return "—"
    if model_field is None:
        return str(value)
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)
