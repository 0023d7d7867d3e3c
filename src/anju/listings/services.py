"""Writes for listings: entry (房源录入), edits, price changes, status, verification (真房源) and photos.

Who may call what is decided by the entry points (``selectors.access_listing_for_change`` and the
predicates in ``rules.py``); these functions enforce the rules of the business itself:

- One flat is one ``Property`` per company, found by its address (community, building, unit, door
  number, written the way people write them: ``3栋``/``3``, ``1单元``/``1`` and full-width digits
  are the same address). A new listing of a flat that is already on the market with the same kind
  (an active or reserved sale, or rent) is refused and the error names that listing; a flat may be
  offered for sale and for rent at the same time (租售同时), as two listings. When the flat is known
  but not on the market, its physical record is reused and brought up to date.
- Status changes only through the transition functions below (the rules are in ``status.py``): sold and rented are
  final; only sale listings can be sold and only rent listings rented.
- Every asking-price change writes a ``PriceChange``; the price is never changed in place silently.
- A verification records who confirmed what, when and how. Only a verification that confirms all
  three points (the flat exists, it is still available, the price is right) renews
  ``verified_at``. One that finds the flat gone or no longer available withdraws the listing
  (it must not be shown as on the market); one that finds only the price wrong leaves the status
  alone and ``verified_at`` unchanged, so the listing goes stale on schedule unless it is repriced
  and verified again. Either way the listing agent is notified when someone else found the problem.
- Photos and floor plans are checked to be real JPEG, PNG or WebP images, not too large
  (``core/images.py``, shared with agents' photos); they are stored under a random name with the
  extension of their real format.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any, TypedDict

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.clients.models import Client
from anju.core.announcements import announce
from anju.core.errors import ApplicationError, ConflictError
from anju.core.formats import join_list, to_fen
from anju.core.images import image_check, thumbnail_name
from anju.core.text import clean_text
from anju.geo.models import Community
from anju.listings.announcements import ListingsChanged
from anju.listings.checks import flat_problems
from anju.listings.figures import unit_price
from anju.listings.models import (
    Decoration,
    FloorBand,
    Listing,
    ListingKind,
    ListingMedia,
    ListingStatus,
    Mandate,
    MediaKind,
    Orientation,
    PriceChange,
    Property,
    TitleType,
    Verification,
    VerificationMethod,
)
from anju.listings.status import FINAL, IN_PLAY, check_move
from anju.org.models import Agent, Notification, Store

MAX_PRICE = Decimal("999999999999.99")  # what the column holds (14 digits, 2 decimals)
MAX_MEDIA_PER_LISTING = 60


class PropertyFields(TypedDict, total=False):
    """The physical flat (everything but its address)."""

    floor: int | None  # None only while the address is to be completed (地址待补全), with a band
    floor_band: str
    total_floors: int
    area: Decimal
    inner_area: Decimal | None
    rooms: int
    halls: int
    baths: int
    orientation: str
    decoration: str
    build_year: int | None
    has_elevator: bool
    title_type: str
    certificate_date: date | None
    only_home: bool | None
    mortgaged: bool
    seized: bool


class ListingChanges(PropertyFields, total=False):
    """What ``listing_update`` may change: the flat's facts and the listing's terms, never the price."""

    title: str
    seller: Client | None
    mandate: str
    mandate_start: date | None
    mandate_end: date | None
    highlights: str
    drawbacks: str
    keys_store: Store | None


PROPERTY_FIELDS = frozenset(PropertyFields.__annotations__)
LISTING_FIELDS = frozenset(ListingChanges.__annotations__) - PROPERTY_FIELDS


# --- entry ---------------------------------------------------------------------------------


@transaction.atomic
def listing_create(
    *,
    agent: Agent,
    community: Community,
    building: str,
    unit: str = "",
    room_number: str,
    floor: int,
    total_floors: int,
    area: Decimal,
    inner_area: Decimal | None = None,
    rooms: int,
    halls: int,
    baths: int,
    orientation: str,
    decoration: str,
    build_year: int | None = None,
    has_elevator: bool = False,
    title_type: str = TitleType.COMMODITY,
    certificate_date: date | None = None,
    only_home: bool | None = None,
    mortgaged: bool = False,
    seized: bool = False,
    kind: str,
    price: Decimal,
    seller: Client | None = None,
    mandate: str = Mandate.GENERAL,
    mandate_start: date | None = None,
    mandate_end: date | None = None,
    highlights: str = "",
    drawbacks: str = "",
    keys_store: Store | None = None,
    title: str = "",
    store: Store | None = None,
    listed_on: date | None = None,
    verify_method: str | None = None,
) -> Listing:
    """A listing of a flat, with the flat's record created or reused; ``store`` defaults to the agent's.

    ``verify_method`` records that the agent confirmed the listing with the owner while entering it
    (a first verification), so a new listing does not start out as 待核实.
    """
    company_id = agent.company_id
    if community.company_id != company_id:
        raise ApplicationError(_("小区不属于本公司的楼盘字典。"), code="community_company_mismatch")
    store = store or agent.store
    if store is None:
        raise ApplicationError(_("请选择房源所属门店。"), code="store_required")
    if store.company_id != company_id:
        raise ApplicationError(_("门店不属于本公司。"), code="store_company_mismatch")
    if kind not in ListingKind.values:
        raise ApplicationError(_("请选择出售或出租。"), code="kind_invalid")
    facts = _clean_property_fields(
        {
            "floor": floor,
            "total_floors": total_floors,
            "area": area,
            "inner_area": inner_area,
            "rooms": rooms,
            "halls": halls,
            "baths": baths,
            "orientation": orientation,
            "decoration": decoration,
            "build_year": build_year,
            "has_elevator": has_elevator,
            "title_type": title_type,
            "certificate_date": certificate_date,
            "only_home": only_home,
            "mortgaged": mortgaged,
            "seized": seized,
        }
    )
    terms = _clean_listing_fields(
        company_id,
        {
            "title": title,
            "seller": seller,
            "mandate": mandate,
            "mandate_start": mandate_start,
            "mandate_end": mandate_end,
            "highlights": highlights,
            "drawbacks": drawbacks,
            "keys_store": keys_store,
        },
    )
    price = _price(price)
    if verify_method is not None and verify_method not in VerificationMethod.values:
        raise ApplicationError(_("请选择核实方式。"), code="method_invalid")
    address = {
        "building": _address_part(building, _("楼栋"), ("号楼", "栋", "幢"), max_length=20, required=True),
        "unit": _address_part(unit, _("单元"), ("单元",), max_length=10, required=False),
        "room_number": _address_part(room_number, _("门牌号"), ("室", "号"), max_length=20, required=True),
    }

    prop = _property_at(company_id=company_id, community=community, address=address, kind=kind)
    if prop is None:
        try:
            with transaction.atomic():
                prop = Property.objects.create(
                    company_id=company_id, community=community, owner=seller, **address, **facts
                )
        except IntegrityError as exc:  # someone entered the same flat a moment ago
            raise ConflictError(_("该房屋刚刚被其他人录入，请刷新后重试。"), code="property_exists") from exc
    else:
        for name, value in facts.items():
            setattr(prop, name, value)
        if prop.owner_id is None and seller is not None:
            prop.owner = seller
        prop.save()

    listing = Listing(
        company_id=company_id,
        property=prop,
        kind=kind,
        status=ListingStatus.ACTIVE,
        price=price,
        unit_price=unit_price(price, facts["area"]),
        agent=agent,
        store=store,
        district_id=community.district_id,
        community=community,
        rooms=facts["rooms"],
        area=facts["area"],
        listed_on=listed_on or timezone.localdate(),
        **terms,
    )
    listing._history_user = agent.user  # type: ignore[attr-defined]
    listing.save()
    if verify_method is not None:
        listing_verify(listing=listing, by=agent, method=verify_method, note=_("录入时核实"))
    _announce(listing, news=True)
    _announce_flat(prop, but=listing.pk)  # a flat known before: its other listings' facts moved too
    return listing


def _property_at(
    *, company_id: int, community: Community, address: dict[str, str], kind: str
) -> Property | None:
    """The flat at this address, locked; refused when it is already on the market with this kind."""
    prop = (
        Property.objects.select_for_update()
        .filter(company_id=company_id, community=community, **address)
        .first()
    )
    if prop is None:
        return None
    on_market = (
        Listing.objects.filter(property=prop, kind=kind, status__in=IN_PLAY).select_related("agent").first()
    )
    if on_market is not None:
        raise ConflictError(
            _("该房屋已有%(kind)s房源在市场上：#%(id)s %(title)s（%(agent)s，%(status)s）。请勿重复录入。")
            % {
                "kind": on_market.get_kind_display(),
                "id": on_market.pk,
                "title": str(on_market),
                "agent": on_market.agent.name,
                "status": on_market.get_status_display(),
            },
            code="listing_exists",
            extra={"listing_id": on_market.pk},
        )
    return prop


@transaction.atomic
def listing_update(*, listing: Listing, by: Agent, changes: ListingChanges) -> Listing:
    """Changes the flat's facts and the listing's terms (not the price: see ``listing_reprice``)."""
    unknown = set(changes) - PROPERTY_FIELDS - LISTING_FIELDS
    if unknown:
        raise ValueError(f"listing_update cannot change {sorted(unknown)}")
    listing = _locked(listing)
    if listing.status in FINAL:
        raise ApplicationError(_("已成交的房源不能再修改。"), code="listing_closed")
    prop = listing.property
    facts: dict[str, Any] = {name: getattr(prop, name) for name in PROPERTY_FIELDS}
    facts.update({k: v for k, v in changes.items() if k in PROPERTY_FIELDS})
    facts = _clean_property_fields(facts)
    terms: dict[str, Any] = {name: getattr(listing, name) for name in LISTING_FIELDS}
    terms.update({k: v for k, v in changes.items() if k in LISTING_FIELDS})
    terms = _clean_listing_fields(listing.company_id, terms)

    for name, value in facts.items():
        setattr(prop, name, value)
    if prop.owner_id is None and terms["seller"] is not None:
        prop.owner = terms["seller"]
    prop.save()
    for name, value in terms.items():
        setattr(listing, name, value)
    listing.rooms = facts["rooms"]
    listing.area = facts["area"]
    listing.unit_price = unit_price(listing.price, facts["area"])
    listing._history_user = by.user  # type: ignore[attr-defined]
    listing.save()
    _announce_flat(prop)
    return listing


@transaction.atomic
def listing_reprice(*, listing: Listing, price: Decimal, by: Agent) -> Listing:
    """A new asking price (调价), kept in the price history."""
    new_price = _price(price)
    listing = _locked(listing)
    if listing.status in FINAL:
        raise ApplicationError(_("已成交的房源不能调价。"), code="listing_closed")
    if new_price == listing.price:
        raise ApplicationError(_("新价格与当前挂牌价相同。"), code="price_unchanged")
    PriceChange.objects.create(listing=listing, old_price=listing.price, new_price=new_price, by=by)
    listing.price = new_price
    listing.unit_price = unit_price(new_price, listing.area)
    listing._history_user = by.user  # type: ignore[attr-defined]
    listing.save(update_fields=["price", "unit_price"])
    _announce(listing, news=True)
    return listing


# --- status --------------------------------------------------------------------------------


def listing_reserve(*, listing: Listing, by: Agent) -> Listing:
    """已预定: a buyer or tenant has put down a deposit; the flat is held but not yet closed."""
    return _move(listing=listing, to=ListingStatus.RESERVED, by=by)


def listing_mark_sold(*, listing: Listing, by: Agent) -> Listing:
    return _move(listing=listing, to=ListingStatus.SOLD, by=by)


def listing_mark_rented(*, listing: Listing, by: Agent) -> Listing:
    return _move(listing=listing, to=ListingStatus.RENTED, by=by)


def listing_withdraw(*, listing: Listing, by: Agent) -> Listing:
    return _move(listing=listing, to=ListingStatus.WITHDRAWN, by=by)


def listing_reactivate(*, listing: Listing, by: Agent) -> Listing:
    """Back on the market, from reserved (the deal fell through) or withdrawn."""
    return _move(listing=listing, to=ListingStatus.ACTIVE, by=by)


TRANSITIONS = {
    ListingStatus.ACTIVE: listing_reactivate,
    ListingStatus.RESERVED: listing_reserve,
    ListingStatus.SOLD: listing_mark_sold,
    ListingStatus.RENTED: listing_mark_rented,
    ListingStatus.WITHDRAWN: listing_withdraw,
}


def listing_transition(*, listing: Listing, to: str, by: Agent) -> Listing:
    """The transition function for the status ``to`` (for entry points that take the target status)."""
    if to not in TRANSITIONS:
        raise ApplicationError(_("未知的房源状态。"), code="status_invalid")
    return TRANSITIONS[ListingStatus(to)](listing=listing, by=by)


@transaction.atomic
def _move(*, listing: Listing, to: ListingStatus, by: Agent) -> Listing:
    locked = _locked(listing)
    current = ListingStatus(locked.status)
    check_move(kind=locked.kind, current=current, to=to)
    if to == ListingStatus.ACTIVE and current == ListingStatus.WITHDRAWN:
        # The flat's row is the lock that entry takes too: two listings of it never both come back.
        Property.objects.select_for_update().filter(pk=locked.property_id).first()
        other = (
            Listing.objects.filter(property_id=locked.property_id, kind=locked.kind, status__in=IN_PLAY)
            .exclude(pk=locked.pk)
            .first()
        )
        if other is not None:
            raise ConflictError(
                _("该房屋已有另一条房源 #%(id)s 在市场上，不能重新上架。") % {"id": other.pk},
                code="listing_exists",
            )
    locked.status = to
    locked._history_user = by.user  # type: ignore[attr-defined]
    locked.save(update_fields=["status"])
    listing.status = locked.status
    listing.updated_at = locked.updated_at
    _announce(locked, news=False)
    return locked


@transaction.atomic
def listing_complete_address(
    *, listing: Listing, by: Agent, building: str, unit: str = "", room_number: str, floor: int
) -> Listing:
    """地址补全: the building, unit, room and floor of a flat brought in without them.

    The flat keeps its record (and every listing of it); its floor band gives way to the floor.
    An address that another flat of the company already has is refused, naming that flat.
    """
    listing = _locked(listing)
    prop = Property.objects.select_for_update().get(pk=listing.property_id)
    if prop.address_complete:
        raise ApplicationError(_("该房源的地址已经完整。"), code="listing_address_complete")
    if listing.status in FINAL:
        raise ApplicationError(_("已成交的房源不能再修改。"), code="listing_closed")
    address = {
        "building": _address_part(building, _("楼栋"), ("号楼", "栋", "幢"), max_length=20, required=True),
        "unit": _address_part(unit, _("单元"), ("单元",), max_length=10, required=False),
        "room_number": _address_part(room_number, _("门牌号"), ("室", "号"), max_length=20, required=True),
    }
    floor = _whole(floor, _("所在楼层"))
    for problem in flat_problems(
        floor=floor, total_floors=prop.total_floors, area=None, today=timezone.localdate()
    ):
        raise ApplicationError(problem.message, code=problem.code)
    other = Property.objects.filter(
        company_id=prop.company_id, community_id=prop.community_id, **address
    ).first()
    if other is not None:
        in_play = Listing.objects.filter(property=other, status__in=IN_PLAY).order_by("pk").first()
        raise ConflictError(
            _("该地址的房屋已在房源库中（%(flat)s%(listing)s），请核对地址。")
            % {
                "flat": str(other),
                "listing": "" if in_play is None else _("，房源 #%(id)s") % {"id": in_play.pk},
            },
            code="property_exists",
        )
    for name, value in address.items():
        setattr(prop, name, value)
    prop.floor = floor
    prop.floor_band = ""
    try:
        with transaction.atomic():
            prop.save()
    except IntegrityError as exc:  # someone gave another flat this address a moment ago
        raise ConflictError(_("该地址刚刚被其他人录入，请刷新后重试。"), code="property_exists") from exc
    listing.property = prop
    _announce_flat(prop)
    return listing


# --- verification --------------------------------------------------------------------------


@transaction.atomic
def listing_verify(
    *,
    listing: Listing,
    by: Agent,
    method: str,
    exists: bool = True,
    available: bool = True,
    price_confirmed: bool = True,
    note: str = "",
) -> Verification:
    """真房源核实. See the module docstring for what a failed verification does."""
    if method not in VerificationMethod.values:
        raise ApplicationError(_("请选择核实方式。"), code="method_invalid")
    note = clean_text(note, label=_("备注"), multiline=True, most=200)
    locked = _locked(listing)
    if not locked.property.address_complete:
        raise ApplicationError(
            _("该房源地址待补全（缺楼栋、门牌号），请先补全地址再核实。"), code="listing_address_incomplete"
        )
    if locked.status not in IN_PLAY:
        raise ApplicationError(
            _("只能核实在售/在租或已预定的房源，当前状态为“%(status)s”。")
            % {"status": locked.get_status_display()},
            code="listing_not_in_play",
        )
    verification = Verification.objects.create(
        listing=locked,
        by=by,
        at=timezone.now(),
        method=method,
        exists=exists,
        available=available,
        price_confirmed=price_confirmed,
        note=note,
    )
    if exists and available and price_confirmed:
        locked.verified_at = verification.at
        locked._history_user = by.user  # type: ignore[attr-defined]
        locked.save(update_fields=["verified_at"])
    elif not (exists and available):
        _move(listing=locked, to=ListingStatus.WITHDRAWN, by=by)
    if not (exists and available and price_confirmed) and locked.agent_id != by.pk:
        problems = [
            label
            for ok, label in (
                (exists, _("房屋不存在")),
                (available, _("已不再出售/出租")),
                (price_confirmed, _("价格不符")),
            )
            if not ok
        ]
        Notification.objects.create(
            agent_id=locked.agent_id,
            text=_("%(by)s 核实房源“%(listing)s”未通过：%(problems)s。")
            % {"by": by.name, "listing": str(locked)[:80], "problems": join_list(problems)},
            url=reverse("web:listing_detail", args=[locked.pk]),
            key=f"verification-failed:{verification.pk}",
        )
    listing.status = locked.status
    listing.verified_at = locked.verified_at
    _announce(locked, news=True)
    return verification


# --- photos and floor plans ----------------------------------------------------------------


@transaction.atomic
def listing_media_add(
    *, listing: Listing, by: Agent, file: IO[bytes], kind: str = MediaKind.PHOTO, caption: str = ""
) -> ListingMedia:
    """A photo or floor plan, checked to be a real JPEG, PNG or WebP image of a sensible size."""
    if kind not in MediaKind.values:
        raise ApplicationError(_("请选择图片类型：照片或户型图。"), code="media_kind_invalid")
    caption = clean_text(caption, label=_("说明"), most=60)
    locked = _locked(listing)
    if locked.status in FINAL:
        raise ApplicationError(_("已成交的房源不能再上传图片。"), code="listing_closed")
    if ListingMedia.objects.filter(listing=locked).count() >= MAX_MEDIA_PER_LISTING:
        raise ApplicationError(
            _("每套房源最多 %(n)s 张图片，请先删除不需要的。") % {"n": MAX_MEDIA_PER_LISTING},
            code="media_too_many",
        )
    image = image_check(file)
    last = ListingMedia.objects.filter(listing=locked, kind=kind).aggregate(last=Max("position"))["last"]
    media = ListingMedia(
        listing=locked,
        kind=kind,
        caption=caption,
        position=0 if last is None else last + 1,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    # The stored name comes from the real format, never from the uploaded name.
    media.image.save(f"{kind}.{image.extension}", ContentFile(image.data), save=False)
    media.width, media.height = image.width, image.height  # known already: no need to read the file back
    name = str(media.image.name)
    try:
        media.save()
    except Exception:
        media.image.storage.delete(name)
        raise
    return media


@transaction.atomic
def listing_media_remove(*, media: ListingMedia, by: Agent) -> None:
    storage, name = media.image.storage, str(media.image.name)
    media.delete()

    def delete_files() -> None:
        storage.delete(name)
        storage.delete(thumbnail_name(name))

    # The files go only once the row is gone for good.
    transaction.on_commit(delete_files)


# --- checks --------------------------------------------------------------------------------


def _announce(listing: Listing, *, news: bool) -> None:
    announce(ListingsChanged(company_id=listing.company_id, listing_ids=(listing.pk,), news=news))


def _announce_flat(prop: Property, *, but: int | None = None) -> None:
    """The flat's facts changed: every listing of it (a sale and a rent may share one) reads them."""
    listings = Listing.objects.filter(property=prop).order_by("pk").values_list("pk", flat=True)
    ids = tuple(pk for pk in listings if pk != but)
    if ids:
        announce(ListingsChanged(company_id=prop.company_id, listing_ids=ids))


