# The tamper-evident history of each competition (store.models.HistoryLink, services/history.py)

import django.db.models.deletion
from django.db import migrations, models


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
    ]
