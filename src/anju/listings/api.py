"""/api/v1/listings — search, detail, entry, edits, price, status, verification and photos.

Who may do what is in ``listings/rules.py``: everyone in the company reads and verifies; the
listing's agent, their store's managers and administrators change it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from anju.clients.models import Client
from anju.clients.selectors import access_client
from anju.core.pagination import CursorPage
from anju.core.schemas import ERRORS
from anju.geo.models import Community
from anju.listings import services
from anju.listings.models import Listing, ListingMedia, ListingStatus, Verification
from anju.listings.schemas import (
    ListingDetailOut,
    ListingFilterIn,
    ListingIn,
    ListingOut,
    ListingUpdateIn,
    MediaOut,
    RepriceIn,
    StatusIn,
    VerificationOut,
    VerifyIn,
)
from anju.listings.selectors import (
    ListingDetail,
    ListingFilters,
    access_listing,
    access_listing_for_change,
    access_listing_media,
    is_stale,
    listing_detail,
    listing_for_detail,
    listing_search_page,
)
from anju.org.models import Agent, Store
from anju.org.scoping import agent_of

router = Router(tags=["房源"])


def listing_out(listing: Listing, *, stale: bool | None = None) -> dict:
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
        "district_id": listing.district_id,
        "layout": prop.layout,
        "rooms": listing.rooms,
        "area": listing.area,
        "floor": prop.floor,
        "floor_band": prop.floor_band,
        "address_complete": prop.address_complete,
        "total_floors": prop.total_floors,
        "orientation": prop.orientation,
        "price": listing.price,
        "unit_price": listing.unit_price,
        "agent_id": listing.agent_id,
        "agent_name": listing.agent.name,
        "store_id": listing.store_id,
        "listed_on": listing.listed_on,
        "verified_at": listing.verified_at,
        "is_stale": _stale(listing) if stale is None else stale,
    }


def _stale(listing: Listing) -> bool:
    """From the search's annotation when there is one (no query), else worked out."""
    annotated = getattr(listing, "is_stale", None)
    return is_stale(listing) if annotated is None else bool(annotated)


def detail_out(detail: ListingDetail) -> dict:
    listing = detail.listing
    prop = listing.property
    return {
        **listing_out(listing, stale=detail.is_stale),
        "property": {
            "id": prop.pk,
            "community_id": prop.community_id,
            "community": listing.community.name,
            "building": prop.building,
            "unit": prop.unit,
            "room_number": prop.room_number,
            "address": str(prop),
            "floor": prop.floor,
            "total_floors": prop.total_floors,
            "area": prop.area,
            "inner_area": prop.inner_area,
            "rooms": prop.rooms,
            "halls": prop.halls,
            "baths": prop.baths,
            "layout": prop.layout,
            "orientation": prop.orientation,
            "orientation_label": prop.get_orientation_display(),
            "decoration": prop.decoration,
            "decoration_label": prop.get_decoration_display(),
            "build_year": prop.build_year,
            "has_elevator": prop.has_elevator,
            "title_type": prop.title_type,
            "title_type_label": prop.get_title_type_display(),
            "certificate_date": prop.certificate_date,
            "years_held": detail.years_held,
            "only_home": prop.only_home,
            "mortgaged": prop.mortgaged,
            "seized": prop.seized,
        },
        "halls": prop.halls,
        "baths": prop.baths,
        "store_name": listing.store.name,
        "seller": None if detail.seller is None else vars(detail.seller),
        "mandate": listing.mandate,
        "mandate_label": listing.get_mandate_display(),
        "mandate_start": listing.mandate_start,
        "mandate_end": listing.mandate_end,
        "highlights": listing.highlights,
        "drawbacks": listing.drawbacks,
        "keys_store_id": listing.keys_store_id,
        "keys_store": listing.keys_store.name if listing.keys_store else None,
        "fresh_until": detail.fresh_until,
        "price_changes": [
            {
                "at": c.at,
                "old_price": c.old_price,
                "new_price": c.new_price,
                "by_id": c.by_id,
                "by_name": c.by.name,
            }
            for c in detail.price_changes
        ],
        "verifications": [verification_out(v) for v in detail.verifications],
        "media": [media_out(m) for m in detail.media],
        "can_change": detail.can_change,
        "next_statuses": detail.next_statuses,
    }


