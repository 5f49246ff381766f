"""Loading the bundled data (fixtures/) in bulk.

Django's `loaddata` saves one object at a time and looks every natural key up with its own
query: about 9,500 queries for the bundled data, growing with every record. This loader reads
the same fixture files and writes each kind of record with one `bulk_create` (an upsert, so
that loading again updates the bundled records in place and keeps everything else), after
resolving every natural key from one query per model. The number of queries depends on the
number of models, not of records: PostgreSQL takes each model in one statement; SQLite takes up
to its real limit of values per statement (250,000 in Debian's build), not Django's cautious 999.

Partners' search text is derived here too (`loaddata` bypasses `save()`, which derives it).
Relationships, checks and seeking records keep the ids the fixtures give them; PostgreSQL's
sequences are then moved past every id loaded (`reset_sequences`), or the next record added would
be given an id already taken.

Loading again (`--reload`) raises the `version` of every record it changes (so that a form open on
it is refused as stale, models/versioned.py) and writes a history version, as an edit does,
and refuses to change a record whose newest version is a person's edit unless told to
(`overwrite_edits`): nothing is loaded, and the records are named.
"""

import json
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max

from partnerships.models import (
    Agreement,
    DataVersion,
    Participation,
    Partner,
    PartnerSeeking,
    Program,
    Relationship,
    RelationshipEvent,
    Source,
    Topic,
    Verification,
)
from partnerships.models.history import LOADED, RELOADED
from partnerships.rules import names, text
from partnerships.sql import fulltext
from partnerships.sql.database import reset_sequences, sqlite_statement_limit

# In dependency order. Each model with its natural-key field, or None where fixtures give the pk
# (relationships, checks, events) or the record is known by its unique pair (participations).
ORDER = [
    (Source, "slug"),
    (Topic, "slug"),
    (Partner, "slug"),
    (Relationship, None),
    (Verification, None),
    (RelationshipEvent, None),
    (Agreement, "slug"),
    (Program, "slug"),
    (Participation, None),
    (PartnerSeeking, None),
]
UNIQUE = {Participation: ["program", "partner"]}


class EditsWouldBeLost(Exception):
    """Loading again would overwrite records staff have edited; nothing was loaded.
    `edits` holds the newest history version of each, the person's edit."""

    def __init__(self, edits):
        self.edits = edits
        super().__init__(f"{len(edits)} records edited by staff would be overwritten.")


class InvalidText(Exception):
    """A fixture holds a character no text field may (partnerships/rules/text.py); nothing was loaded.
    `problems` names each: the file's record, the field and the character."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def check_text(objects):
    """Raise `InvalidText` if any text field of any fixture object holds what `text.check` refuses:
    the bundled data passes the same rule as an editor's form."""
    problems = []
    for model, rows in objects.items():
        fields = {
            field.name: isinstance(field, models.TextField)
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        }
        for obj in rows:
            for name, multiline in fields.items():
                try:
                    text.check(obj["fields"].get(name), multiline=multiline)
                except ValidationError as error:
                    key = obj.get("pk") or obj["fields"].get("slug")
                    problems.append(f"{model._meta.label} {key}, {name}: {error.messages[0]}")
    if problems:
        raise InvalidText(problems)


def read(paths):
    """{model: [fixture object, ...]} from the fixture files, in file order."""
    objects = defaultdict(list)
    for path in paths:
        for obj in json.loads(Path(path).read_text(encoding="utf-8")):
            objects[apps.get_model(obj["model"])].append(obj)
    return objects


