"""Two orientations joined (西北 NW, 东北 NE: bits 8 and 9). A need that accepts any orientation
was stored with the eight old bits set: it now accepts the new two as well."""

from django.db import migrations

OLD_ALL = (1 << 8) - 1
NEW_ALL = (1 << 10) - 1


class Migration(migrations.Migration):
    dependencies = [("matching", "0004_need_moved_to_needs")]

    operations = [
        migrations.RunSQL(
            f"UPDATE matching_needrow SET orientations = {NEW_ALL} WHERE orientations = {OLD_ALL}",
            f"UPDATE matching_needrow SET orientations = {OLD_ALL} WHERE orientations = {NEW_ALL}",
        )
    ]
