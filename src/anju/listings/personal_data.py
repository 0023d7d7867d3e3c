"""The listings' part of a client's personal information (decision 0024): the flats the client owns
and the listings they sell or let; on erasure the listings' text and history are scrubbed of the
client's values (the flat and the listing stay: they are the agency's stock)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anju.clients.announcements import ClientErased
from anju.core import personal_data
from anju.core.announcements import listen
from anju.listings.models import Listing, Property


def properties(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(Property.objects.filter(owner=client))


def listings(client: Any) -> list[dict[str, Any]]:
    return personal_data.plain_rows(Listing.objects.filter(seller=client))


@listen(ClientErased)
def erase_listings(news: ClientErased) -> None:
    theirs = Listing.objects.filter(seller_id__in=news.client_ids)
    ids = list(theirs.values_list("pk", flat=True))
    personal_data.scrub_model(theirs, news.values)
    personal_data.scrub_model(Listing.history.model.objects.filter(id__in=ids), news.values)
    personal_data.scrub_model(Property.objects.filter(owner_id__in=news.client_ids), news.values)


def register() -> None:
    personal_data.register_section("properties", properties, title=_("名下房屋"), order=30)
    personal_data.register_section("listings", listings, title=_("委托的房源"), order=31)
