"""Nightly pool upkeep: warn agents two days ahead, then return neglected private clients to the pool;
and the disposal of the records kept by law once their period ended (decision 0024)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anju.clients.services import clients_return_to_pool, kept_records_dispose, pool_return_warnings


# Huey reads crontabs in UTC: 18:15 UTC is 02:15 in Beijing, when nobody is following anyone up.
@db_periodic_task(crontab(hour="18", minute="15"))
def nightly_pool_upkeep() -> dict[str, int]:
    """Both steps are idempotent: a second run the same night finds nothing left to do."""
    return {"warned": pool_return_warnings(), "returned": clients_return_to_pool()}


# Huey reads crontabs in UTC: 19:00 UTC is 03:00 in Beijing, the day already begun there: a record
# kept "until" yesterday is disposed of tonight.
@db_periodic_task(crontab(hour="19", minute="0"))
def nightly_kept_records_disposal() -> dict[str, int]:
    """Idempotent: a second run the same night finds every expired record already disposed of."""
    return kept_records_dispose(today=timezone.localdate())
