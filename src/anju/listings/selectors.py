"""Reads for listings. Listings are shared across the company (房源共享); clients are not.

Freshness (真房源时效): a listing is *fresh* when it was verified within the company's
``listing_fresh_days`` (default 15) and *stale* (待核实) otherwise, never-verified listings
included. Every list shows stale listings with a badge (``with_freshness`` annotates
``is_stale``); recommendations use ``listings_recommendable``, which leaves stale ones out until
someone verifies them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, DecimalException
from operator import attrgetter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, DecimalField, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.clients.models import Client
from anju.clients.selectors import may_see_mobile
from anju.core.errors import ApplicationError
from anju.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, encode_cursor, keyset_page
from anju.geo.models import SchoolAssignment
from anju.listings.models import (
    Listing,
    ListingKind,
    ListingMedia,
    ListingStatus,
    MediaKind,
    PriceChange,
    Property,
    Verification,
)
from anju.listings.status import IN_PLAY, allowed_moves
from anju.org.models import Agent, Company
from anju.org.scoping import in_company

# Sort keys, each ending with id so that keyset pagination is exact.
SORTS: dict[str, tuple[Sequence[str], object]] = {
    "newest": (("-listed_on", "-id"), gettext_lazy("最新挂牌")),
    "price_asc": (("price", "id"), gettext_lazy("总价从低到高")),
    "price_desc": (("-price", "-id"), gettext_lazy("总价从高到低")),
    "unit_price_asc": (("unit_price", "id"), gettext_lazy("单价从低到高")),
    "unit_price_desc": (("-unit_price", "-id"), gettext_lazy("单价从高到低")),
    "area_desc": (("-area", "-id"), gettext_lazy("面积从大到小")),
}
DEFAULT_SORT = "newest"
# In a room filter, this many rooms means "this many or more" (5室+).
ROOMS_OR_MORE = 5


@dataclass
class ListingFilters:
    """What a listing search asks for; empty fields do not filter."""

    districts: list[int] = field(default_factory=list)
    business_area: int | None = None
    community: int | None = None
    kind: str | None = None
    # Empty means every status; the default is what is on the market.
    statuses: list[str] = field(default_factory=lambda: [ListingStatus.ACTIVE.value])
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    unit_price_min: Decimal | None = None
    unit_price_max: Decimal | None = None
    rooms: list[int] = field(default_factory=list)
    rooms_min: int | None = None
    rooms_max: int | None = None
    area_min: Decimal | None = None
    area_max: Decimal | None = None
    school: int | None = None
    school_level: str | None = None
    freshness: str | None = None  # "fresh" or "stale"
    verified: bool | None = None  # ever verified (or never)
    mine: bool = False
    sort: str = DEFAULT_SORT


def listings_visible(viewer: Agent) -> QuerySet[Listing]:
    return in_company(
        Listing.objects.select_related("property", "community", "district", "agent", "store"), viewer
    )


def listing_for_detail(viewer: Agent, listing_id: int) -> Listing:
    """``access_listing`` with what the detail shows besides (seller, keys store, business area)."""
    listing = (
        listings_visible(viewer)
        .select_related("seller", "keys_store", "community__business_area")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None:
        raise Http404(_("没有找到该房源。"))
    return listing


def access_listing(viewer: Agent, listing_id: int) -> Listing:
    listing = listings_visible(viewer).filter(pk=listing_id).first()
    if listing is None:
        raise Http404(_("没有找到该房源。"))
    return listing


def access_listing_for_change(viewer: Agent, listing_id: int) -> Listing:
    """The listing, 404 outside the company, 403 when the viewer may read but not change it."""
    listing = access_listing(viewer, listing_id)
    if not viewer.user.has_perm("listings.change_listing", listing):
        raise PermissionDenied(_("只有录入经纪人、本店店长和管理员可以修改此房源。"))
    return listing


def access_listing_media(viewer: Agent, listing: Listing, media_id: int) -> ListingMedia:
    media = ListingMedia.objects.select_related("listing").filter(listing=listing, pk=media_id).first()
    if media is None:
        raise Http404(_("没有找到该图片。"))
    return media


# --- freshness -----------------------------------------------------------------------------


def fresh_cutoff(company: Company, now: dt.datetime | None = None) -> dt.datetime:
    """Verified at or after this moment means fresh."""
    return (now or timezone.now()) - dt.timedelta(days=company.listing_fresh_days)


def is_stale(listing: Listing, now: dt.datetime | None = None, *, company: Company | None = None) -> bool:
    """待核实: never verified, or not verified again within the company's ``listing_fresh_days``."""
    if listing.verified_at is None:
        return True
    return listing.verified_at < fresh_cutoff(company or listing.company, now)


