# A race's version (the id of its latest RaceEvent) kept on its row (services/race_status.py)

from django.db import migrations, models


class _Store:
    """The models as this migration knows them, by the names services/race_status.py uses."""

    def __init__(self, apps):
        for name in ("Race", "RaceEvent"):
            setattr(self, name, apps.get_model("store", name))


def stamp_what_is_there(apps, schema_editor):
    """Each race of a database from before takes the version its events say."""
    from shorttrack.services.race_status import stamp_versions

    stamp_versions(_Store(apps))


class Migration(migrations.Migration):

    dependencies = [
        ("store", "0011_schedule_broadcasters_users_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="race",
            name="version",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(stamp_what_is_there, migrations.RunPython.noop),
    ]