def _locked(listing: Listing) -> Listing:
    """The listing's row, locked for this transaction and read again (the caller's copy may be old)."""
    return Listing.objects.select_for_update().select_related("property").get(pk=listing.pk)


def _price(value: Any) -> Decimal:
    amount = _decimal(value, _("价格"))
    if amount <= 0:
        raise ApplicationError(_("价格必须大于 0。"), code="price_not_positive")
    amount = to_fen(amount)
    if amount > MAX_PRICE:
        raise ApplicationError(_("价格超出范围。"), code="price_out_of_range")
    return amount


def _decimal(value: Any, label: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ApplicationError(
            _("%(label)s不是有效的数字。") % {"label": label}, code="number_invalid"
        ) from exc
    if not amount.is_finite():
        raise ApplicationError(_("%(label)s不是有效的数字。") % {"label": label}, code="number_invalid")
    return amount


def _area(value: Any, label: str) -> Decimal:
    return to_fen(_decimal(value, label))  # its bounds are the flat checks


def _whole(value: Any, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApplicationError(_("%(label)s应为整数。") % {"label": label}, code="number_invalid")
    return value


def _address_part(
    value: str, label: str, suffixes: tuple[str, ...], *, max_length: int, required: bool
) -> str:
    """``３栋`` → ``3``: the address as written, without the words every form adds back."""
    text = unicodedata.normalize("NFKC", value or "").strip().replace(" ", "")
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text.removesuffix(suffix)
            break
    text = clean_text(text, label=label, most=max_length)
    if required and not text:
        raise ApplicationError(_("请填写%(label)s。") % {"label": label}, code="address_required")
    return text


def _choice(value: Any, choices: Any, message: str) -> str:
    if value not in choices.values:
        raise ApplicationError(message, code="choice_invalid")
    return str(value)


def _clean_property_fields(facts: dict[str, Any]) -> dict[str, Any]:
    inner_area, build_year = facts.get("inner_area"), facts.get("build_year")
    floor_band = facts.get("floor_band") or ""
    unknown_floor = facts["floor"] is None and floor_band in FloorBand.values
    counts: dict[str, Any] = {
        "floor": None if unknown_floor else _whole(facts["floor"], _("所在楼层")),
        "total_floors": _whole(facts["total_floors"], _("总楼层")),
        "area": _area(facts["area"], _("建筑面积")),
        "inner_area": None if inner_area is None else _area(inner_area, _("套内面积")),
        "build_year": None if build_year is None else _whole(build_year, _("建成年份")),
        "rooms": _whole(facts["rooms"], _("室")),
        "halls": _whole(facts["halls"], _("厅")),
        "baths": _whole(facts["baths"], _("卫")),
    }
    for problem in flat_problems(**counts, today=timezone.localdate()):
        raise ApplicationError(problem.message, code=problem.code)
    certificate_date = facts.get("certificate_date")
    if certificate_date is not None and certificate_date > timezone.localdate():
        raise ApplicationError(_("产权证日期不能晚于今天。"), code="certificate_date_future")
    only_home = facts.get("only_home")
    return {
        **counts,
        "floor_band": floor_band if unknown_floor else "",
        "orientation": _choice(facts["orientation"], Orientation, _("请选择朝向。")),
        "decoration": _choice(facts["decoration"], Decoration, _("请选择装修情况。")),
        "has_elevator": bool(facts.get("has_elevator")),
        "title_type": _choice(facts.get("title_type"), TitleType, _("请选择产权类型。")),
        "certificate_date": certificate_date,
        "only_home": None if only_home is None else bool(only_home),
        "mortgaged": bool(facts.get("mortgaged")),
        "seized": bool(facts.get("seized")),
    }


def _clean_listing_fields(company_id: int, terms: dict[str, Any]) -> dict[str, Any]:
    seller = terms.get("seller")
    if seller is not None and seller.company_id != company_id:
        raise ApplicationError(_("业主不是本公司的客户。"), code="seller_company_mismatch")
    keys_store = terms.get("keys_store")
    if keys_store is not None and keys_store.company_id != company_id:
        raise ApplicationError(_("钥匙所在门店不属于本公司。"), code="store_company_mismatch")
    mandate = _choice(terms.get("mandate"), Mandate, _("请选择委托方式。"))
    start, end = terms.get("mandate_start"), terms.get("mandate_end")
    if start is not None and end is not None and start > end:
        raise ApplicationError(_("委托结束日期不能早于开始日期。"), code="mandate_dates")
    if mandate == Mandate.EXCLUSIVE and end is None:
        raise ApplicationError(_("独家委托须填写委托结束日期。"), code="mandate_end_required")
    return {
        "title": clean_text(terms.get("title"), label=_("标题"), most=100),
        "seller": seller,
        "mandate": mandate,
        "mandate_start": start,
        "mandate_end": end,
        "highlights": clean_text(terms.get("highlights"), label=_("房源亮点"), multiline=True, most=2000),
        "drawbacks": clean_text(terms.get("drawbacks"), label=_("已知不足"), multiline=True, most=2000),
        "keys_store": keys_store,
    }
