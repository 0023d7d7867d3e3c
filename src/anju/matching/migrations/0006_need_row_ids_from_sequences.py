"""Layout rows of needs now take their ids from the tables' sequences (``reserve_ids``). Before,
they were written with explicit ids (highest + 1), which never moved PostgreSQL's sequences: point
them past the rows already there, or the first new row would take an id in use."""

from django.core.management.color import no_style
from django.db import migrations


def sequences_past_the_rows(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the highest id by itself
    models = [apps.get_model("matching", name) for name in ("NeedRow", "NeedPlace")]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("matching", "0005_orientations_nw_ne")]

    operations = [migrations.RunPython(sequences_past_the_rows, migrations.RunPython.noop)]
