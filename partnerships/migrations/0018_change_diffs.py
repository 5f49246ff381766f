"""Each history version of a partner, relationship, agreement and program keeps the fields it
changed (`change_fields`, partnerships/models/history.py), filled here for the versions already
written, from the version before each."""

import django.core.serializers.json
from django.db import migrations, models

from partnerships.models.history import fill_change_fields

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
