"""Nightly pool upkeep: warn agents two days ahead, then return neglected private clients to the pool."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from anju.clients.services import clients_return_to_pool, pool_return_warnings


# Huey reads crontabs in UTC: 18:15 UTC is 02:15 in Beijing, when nobody is following anyone up.
@db_periodic_task(crontab(hour="18", minute="15"))
def nightly_pool_upkeep() -> dict[str, int]:
    """Both steps are idempotent: a second run the same night finds nothing left to do."""
    return {"warned": pool_return_warnings(), "returned": clients_return_to_pool()}