def verification_out(v: Verification) -> dict:
    return {
        "id": v.pk,
        "at": v.at,
        "by_id": v.by_id,
        "by_name": v.by.name,
        "method": v.method,
        "method_label": v.get_method_display(),
        "exists": v.exists,
        "available": v.available,
        "price_confirmed": v.price_confirmed,
        "passed": v.exists and v.available and v.price_confirmed,
        "note": v.note,
    }


def media_out(m: ListingMedia) -> dict:
    return {
        "id": m.pk,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "url": reverse("web:listing_media", args=[m.listing_id, m.pk]),
        "width": m.width,
        "height": m.height,
        "caption": m.caption,
        "position": m.position,
        "uploaded_by_id": m.uploaded_by_id,
        "uploaded_at": m.uploaded_at,
    }


def filters_from(query: ListingFilterIn) -> ListingFilters:
    statuses: list[str] = [s for s in query.status if s != "all"]
    if "all" in query.status:
        statuses = []
    elif not statuses:
        statuses = [ListingStatus.ACTIVE.value]
    return ListingFilters(
        districts=list(query.district),
        business_area=query.business_area,
        community=query.community,
        kind=query.kind,
        statuses=statuses,
        price_min=query.price_min,
        price_max=query.price_max,
        unit_price_min=query.unit_price_min,
        unit_price_max=query.unit_price_max,
        rooms=list(query.rooms),
        rooms_min=query.rooms_min,
        rooms_max=query.rooms_max,
        area_min=query.area_min,
        area_max=query.area_max,
        school=query.school,
        school_level=query.school_level,
        freshness=query.freshness,
        verified=query.verified,
        mine=query.mine,
        sort=query.sort,
    )


def _detail(viewer: Agent, listing_id: int) -> dict:
    return detail_out(listing_detail(viewer, listing_for_detail(viewer, listing_id)))


def _community(viewer: Agent, community_id: int) -> Community:
    community = Community.objects.filter(company_id=viewer.company_id, pk=community_id).first()
    if community is None:
        raise Http404(_("没有找到该小区。"))
    return community


def _store(viewer: Agent, store_id: int | None) -> Store | None:
    if store_id is None:
        return None
    store = Store.objects.filter(company_id=viewer.company_id, pk=store_id).first()
    if store is None:
        raise Http404(_("没有找到该门店。"))
    return store


def _seller(viewer: Agent, seller_id: int | None) -> Client | None:
    # The seller must be a client the viewer may see: ids of colleagues' private clients are refused.
    return None if seller_id is None else access_client(viewer, seller_id)


@router.get(
    "",
    response={200: CursorPage[ListingOut], **ERRORS},
    summary="房源搜索（默认只看在售/在租，最新挂牌在前）",
)
def list_listings(
    request: HttpRequest, filters: Query[ListingFilterIn], cursor: str | None = None, limit: int = 50
) -> dict:
    viewer = agent_of(request.user)
    rows, next_cursor = listing_search_page(viewer, filters_from(filters), cursor=cursor, limit=limit)
    return {"items": [listing_out(x) for x in rows], "next_cursor": next_cursor}


@router.post("", response={201: ListingDetailOut, **ERRORS}, summary="房源录入")
def create_listing(request: HttpRequest, payload: ListingIn) -> Status[dict]:
    viewer = agent_of(request.user)
    if not viewer.user.has_perm("listings.add_listing"):
        raise PermissionDenied(_("您无权录入房源。"))
    data: dict[str, Any] = payload.dict()
    data["community"] = _community(viewer, data.pop("community_id"))
    data["seller"] = _seller(viewer, data.pop("seller_id"))
    data["keys_store"] = _store(viewer, data.pop("keys_store_id"))
    data["store"] = _store(viewer, data.pop("store_id"))
    listing = services.listing_create(agent=viewer, **data)
    return Status(201, _detail(viewer, listing.pk))


