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
from django.db.models import Count, IntegerField, Max, Value
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, Partner, Program, Relationship
from partnerships.models.history import BUNDLED, RELOADED, differences, named_records
from partnerships.rules.names import counted


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

    @property
    def anchor(self):
        return f"change-{self.key}"


CHANGE_VERBS = {"+": _("Added"), "~": _("Changed"), "-": _("Removed")}

# The records whose history /changes/ shows, each with the related records its name reads.
SHOWN = [
    (Partner, ["parent"]),
    (Relationship, ["us_partner", "jp_partner"]),
    (Agreement, []),
    (Program, []),
]


def published_versions():
    """Every history version people published of the records shown (not the bundled data's loads:
    `releases`), newest first, as (date, history_id, kind) rows (kind: the index in SHOWN), in one
    statement that a paginator counts and slices."""
    parts = [
        model.history.order_by()
        .exclude(history_change_reason__in=BUNDLED)
        .annotate(shown_as=Value(index, output_field=IntegerField()))
        .values_list("history_date", "history_id", "shown_as")
        for index, (model, _related) in enumerate(SHOWN)
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id", "shown_as")


@dataclass
class Release:
    """A load of the bundled data (fixtures/), one entry for all it wrote that day: [(kind, n)]."""

    date: datetime.datetime
    reloaded: bool
    counts: list

    @property
    def anchor(self):
        return f"release-{self.date:%Y%m%d}-{'reloaded' if self.reloaded else 'loaded'}"

    @property
    def label(self):
        return counted(self.counts)

    @property
    def verb(self):
        return str(_("Bundled data reloaded") if self.reloaded else _("Bundled data loaded"))


def releases():
    """Each day's load of the bundled data, newest first, in one statement."""
    parts = [
        model.history.filter(history_change_reason__in=BUNDLED)
        .order_by()
        .annotate(day=TruncDate("history_date"), shown_as=Value(index, output_field=IntegerField()))
        .values("day", "history_change_reason", "shown_as")
        .annotate(n=Count("history_id"), last=Max("history_date"))
        for index, (model, _related) in enumerate(SHOWN)
    ]
    found = defaultdict(dict)
    for row in parts[0].union(*parts[1:], all=True):
        found[row["day"], row["history_change_reason"]][row["shown_as"]] = (row["n"], row["last"])
    entries = [
        Release(
            date=max(last for _n, last in counted.values()),
            reloaded=reason == RELOADED,
            counts=[
                (str(model._meta.verbose_name_plural), counted[index][0])
                for index, (model, _related) in enumerate(SHOWN)
                if index in counted
            ],
        )
        for (_day, reason), counted in found.items()
    ]
    return sorted(entries, key=lambda release: release.date, reverse=True)


def with_releases(changes, newer_than=None, older_than=None):
    """`changes` (newest first) with the releases that fall among them: those before `older_than`
    (the oldest change of the page before, if any) and from `newer_than` on (the oldest change of
    this page, unless it is the last)."""
    kept = [
        release
        for release in releases()
        if (older_than is None or release.date < older_than) and (newer_than is None or release.date >= newer_than)
    ]
    return sorted([*changes, *kept], key=lambda entry: entry.date, reverse=True)


def recent_changes(limit):
    """The newest `limit` entries: published changes to partners, relationships, agreements and
    programs, and the loads of the bundled data among them."""
    return with_releases(described(published_versions()[:limit]))[:limit]


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