def _stale_q(cutoff: dt.datetime) -> Q:
    return Q(verified_at__isnull=True) | Q(verified_at__lt=cutoff)


def with_freshness(queryset: QuerySet[Listing], company: Company, now: dt.datetime | None = None) -> QuerySet:
    """Adds ``is_stale`` to every row, computed in the query (no extra query per row)."""
    return queryset.annotate(
        is_stale=ExpressionWrapper(_stale_q(fresh_cutoff(company, now)), output_field=BooleanField())
    )


def listings_recommendable(viewer: Agent, now: dt.datetime | None = None) -> QuerySet[Listing]:
    """What matching may recommend: on the market and verified recently (stale listings are left out)."""
    return listings_visible(viewer).filter(
        status=ListingStatus.ACTIVE, verified_at__gte=fresh_cutoff(viewer.company, now)
    )


# --- search --------------------------------------------------------------------------------
#
# A million listings on SQLite: the planner has no histograms, so left alone it happily uses the
# (company, status, kind, district, price) index for a broad price range and then sorts a hundred
# thousand rows to show twenty. Instead each page is planned here (``_plan``): a page walks the
# index of its sort key and stops after one page, with the other range filters made unindexable
# (``column + 0``) so that the planner cannot prefer them; a price range is left indexable only when
# a capped count shows it is selective, and then sorting its few rows is cheap. Several districts,
# statuses or kinds are read part by part (each an index walk) and merged. The indexes this relies
# on are the ``listing_*`` indexes of ``Listing.Meta``.


def listing_search(
    viewer: Agent,
    filters: ListingFilters,
    now: dt.datetime | None = None,
    *,
    unindexed: frozenset[str] = frozenset(),
) -> QuerySet:
    """The company's listings matching ``filters``, each with ``is_stale``; unordered (see ``SORTS``).

    ``unindexed`` names range filters (``price``, ``unit_price``, ``area``) to apply
    in a form no index can serve; the rows are the same.
    """
    company = viewer.company
    qs = listings_visible(viewer)
    f = filters
    if f.statuses:
        qs = qs.filter(status__in=f.statuses) if len(f.statuses) > 1 else qs.filter(status=f.statuses[0])
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.districts:
        qs = (
            qs.filter(district_id__in=f.districts)
            if len(f.districts) > 1
            else qs.filter(district_id=f.districts[0])
        )
    if f.business_area is not None:
        qs = qs.filter(community__business_area_id=f.business_area)
    if f.community is not None:
        qs = qs.filter(community_id=f.community)
    for column, low, high in (
        ("price", f.price_min, f.price_max),
        ("unit_price", f.unit_price_min, f.unit_price_max),
        ("area", f.area_min, f.area_max),
    ):
        if low is None and high is None:
            continue
        noindex = column in unindexed
        qs = _unindexed(qs, column, noindex)
        qs = _between(qs, f"{column}_noindex" if noindex else column, low, high)
    qs = _between(qs, "rooms", f.rooms_min, f.rooms_max)
    if f.rooms:
        exact = sorted({r for r in f.rooms if r < ROOMS_OR_MORE})
        rooms_q = Q(rooms__in=exact) if exact else Q(pk__in=[])
        if any(r >= ROOMS_OR_MORE for r in f.rooms):
            rooms_q |= Q(rooms__gte=ROOMS_OR_MORE)
        qs = qs.filter(rooms_q)
    if f.school is not None or f.school_level:
        assignments = SchoolAssignment.objects.filter(community__company_id=company.pk)
        if f.school is not None:
            assignments = assignments.filter(school_id=f.school)
        if f.school_level:
            assignments = assignments.filter(school__level=f.school_level)
        qs = qs.filter(community_id__in=assignments.values("community_id"))
    cutoff = fresh_cutoff(company, now)
    if f.freshness == "fresh":
        qs = qs.filter(verified_at__gte=cutoff)
    elif f.freshness == "stale":
        qs = qs.filter(_stale_q(cutoff))
    if f.verified is True:
        qs = qs.filter(verified_at__isnull=False)
    elif f.verified is False:
        qs = qs.filter(verified_at__isnull=True)
    if f.mine:
        qs = qs.filter(agent=viewer)
    return with_freshness(qs, company, now)


def listing_search_page(
    viewer: Agent,
    filters: ListingFilters,
    *,
    cursor: str | None,
    limit: int | None,
    now: dt.datetime | None = None,
) -> tuple[list[Listing], str | None]:
    """One keyset page of ``listing_search`` in the order ``filters.sort`` names."""
    order = SORTS[filters.sort][0] if filters.sort in SORTS else SORTS[DEFAULT_SORT][0]
    parts, unindexed = _plan(viewer, filters)
    try:
        pages = [
            keyset_page(
                listing_search(viewer, part, now, unindexed=unindexed),
                order=order,
                cursor=cursor,
                limit=limit,
            )
            for part in parts
        ]
    except (ValidationError, ValueError, DecimalException) as exc:
        # A cursor made for another sort order carries values of the wrong type.
        raise ApplicationError(_("分页游标无效。"), code="cursor_invalid") from exc
    return pages[0] if len(pages) == 1 else _merge_pages(pages, order=order, limit=limit)