@router.get("/{listing_id}", response={200: ListingDetailOut, **ERRORS}, summary="房源详情")
def get_listing(request: HttpRequest, listing_id: int) -> dict:
    return _detail(agent_of(request.user), listing_id)


@router.patch("/{listing_id}", response={200: ListingDetailOut, **ERRORS}, summary="修改房源（不含价格）")
def update_listing(request: HttpRequest, listing_id: int, payload: ListingUpdateIn) -> dict:
    viewer = agent_of(request.user)
    listing = access_listing_for_change(viewer, listing_id)
    changes: dict[str, Any] = payload.dict(exclude_unset=True)
    if "seller_id" in changes:
        changes["seller"] = _seller(viewer, changes.pop("seller_id"))
    if "keys_store_id" in changes:
        changes["keys_store"] = _store(viewer, changes.pop("keys_store_id"))
    services.listing_update(listing=listing, by=viewer, changes=changes)  # type: ignore[arg-type]
    return _detail(viewer, listing.pk)


@router.post("/{listing_id}/price", response={200: ListingDetailOut, **ERRORS}, summary="调价")
def reprice_listing(request: HttpRequest, listing_id: int, payload: RepriceIn) -> dict:
    viewer = agent_of(request.user)
    listing = access_listing_for_change(viewer, listing_id)
    services.listing_reprice(listing=listing, price=payload.price, by=viewer)
    return _detail(viewer, listing.pk)


@router.post("/{listing_id}/status", response={200: ListingDetailOut, **ERRORS}, summary="改变房源状态")
def change_status(request: HttpRequest, listing_id: int, payload: StatusIn) -> dict:
    viewer = agent_of(request.user)
    listing = access_listing_for_change(viewer, listing_id)
    services.listing_transition(listing=listing, to=payload.to, by=viewer)
    return _detail(viewer, listing.pk)


@router.post(
    "/{listing_id}/verifications",
    response={201: VerificationOut, **ERRORS},
    summary="核实房源（真房源）：房屋存在、仍在出售/出租、价格属实",
)
def verify_listing(request: HttpRequest, listing_id: int, payload: VerifyIn) -> Status[dict]:
    viewer = agent_of(request.user)
    listing = access_listing(viewer, listing_id)
    if not viewer.user.has_perm("listings.verify_listing", listing):
        raise PermissionDenied(_("您无权核实此房源。"))
    verification = services.listing_verify(listing=listing, by=viewer, **payload.dict())
    return Status(201, verification_out(verification))


@router.post(
    "/{listing_id}/media",
    response={201: MediaOut, **ERRORS},
    summary="上传房源照片或户型图（JPG、PNG、WebP，不超过 10 MB）",
)
def upload_media(
    request: HttpRequest,
    listing_id: int,
    file: File[UploadedFile],
    kind: Form[str] = "photo",
    caption: Form[str] = "",
) -> Status[dict]:
    viewer = agent_of(request.user)
    listing = access_listing(viewer, listing_id)
    if not viewer.user.has_perm("listings.add_listingmedia", listing):
        raise PermissionDenied(_("您无权为此房源上传图片。"))
    media = services.listing_media_add(listing=listing, by=viewer, file=file, kind=kind, caption=caption)
    return Status(201, media_out(media))


@router.delete("/{listing_id}/media/{media_id}", response={204: None, **ERRORS}, summary="删除房源图片")
def delete_media(request: HttpRequest, listing_id: int, media_id: int) -> Status[None]:
    viewer = agent_of(request.user)
    media = access_listing_media(viewer, access_listing(viewer, listing_id), media_id)
    if not viewer.user.has_perm("listings.delete_listingmedia", media):
        raise PermissionDenied(_("只有上传人、录入经纪人、本店店长和管理员可以删除图片。"))
    services.listing_media_remove(media=media, by=viewer)
    return Status(204, None)
