"""Background jobs for matching: record what a new, re-priced or re-confirmed listing matches."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from anju.matching.recording import matches_record


@db_task(retries=2, retry_delay=10)
def record_listing_matches(listing_id: int) -> int:
    """Running it twice records nothing twice; returns how many matches were recorded."""
    return matches_record(listing_id=listing_id).created