SORT_COLUMNS = {
    "newest": "listed_on",
    "price_asc": "price",
    "price_desc": "price",
    "unit_price_asc": "unit_price",
    "unit_price_desc": "unit_price",
    "area_desc": "area",
}
SELECTIVE_ROWS = 2000  # a price range matching fewer rows than this is cheap to sort
MAX_PARTS = 24


def _plan(viewer: Agent, f: ListingFilters) -> tuple[list[ListingFilters], frozenset[str]]:
    """How to read one page: the parts to merge, and the filters no index should serve."""
    sort = f.sort if f.sort in SORTS else DEFAULT_SORT
    sort_column = SORT_COLUMNS[sort]
    has_price = f.price_min is not None or f.price_max is not None
    if has_price and sort_column != "price" and _selective_price(viewer, f):
        # Few rows: let the price index find them and sort them.
        return [f], frozenset()
    unindexed = {
        column
        for column, low, high in (
            ("price", f.price_min, f.price_max),
            ("unit_price", f.unit_price_min, f.unit_price_max),
            ("area", f.area_min, f.area_max),
        )
        if column != sort_column and (low is not None or high is not None)
    }
    if f.community is not None or f.business_area is not None or f.mine or f.school is not None:
        # A community's or an agent's listings are few: their own index and a sort serve best.
        return [f], frozenset(unindexed)
    statuses = f.statuses or list(ListingStatus.values)
    kinds = [f.kind] if f.kind else list(ListingKind.values)
    districts: list[int | None] = list(dict.fromkeys(f.districts)) if f.districts else [None]
    if sort == "newest" and len(districts) == 1:
        # (company, listed_on) and (company, status, kind, listed_on) serve any mix of statuses and kinds.
        return [f], frozenset(unindexed)
    parts = [
        replace(
            f,
            statuses=[status],
            kind=kind,
            districts=f.districts if district is None else [district],
        )
        for status in statuses
        for kind in kinds
        for district in districts
    ]
    return (parts if len(parts) <= MAX_PARTS else [f]), frozenset(unindexed)


def _selective_price(viewer: Agent, f: ListingFilters) -> bool:
    """Whether the price range alone (with status, kind and districts) matches only a few rows."""
    probe = Listing.objects.filter(company_id=viewer.company_id)
    if f.statuses:
        probe = probe.filter(status__in=f.statuses)
    if f.kind:
        probe = probe.filter(kind=f.kind)
    if f.districts:
        probe = probe.filter(district_id__in=f.districts)
    probe = _between(probe, "price", f.price_min, f.price_max)
    return probe.values("pk")[:SELECTIVE_ROWS].count() < SELECTIVE_ROWS


def _merge_pages(
    parts: list[tuple[list[Listing], str | None]], *, order: Sequence[str], limit: int | None
) -> tuple[list[Listing], str | None]:
    """The first page of the union of pages that each start after the same cursor."""
    size = max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))
    rows = [row for part_rows, _next in parts for row in part_rows]
    for key in reversed(order):  # stable sorts, least significant key first
        rows.sort(key=attrgetter(key.lstrip("-")), reverse=key.startswith("-"))
    more = len(rows) > size or any(next_cursor for _rows, next_cursor in parts)
    rows = rows[:size]
    if not more or not rows:
        return rows, None
    return rows, encode_cursor([getattr(rows[-1], key.lstrip("-")) for key in order])


def _unindexed(qs: QuerySet, column: str, apply: bool) -> QuerySet:
    """``column + 0`` as ``<column>_noindex``: the same values, but no index on the column serves it."""
    if not apply:
        return qs
    field = DecimalField(max_digits=14, decimal_places=2)
    return qs.alias(**{f"{column}_noindex": ExpressionWrapper(F(column) + 0, output_field=field)})


def _between(qs: QuerySet, name: str, low: object | None, high: object | None) -> QuerySet:
    if low is not None:
        qs = qs.filter(**{f"{name}__gte": low})
    if high is not None:
        qs = qs.filter(**{f"{name}__lte": high})
    return qs


# --- detail --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SellerView:
    """The seller as the viewer may see them: the id and full details only for those who may."""

    id: int | None
    name: str
    mobile: str
    masked: bool


