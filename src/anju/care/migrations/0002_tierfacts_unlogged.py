"""The tier job's working table is refilled by every run: on PostgreSQL it need not be written to the
log (an unlogged table, emptied after a crash and never read by standbys), which makes each night's
million-row refill a fraction of the writing."""

from django.db import migrations


def _set_logged(logged: bool):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model("care", "TierFacts")._meta.db_table
        state = "LOGGED" if logged else "UNLOGGED"
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET {state}")

    return run


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(_set_logged(False), _set_logged(True))]
