# The tamper-evident history of each competition (store.models.HistoryLink, services/history.py)

import django.db.models.deletion
from django.db import migrations, models


class _Store:
    """The models as this migration knows them, by the names services/history.py uses."""

    def __init__(self, apps):
        for name in (
            "HistoryLink", "Revision", "RaceResult", "RaceResultLine", "RaceLineSkater",
            "Ranking", "RankingLine", "RaceEvent",
        ):
            setattr(self, name, apps.get_model("store", name))


def chain_what_is_there(apps, schema_editor):
    """A database upgraded to the history starts its chains from what it holds."""
    from shorttrack.services.history import chain_existing

    chain_existing(_Store(apps))


class Migration(migrations.Migration):

    dependencies = [
        ('store', '0007_announcement_claimed'),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoryLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.PositiveIntegerField()),
                ('subject', models.CharField(max_length=12)),
                ('subject_id', models.PositiveBigIntegerField()),
                ('race_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('content', models.CharField(max_length=64)),
                ('previous', models.CharField(max_length=64)),
                ('digest', models.CharField(max_length=64)),
                ('at', models.DateTimeField()),
                ('competition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='store.competition')),
            ],
            options={
                'ordering': ['competition', 'sequence'],
                'indexes': [models.Index(fields=['subject', 'subject_id'], name='history_link_subject'), models.Index(fields=['race_id'], name='history_link_race')],
                'constraints': [models.UniqueConstraint(fields=('competition', 'sequence'), name='history_link_sequence_once')],
            },
        ),
        migrations.RunPython(chain_what_is_there, migrations.RunPython.noop),
    ]
