# The individual 3000 m of earlier seasons stored like today's nine distances
# (rules.distances.ALL_DISTANCES; a season's rules name the ones it raced).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0008_history_links"),
    ]

    operations = [
        migrations.AlterField(
            model_name="distancerace",
            name="distance",
            field=models.CharField(
                choices=[
                    ("W500", "Women's 500m"),
                    ("W1000", "Women's 1000m"),
                    ("W1500", "Women's 1500m"),
                    ("M500", "Men's 500m"),
                    ("M1000", "Men's 1000m"),
                    ("M1500", "Men's 1500m"),
                    ("W3000R", "Women's 3000m relay"),
                    ("M5000R", "Men's 5000m relay"),
                    ("X2000R", "Mixed 2000m relay"),
                    ("W3000", "Women's 3000m"),
                    ("M3000", "Men's 3000m"),
                ],
                max_length=6,
            ),
        ),
    ]
