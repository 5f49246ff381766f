"""Each history version of a partner, relationship, agreement and program keeps the fields it
changed (`change_fields`, partnerships/models/history.py), filled here for the versions already
written, from the version before each.

How a version's changes are worked out is written out here (a frozen copy of
partnerships/models/history.py's `fill_change_fields` as it was then), so that a later change to
the app cannot change what this step did."""

import json

import django.core.serializers.json
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models

UNSHOWN = {"id", "search_text", "verification", "version"}


def compared_fields(history_model):
    return [
        field
        for field in history_model._meta.concrete_fields
        if not field.name.startswith("history_") and field.name != "change_fields" and field.name not in UNSHOWN
    ]


def stored(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def field_changes(history_model, old, new):
    if old is None:
        return []
    found = []
    for field in compared_fields(history_model):
        was, now = stored(old[field.attname]), stored(new[field.attname])
        if was != now:
            found.append({"field": field.name, "old": was, "new": now})
    return found


def fill_change_fields(history_model, batch_size=500):
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

SHOWN = ["historicalpartner", "historicalrelationship", "historicalagreement", "historicalprogram"]


def fill(apps, schema_editor):
    for name in SHOWN:
        fill_change_fields(apps.get_model("partnerships", name))


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0016_relationship_search_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalagreement',
            name='change_fields',
            field=models.JSONField(blank=True, editable=False, encoder=django.core.serializers.json.DjangoJSONEncoder, help_text='Each field this version changed, with its old and new value.', null=True, verbose_name='fields changed'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='change_fields',
            field=models.JSONField(blank=True, editable=False, encoder=django.core.serializers.json.DjangoJSONEncoder, help_text='Each field this version changed, with its old and new value.', null=True, verbose_name='fields changed'),
        ),
        migrations.AddField(
            model_name='historicalprogram',
            name='change_fields',
            field=models.JSONField(blank=True, editable=False, encoder=django.core.serializers.json.DjangoJSONEncoder, help_text='Each field this version changed, with its old and new value.', null=True, verbose_name='fields changed'),
        ),
        migrations.AddField(
            model_name='historicalrelationship',
            name='change_fields',
            field=models.JSONField(blank=True, editable=False, encoder=django.core.serializers.json.DjangoJSONEncoder, help_text='Each field this version changed, with its old and new value.', null=True, verbose_name='fields changed'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
