"""Nightly care jobs: tiers (and the cadence that follows from them), then the cadence alone.

Both are set-based (``care.refresh``) and idempotent: a second run the same night changes nothing
and records no tier change twice.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anju.care.services import cadence_recompute, tiers_recompute
from anju.org.models import Company


# Huey reads crontabs in UTC: 17:30 UTC is 01:30 in Beijing, before the pool upkeep at 02:15.
@db_periodic_task(crontab(hour="17", minute="30"))
def nightly_care_tiers() -> dict[str, int]:
    done = {"clients": 0, "changed": 0, "rewritten": 0, "contacts_moved": 0}
    for company_id in Company.objects.values_list("pk", flat=True):
        for key, value in tiers_recompute(company_id=company_id).items():
            done[key] += value
    return done


# After midnight in Beijing, so that the day's follow-ups without a new date move the next contact.
@db_periodic_task(crontab(hour="16", minute="45"))
def nightly_care_cadence() -> dict[str, int]:
    return {
        "contacts_moved": sum(
            cadence_recompute(company_id=pk) for pk in Company.objects.values_list("pk", flat=True)
        )
    }
