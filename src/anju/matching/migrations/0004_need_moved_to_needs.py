"""A match's need and its settings' need are ``needs.Need`` now; the same table, so no SQL."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_layout_change"),
        ("needs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="match",
                    name="need",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matches",
                        to="needs.need",
                        verbose_name="需求",
                    ),
                ),
                migrations.AlterField(
                    model_name="needmatchsettings",
                    name="need",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="match_settings",
                        to="needs.need",
                        verbose_name="需求",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
