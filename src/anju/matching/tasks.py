"""Background jobs for matching: record what a new, re-priced or re-confirmed listing matches,
and forget old layout writes."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from anju.matching.records.recording import matches_record
from anju.matching.search.layout import prune_changes


@db_task(retries=2, retry_delay=10)
def record_listings_matches(listing_ids: list[int]) -> int:
    """Record what the listings (one, or an import's) newly match. Running it twice records nothing
    twice; returns how many matches were recorded."""
    return sum(matches_record(listing_id=listing_id).created for listing_id in listing_ids)


# Huey reads crontabs in UTC: 20:00 UTC is 04:00 in Beijing.
@db_periodic_task(crontab(hour="20", minute="0"))
def prune_layout_changes() -> int:
    """Forget layout writes older than two days (processes reload their copies within hours)."""
    return prune_changes()


@db_task(retries=2, retry_delay=10)
def record_listing_matches(listing_id: int) -> int:
    """The job as queued before listings announced in batches: one queued by an older version
    before an upgrade still runs. New code enqueues ``record_listings_matches``."""
    return record_listings_matches.call_local([listing_id])
