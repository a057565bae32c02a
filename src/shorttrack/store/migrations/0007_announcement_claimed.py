# The claim of a live announcement (store.models.Announcement.claimed): a drain that dies
# between taking a row and sending it no longer loses the announcement.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0006_ranking_incomplete_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="announcement",
            name="claimed",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