@dataclass
class ListingDetail:
    listing: Listing
    is_stale: bool
    fresh_until: dt.datetime | None
    seller: SellerView | None
    price_changes: list[PriceChange]
    verifications: list[Verification]
    photos: list[ListingMedia]
    floor_plans: list[ListingMedia]
    can_change: bool
    can_verify: bool
    next_statuses: list[str]
    years_held: int | None

    @property
    def media(self) -> list[ListingMedia]:
        return self.photos + self.floor_plans


def listing_detail(viewer: Agent, listing: Listing, now: dt.datetime | None = None) -> ListingDetail:
    """Everything the detail page and API show, in a fixed number of queries."""
    company = viewer.company
    media = list(listing.media.all())
    can_change = viewer.user.has_perm("listings.change_listing", listing)
    return ListingDetail(
        listing=listing,
        is_stale=is_stale(listing, now, company=company),
        fresh_until=(
            listing.verified_at + dt.timedelta(days=company.listing_fresh_days)
            if listing.verified_at
            else None
        ),
        seller=seller_as_seen(viewer, listing.seller) if listing.seller_id else None,
        price_changes=list(listing.price_changes.select_related("by").order_by("-at", "-id")),
        verifications=list(listing.verifications.select_related("by").order_by("-at", "-id")[:50]),
        photos=[m for m in media if m.kind == MediaKind.PHOTO],
        floor_plans=[m for m in media if m.kind == MediaKind.FLOOR_PLAN],
        can_change=can_change,
        can_verify=viewer.user.has_perm("listings.verify_listing", listing)
        and listing.status in IN_PLAY
        and listing.property.address_complete,
        next_statuses=allowed_moves(listing) if can_change else [],
        years_held=years_held(listing.property.certificate_date, timezone.localdate()),
    )


def seller_as_seen(viewer: Agent, seller: Client | None) -> SellerView | None:
    if seller is None:
        return None
    sees = viewer.user.has_perm("clients.view_client", seller)
    full = may_see_mobile(viewer, seller)
    return SellerView(
        id=seller.pk if sees else None,
        name=seller.name if sees else mask_name(seller.name),
        mobile=seller.mobile if full else seller.masked_mobile,
        masked=not full,
    )


def mask_name(name: str) -> str:
    """王** : the family name and a star per other character, as agencies show other agents' clients."""
    name = name.strip()
    return f"{name[:1]}{'*' * max(1, len(name) - 1)}" if name else ""


def years_held(certificate_date: dt.date | None, today: dt.date) -> int | None:
    """Full years since the title certificate (满二 at 2, 满五 at 5), or None when the date is unknown."""
    if certificate_date is None:
        return None
    years = today.year - certificate_date.year
    if (today.month, today.day) < (certificate_date.month, certificate_date.day):
        years -= 1
    return max(0, years)


def seller_by_mobile(viewer: Agent, mobile: str) -> Client:
    """The company's client with this mobile, as a listing's seller; they must be visible to the viewer."""
    from anju.core.phones import normalize_mobile

    number = normalize_mobile(mobile)
    client = (
        in_company(Client.objects.select_related("owner", "store"), viewer)
        .filter(mobile=number, merged_into__isnull=True)
        .first()
    )
    if client is None:
        raise ApplicationError(
            _("没有手机号为 %(mobile)s 的客户，请先在“客户”中录入业主。") % {"mobile": number},
            code="seller_not_found",
        )
    if not viewer.user.has_perm("clients.view_client", client):
        raise ApplicationError(
            _("该业主是其他经纪人的私客，请联系其归属经纪人录入或转交。"), code="seller_not_visible"
        )
    return client


# --- the workbench ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingsDay:
    """What the workbench shows of listings: the agent's active count and the company's newest."""

    my_active: int
    recent: list[Listing]  # with ``is_stale``


def listings_for_day(viewer: Agent, *, limit: int = 8) -> ListingsDay:
    """Two queries whatever the number of listings. The recent ones come with what the workbench
    shows of them (the flat, its community and district), not their agent and store: every relation
    joined costs the planner more time than the query then takes."""
    active = listings_visible(viewer).filter(status=ListingStatus.ACTIVE)
    shown = active.select_related(None).select_related("property", "community", "district")
    recent = with_freshness(shown, viewer.company).order_by("-listed_on", "-id")[:limit]
    return ListingsDay(my_active=active.filter(agent=viewer).count(), recent=list(recent))


def properties_of_seller(client: Client, *, also_id: int | None = None) -> QuerySet[Property]:
    """The flats a client owns (with ``also_id``, the one a sell or let need already names): the
    need form's 房屋 choices."""
    owned = Q(owner=client)
    if also_id is not None:
        owned |= Q(pk=also_id)
    return Property.objects.filter(company_id=client.company_id).filter(owned).select_related("community")
