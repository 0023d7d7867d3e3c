"""Every client already recorded with a 介绍人 (``referred_by``) gets its referral row, so the two agree
from the start (afterwards the row follows ``referred_by`` through ``ClientReferred``)."""

from django.db import migrations


def referrals_from_referred_by(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    Referral = apps.get_model("referrals", "Referral")
    have = set(Referral.objects.values_list("referred_id", flat=True))
    rows = (
        Client.objects.filter(referred_by__isnull=False)
        .exclude(pk__in=have)
        .values_list("pk", "company_id", "referred_by_id", "owner_id", "created_at")
        .iterator(chunk_size=2000)
    )
    batch = []
    for pk, company_id, referrer_id, owner_id, created_at in rows:
        if referrer_id == pk:
            continue
        batch.append(
            Referral(
                company_id=company_id,
                referrer_kind="client",
                referrer_client_id=referrer_id,
                referred_id=pk,
                agent_id=owner_id,
                channel="migrated",
                created_at=created_at,
                updated_at=created_at,
            )
        )
        if len(batch) >= 2000:
            Referral.objects.bulk_create(batch)
            batch = []
    Referral.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(referrals_from_referred_by, migrations.RunPython.noop)]
