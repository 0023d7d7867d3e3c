"""ImportJob moved to the ``imports`` app: gone from this app's state, its table untouched.

The table keeps its name (``core_importjob``) and is adopted by ``imports.0001_initial``.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportJob")],
            database_operations=[],
        ),
    ]
