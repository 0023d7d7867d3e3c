"""The nightly occasions job: greetings for the next 7 days' birthdays, festivals and anniversaries."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anju.org.models import Company
from anju.outreach.greetings import greetings_draft


# Huey reads crontabs in UTC: 18:45 UTC is 02:45 in Beijing, after the care jobs and the pool upkeep.
@db_periodic_task(crontab(hour="18", minute="45"))
def nightly_greetings() -> dict[str, int]:
    """Idempotent: a second run the same night (or a second worker) drafts nothing more."""
    now = timezone.now()
    today = timezone.localdate(now)
    done = {"occasions": 0, "drafted": 0, "no_channel": 0}
    for company_id in Company.objects.values_list("pk", flat=True):
        for key, value in greetings_draft(company_id=company_id, today=today, now=now).as_dict().items():
            done[key] += value
    return done
