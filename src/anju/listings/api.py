"""/api/v1/listings — read endpoints; the records issue adds search filters and writes."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from anju.core.pagination import CursorPage, keyset_page
from anju.core.schemas import ERRORS
from anju.listings.models import Listing
from anju.listings.schemas import ListingOut
from anju.listings.selectors import access_listing, listings_visible
from anju.org.scoping import agent_of

router = Router(tags=["房源"])


def listing_out(listing: Listing) -> dict:
    prop = listing.property
    return {
        "id": listing.pk,
        "kind": listing.kind,
        "status": listing.status,
        "status_label": listing.get_status_display(),
        "title": str(listing),
        "community_id": listing.community_id,
        "community": listing.community.name,
        "district": listing.district.name,
        "layout": prop.layout,
        "rooms": listing.rooms,
        "area": listing.area,
        "floor": prop.floor,
        "total_floors": prop.total_floors,
        "orientation": prop.orientation,
        "price": listing.price,
        "unit_price": listing.unit_price,
        "agent_id": listing.agent_id,
        "agent_name": listing.agent.name,
        "store_id": listing.store_id,
        "listed_on": listing.listed_on,
        "verified_at": listing.verified_at,
    }


@router.get("", response={200: CursorPage[ListingOut], **ERRORS}, summary="房源列表（最新挂牌在前）")
def list_listings(request: HttpRequest, cursor: str | None = None, limit: int = 50) -> dict:
    viewer = agent_of(request.user)
    rows, next_cursor = keyset_page(
        listings_visible(viewer), order=["-listed_on", "-id"], cursor=cursor, limit=limit
    )
    return {"items": [listing_out(x) for x in rows], "next_cursor": next_cursor}


@router.get("/{listing_id}", response={200: ListingOut, **ERRORS}, summary="房源详情")
def get_listing(request: HttpRequest, listing_id: int) -> dict:
    return listing_out(access_listing(agent_of(request.user), listing_id))
