"""What changed: the directory's published history, newest first, for /changes/ and its feed.

A page of changes costs a fixed number of queries whatever it shows: the versions of the four
kinds of record in one ordered UNION ALL (`published_versions`, which a paginator slices), then
one query per kind of record on the page and one per kind of record its changed values name
(`described`). What each version changed is stored with it (`change_fields`,
models/history.py), not worked out from the version before.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import IntegerField, Value
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, Partner, Program, Relationship
from partnerships.models.history import differences, named_records


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

# The records whose history /changes/ shows, each with the related records its name reads.
SHOWN = [
    (Partner, ["parent"]),
    (Relationship, ["us_partner", "jp_partner"]),
    (Agreement, []),
    (Program, []),
]


def published_versions():
    """Every history version of the records shown, newest first, as (date, history_id, kind) rows
    (kind: the index in SHOWN), in one statement that a paginator counts and slices."""
    parts = [
        model.history.order_by()
        .annotate(shown_as=Value(index, output_field=IntegerField()))
        .values_list("history_date", "history_id", "shown_as")
        for index, (model, _related) in enumerate(SHOWN)
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id", "shown_as")


def recent_changes(limit):
    """The newest `limit` published changes to partners, relationships, agreements and programs."""
    return described(published_versions()[:limit])


def described(versions):
    """A PublishedChange for each (date, history_id, kind) row, in their order: one query per kind
    of record among them, one per kind of record their changed values point to."""
    versions = list(versions)
    wanted = defaultdict(list)
    for _date, history_id, kind in versions:
        wanted[kind].append(history_id)
    found = {}
    for kind, ids in wanted.items():
        model, related = SHOWN[kind]
        for version in model.history.select_related(*related).filter(history_id__in=ids):
            found[kind, version.history_id] = version
    names = named_records([(SHOWN[kind][0], version) for (kind, _id), version in found.items()])
    changes = []
    for _date, history_id, kind in versions:
        version = found.get((kind, history_id))
        if version is None:  # removed between the two queries
            continue
        model, related = SHOWN[kind]
        instance, label = as_record(model, version, related)
        changes.append(
            PublishedChange(
                key=f"{model._meta.model_name}-{version.history_id}",
                date=version.history_date,
                verb=str(CHANGE_VERBS[version.history_type]),
                kind=str(model._meta.verbose_name),
                label=label,
                reason=version.history_change_reason or "",
                url="" if version.history_type == "-" else instance.get_absolute_url(),
                fields=differences(model, version.change_fields or [], names),
            )
        )
    return changes


def as_record(model, version, related):
    """The record as `version` had it, with the related records its name reads (fetched with the
    version), and that name; no query (simple_history's `instance` reads the record's excluded
    columns, one query each)."""
    instance = model(
        **{f.attname: getattr(version, f.attname) for f in model._meta.concrete_fields if hasattr(version, f.attname)}
    )
    try:
        for name in related:
            setattr(instance, name, getattr(version, name))
        return instance, str(instance)
    except ObjectDoesNotExist:  # a partner it named has since been removed
        return instance, f"{model._meta.verbose_name} #{version.id}"
