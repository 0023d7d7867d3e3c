"""What listings do when the apps below announce (imported by ``ListingsConfig.ready``)."""

from __future__ import annotations

from anju.clients.announcements import ClientsMerged
from anju.core.announcements import listen
from anju.listings.models import Listing, Property


@listen(ClientsMerged)
def owners_follow_merge(news: ClientsMerged) -> None:
    """The merged duplicate's flats and listings become the kept client's. Who owns or sells a
    flat is none of the facts matching reads, so nothing more is announced."""
    Property.objects.filter(owner_id=news.merged_id).update(owner_id=news.keep_id)
    Listing.objects.filter(seller_id=news.merged_id).update(seller_id=news.keep_id)
