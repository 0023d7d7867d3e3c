"""What listings announce (see ``anju.core.announcements`` and decision 0010)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListingsChanged:
    """Listings written (created, edited, re-priced, verified, moved, imported, their flat's facts
    changed): whatever is kept from them must be read again.

    ``news`` says it is news for matching: the listings are new, re-priced or re-confirmed, so the
    needs they now satisfy are worth recording for the agents.
    """

    company_id: int
    listing_ids: tuple[int, ...]
    news: bool = False
