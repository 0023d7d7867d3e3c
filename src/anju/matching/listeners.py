"""Matching hears what the apps below it announce (imported by ``MatchingConfig.ready``).

The layout is kept inside the writing transaction, so that matching answers what the database
shows the connection, its own uncommitted writes included (decision 0009); recording the needs a
listing newly satisfies is a job, sent once the write commits (decision 0010).
"""

from __future__ import annotations

from anju.core.announcements import listen
from anju.core.jobs import enqueue_on_commit
from anju.geo.announcements import CommunitiesChanged
from anju.listings.announcements import ListingsChanged
from anju.listings.models import Listing
from anju.matching.search import layout
from anju.matching.tasks import record_listings_matches
from anju.needs.announcements import NeedsChanged
from anju.needs.models import Need


@listen(ListingsChanged)
def listings_changed(news: ListingsChanged) -> None:
    layout.listings_refresh(news.listing_ids)
    if news.news and news.listing_ids:
        enqueue_on_commit(record_listings_matches, list(news.listing_ids))


@listen(NeedsChanged)
def needs_changed(news: NeedsChanged) -> None:
    layout.needs_refresh(news.need_ids)


@listen(CommunitiesChanged)
def communities_changed(news: CommunitiesChanged) -> None:
    """Listings of these communities read their 板块, schools and stations again; needs naming
    them read the communities' districts again."""
    if not news.community_ids:
        return
    listings = Listing.objects.filter(community_id__in=news.community_ids)
    layout.listings_refresh(listings.values_list("pk", flat=True))
    needs = Need.objects.filter(communities__in=news.community_ids).distinct()
    layout.needs_refresh(needs.values_list("pk", flat=True))