class Loader:
    def __init__(self, overwrite_edits=False):
        self.overwrite_edits = overwrite_edits
        self.keys = {}  # model -> {natural key: pk}
        self.instances = {}  # model -> {natural key or pk: instance}, for derived fields

    def key_of(self, model, value):
        """A foreign key's value in a fixture (a natural key list, or a pk) -> pk."""
        if isinstance(value, list):
            return self.keys[model][value[0]]
        return value

    def known(self, model, field, wanted):
        """Natural key -> pk of the records the fixtures refer to, one query."""
        found = dict(model._default_manager.filter(**{f"{field}__in": wanted}).values_list(field, "pk"))
        self.keys.setdefault(model, {}).update(found)

    def prefetch_keys(self, objects):
        """One query per referenced model for every natural key the fixtures name."""
        wanted = defaultdict(set)
        for model, rows in objects.items():
            for field in model._meta.get_fields():
                if not (field.is_relation and field.concrete) or field.related_model not in dict(ORDER):
                    continue
                natural = dict(ORDER)[field.related_model]
                if natural is None:
                    continue
                for obj in rows:
                    value = obj["fields"].get(field.name)
                    values = value if field.many_to_many else [value]
                    wanted[field.related_model] |= {v[0] for v in values or [] if isinstance(v, list)}
        return wanted

    def load(self, objects):
        m2m = []
        kept = [model for model, _ in ORDER if model in objects and hasattr(model, "history")]
        before = {model: self.snapshot(model) for model in kept}
        for model, natural in ORDER:
            rows = objects.get(model, [])
            if not rows:
                continue
            self_links = []
            instances = []
            for obj in rows:
                instance = model(pk=obj.get("pk"))
                for name, value in obj["fields"].items():
                    field = model._meta.get_field(name)
                    if field.many_to_many:
                        m2m.append((model, field, obj, value))
                    elif field.is_relation:
                        if value is not None and field.related_model is model:
                            self_links.append((instance, field, value))  # set once every record exists
                        else:
                            key = None if value is None else self.key_of(field.related_model, value)
                            setattr(instance, field.attname, key)
                    else:
                        setattr(instance, field.attname, field.to_python(value))
                instances.append(instance)
            if model is Partner:
                self.derive_search_text(instances, self_links)
            self.upsert(model, natural, instances)
            if natural:
                self.known(model, natural, [getattr(i, natural) for i in instances])
            if self_links:
                for instance, field, value in self_links:
                    setattr(instance, field.attname, self.key_of(model, value))
                    instance.pk = self.key_of(model, [getattr(instance, natural)]) if natural else instance.pk
                linked = list({id(i): i for i, _, _ in self_links}.values())
                model._default_manager.bulk_update(linked, sorted({f.name for _, f, _ in self_links}))
        self.link_many(m2m)
        changed = {model: self.changed(model, before[model]) for model in kept}
        if not self.overwrite_edits:
            edits = [edit for model in kept if changed[model] for edit in self.edited_by_staff(model, changed[model])]
            if edits:
                raise EditsWouldBeLost(edits)
        for model in kept:
            if changed[model]:
                records = model._default_manager.filter(pk__in=changed[model])
                records.update(version=F("version") + 1)  # a form open on it is now stale
                model.history.bulk_history_create(list(records), default_change_reason=RELOADED)
        self.record_first_versions(kept)

    @staticmethod
    def snapshot(model):
        """{pk: what the record's history keeps of it, with its many-to-many links} for every record."""
        kept = {f.attname for f in model.history.model._meta.fields}
        tracked = [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.attname in kept]
        tracked.remove("version")  # the loader's own bookkeeping, raised below for what it changed
        records = {pk: [values] for pk, *values in model._default_manager.values_list("pk", *tracked)}
        for field in model._meta.many_to_many if records else ():
            through = field.remote_field.through
            links = defaultdict(set)
            own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            for pk, target in through._default_manager.values_list(own, other):
                links[pk].add(target)
            for pk, values in records.items():
                values.append(links.get(pk, set()))
        return records

    def changed(self, model, before):
        """The records that existed before the load and are not as they were."""
        if not before:
            return []
        after = self.snapshot(model)
        return [pk for pk, values in before.items() if after.get(pk) != values]

    @staticmethod
    def edited_by_staff(model, pks):
        """The newest history version of each record among `pks` whose newest version a person made."""
        newest = model.history.filter(id__in=pks).values("id").annotate(newest=Max("history_id")).values("newest")
        return list(model.history.filter(history_id__in=newest).exclude(history_user=None).order_by("id"))

    def record_first_versions(self, models):
        """A first history version for every record that has none (bulk_create writes no history),
        so that the first edit of a bundled record shows what it was before."""
        for model in models:
            without = model._default_manager.exclude(pk__in=model.history.values("id"))
            model.history.bulk_history_create(list(without), default_change_reason=LOADED)

    def upsert(self, model, natural, instances):
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        unique = [natural] if natural else UNIQUE.get(model, ["id"])
        # A record's version is kept as it is (new records start at 1): `load` raises it for each one
        # the load has changed.
        update = [f for f in fields if f not in unique and f != "version"]
        if model is Participation:
            for instance in instances:
                instance.pk = None
        model._default_manager.bulk_create(instances, update_conflicts=True, unique_fields=unique, update_fields=update)

    def derive_search_text(self, partners, self_links):
        """`Partner.search_text` needs the partner's state or prefecture: wire them up in memory."""
        by_slug = {partner.slug: partner for partner in partners}
        parents = {id(partner): value[0] for partner, field, value in self_links if field.name == "parent"}
        missing = set(parents.values()) - set(by_slug)
        by_slug |= {parent.slug: parent for parent in Partner.objects.filter(slug__in=missing)}
        for partner in partners:
            parent = by_slug[parents[id(partner)]] if id(partner) in parents else None
            partner.search_text = partner.build_search_text(parent=parent)
            partner.reading = names.reading(partner.name, partner.name_ja, partner.name_kana)

    def link_many(self, m2m):
        """Many-to-many rows, one bulk insert per relation; rows that exist already are kept."""
        through_rows = defaultdict(list)
        for model, field, obj, values in m2m:
            natural = dict(ORDER)[model]
            own = self.keys[model][obj["fields"][natural]] if natural else obj["pk"]
            through = field.remote_field.through
            source_name = field.m2m_field_name()
            target_name = field.m2m_reverse_field_name()
            for value in values:
                target = self.key_of(field.related_model, value)
                through_rows[through].append(through(**{f"{source_name}_id": own, f"{target_name}_id": target}))
        for through, rows in through_rows.items():
            through._default_manager.bulk_create(rows, ignore_conflicts=True)


def load_fixtures(paths, overwrite_edits=False):
    """Load the fixture files in one transaction; returns how many records of each model. Raises
    `EditsWouldBeLost`, having loaded nothing, rather than change records staff have edited, unless
    `overwrite_edits`, and `InvalidText`, having loaded nothing, when a text field holds a character
    no field may."""
    objects = read(paths)
    check_text(objects)
    loader = Loader(overwrite_edits)
    with transaction.atomic(), sqlite_statement_limit():
        fulltext.ensure_sqlite_index()  # its triggers index the relationships as they are written
        for model, wanted in loader.prefetch_keys(objects).items():
            loader.known(model, dict(ORDER)[model], wanted)
        loader.load(objects)
        reset_sequences(apps.get_app_config("partnerships").get_models(include_auto_created=True))
        Relationship.objects.refresh_derived()  # bulk writes send no signals
        DataVersion.bump()
    return {model._meta.verbose_name_plural: len(rows) for model, rows in objects.items()}
