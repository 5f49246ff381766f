"""What changed: the directory's published history, newest first, for /changes/ and its feed."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, Partner, Program, Relationship


@dataclass
class FieldChange:
    field: str  # the field's label
    old: str
    new: str


@dataclass
class PublishedChange:
    key: str
    date: datetime.datetime
    verb: str
    kind: str
    label: str
    reason: str
    url: str
    fields: list = field(default_factory=list)  # FieldChange, for a change ("~")


CHANGE_VERBS = {"+": _("Added"), "~": _("Changed"), "-": _("Removed")}


def recent_changes(limit):
    """The newest `limit` published changes to partners, relationships, agreements and programs
    (one query per kind of record)."""
    followed = [
        (Partner, ["parent"]),
        (Relationship, ["us_partner", "jp_partner"]),
        (Agreement, []),
        (Program, []),
    ]
    changes = []
    for model, related in followed:
        records = list(model.history.select_related(*related).order_by("-history_date", "-history_id")[:limit])
        before = previous_versions(model, records)
        for record in records:
            instance = record.instance
            try:
                label = str(instance)
            except ObjectDoesNotExist:  # a partner it named has since been removed
                label = f"{model._meta.verbose_name} #{record.id}"
            changes.append(
                PublishedChange(
                    key=f"{model._meta.model_name}-{record.history_id}",
                    date=record.history_date,
                    verb=str(CHANGE_VERBS[record.history_type]),
                    kind=str(model._meta.verbose_name),
                    label=label,
                    reason=record.history_change_reason or "",
                    url="" if record.history_type == "-" else instance.get_absolute_url(),
                    fields=differences(model, before.get(record.history_id), record),
                )
            )
    changes.sort(key=lambda change: change.date, reverse=True)
    return changes[:limit]


# Derived or bookkeeping columns that a reader never edits (`version` is raised by every save).
UNSHOWN = {"id", "search_text", "verification", "version"}


def previous_versions(model, records):
    """{history_id: the version before it} for the changed records, in one query."""
    changed = [r for r in records if r.history_type == "~"]
    versions = {}
    for version in model.history.filter(id__in={r.id for r in changed}).order_by("id", "history_date", "history_id"):
        versions.setdefault(version.id, []).append(version)
    before = {}
    for record in changed:
        history = versions.get(record.id, [])
        earlier = [v for v in history if (v.history_date, v.history_id) < (record.history_date, record.history_id)]
        if earlier:
            before[record.history_id] = earlier[-1]
    return before


def differences(model, old, new):
    """What a change did, field by field (old -> new), as the reader sees each value."""
    if old is None:
        return []
    found = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in UNSHOWN or not hasattr(new, model_field.attname):  # not kept in history
            continue
        was, now = getattr(old, model_field.attname), getattr(new, model_field.attname)
        if was == now:
            continue
        found.append(FieldChange(str(model_field.verbose_name), shown(old, model_field), shown(new, model_field)))
    return found


def shown(version, model_field):
    value = getattr(version, model_field.attname)
    if value in (None, ""):
        return "—"
    if model_field.is_relation:
        try:
            return str(getattr(version, model_field.name))
        except ObjectDoesNotExist:
            return f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)
