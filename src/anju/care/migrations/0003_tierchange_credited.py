"""Each tier change carries the client's company, owner and store of the moment, so the tiers report
counts a million changes from one index instead of joining every change to its client."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def _credit(apps, schema_editor):  # type: ignore[no-untyped-def]
    """The changes recorded before: credited to the client's company, owner and store of today."""
    change = apps.get_model("care", "TierChange")
    client = apps.get_model("clients", "Client").objects.filter(pk=OuterRef("client_id"))
    change.objects.filter(company__isnull=True).update(
        company_id=Subquery(client.values("company_id")[:1]),
        owner_id=Subquery(client.values("owner_id")[:1]),
        store_id=Subquery(client.values("store_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0002_tierfacts_unlogged"),
        ("clients", "0006_merge_care_and_messaging"),
        ("org", "0004_store_coordinates_showing_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="tierchange",
            name="company",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.company",
            ),
        ),
        migrations.AddField(
            model_name="tierchange",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="org.agent",
            ),
        ),
        migrations.AddField(
            model_name="tierchange",
            name="store",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="org.store",
            ),
        ),
        migrations.RunPython(_credit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tierchange",
            name="company",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.company",
            ),
        ),
        migrations.AddIndex(
            model_name="tierchange",
            index=models.Index(fields=["company", "at", "to_tier", "owner", "store"], name="tier_change_report"),
        ),
    ]
