"""Needs live in the ``needs`` app now (its 0001 took the same tables): ``clients`` forgets its copy.

State only: a follow-up's need points at ``needs.Need`` (the same table, so no SQL), and once every
foreign key has moved (``matching`` 0004) the old models leave the state; no table is dropped.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0003_need_buyer_means"),
        ("matching", "0004_need_moved_to_needs"),
        ("needs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="interaction",
                    name="need",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="interactions",
                        to="needs.need",
                        verbose_name="需求",
                    ),
                ),
                migrations.DeleteModel(name="HistoricalNeed"),
                migrations.DeleteModel(name="Need"),
            ],
            database_operations=[],
        ),
    ]
