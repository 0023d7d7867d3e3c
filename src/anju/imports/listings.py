"""Importing listings (房源导入) from a spreadsheet with Chinese headers.

Each row is one flat on offer: its community (by name or alias in the company's building
dictionary, with the 区县 column to tell apart two communities of the same name), its address and
facts, and the asking price.

Lists copied from the portals come in too, in their own shapes: 楼层 ``中楼层(共18层)`` or
``高楼层/32``, 区域 ``洪山-光谷`` (district and 板块 in one cell), 总价 ``198万`` or ``198``, 单价
``13,452元/平``, 建成年代 ``2005年建``, and no building or room number. Such a flat is stored with
its address to be completed (地址待补全: building, unit and room empty, the floor as a band), never
with a made-up one; its listing cannot be verified until an agent completes the address. The rules of entry through the page hold for every row, checked for
the whole file at once: a flat is one record per address (a flat already in the dictionary is
reused and takes the row's facts, as a new listing does), and a flat can be on the market only
once per kind. Listings belong to the importing agent and their store, or to the colleague named
in the ``经纪人账号`` column when the importer manages them.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, ClassVar

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.announcements import announce
from anju.core.bulk import TableWriter, reserve_ids
from anju.core.formats import FEN, join_list
from anju.core.lookups import lookup_batches
from anju.core.tabular import (
    CellError,
    Column,
    TabularError,
    check_length,
    choices_of,
    parse_area,
    parse_bool,
    parse_choice,
    parse_date,
    parse_int,
    parse_money,
)
from anju.geo.models import City, Community, CommunityAlias, District
from anju.imports.communities import (
    REPORT,
    CommunityPlanner,
    Planned,
    created_notes,
    parse_build_year,
    split_area,
)
from anju.imports.communities import key as name_key
from anju.imports.framework import (
    WRITE_BATCH,
    ImportResult,
    OwnerResolver,
    Progress,
    RowImport,
    chunks,
    import_file,
)
from anju.listings.announcements import ListingsChanged
from anju.listings.checks import flat_problems
from anju.listings.figures import unit_price
from anju.listings.models import (
    Decoration,
    FloorBand,
    Listing,
    ListingKind,
    ListingStatus,
    Mandate,
    Orientation,
    Property,
    TitleType,
)
from anju.listings.status import IN_PLAY
from anju.org.models import Agent
from anju.org.scoping import in_company

COLUMNS: tuple[Column, ...] = (
    Column("community", "小区", ("小区名称", "楼盘", "楼盘名称", "community"), required=True),
    Column("district", "区县", ("区域", "城区", "行政区", "所在区域", "district")),
    Column("business_area", "板块", ("商圈", "片区", "business_area")),
    Column("building", "楼栋", ("栋", "楼号", "栋号", "楼栋号", "building")),
    Column("unit", "单元", ("单元号", "unit")),
    Column("room_number", "门牌号", ("房号", "室号", "房间号", "room")),
    Column("floor", "所在楼层", ("楼层", "楼层信息", "floor"), required=True),
    Column("total_floors", "总楼层", ("总层数", "总层高", "total_floors")),
    Column("layout", "户型", ("房型", "layout"), required=True),
    Column("area", "建筑面积", ("面积", "建筑面积(㎡)", "面积(㎡)", "建面", "area"), required=True),
    Column("inner_area", "套内面积", ("套内面积(㎡)", "使用面积")),
    Column("orientation", "朝向", ("orientation",), required=True),
    Column("decoration", "装修", ("装修情况", "装修程度", "decoration"), required=True),
    Column("kind", "类型", ("租售", "交易类型", "出售/出租", "kind")),
    Column("price", "挂牌价（元）", ("挂牌价", "价格", "售价", "租金", "月租金", "价格(元)", "price")),
    Column("price_wan", "挂牌价（万元）", ("总价(万)", "总价(万元)", "售价(万元)", "价格(万)", "价格(万元)")),
    # A portal's 总价: ``198万``, or a bare ``198`` in 万元 (see ``parse_total_price``).
    Column("price_total", "总价", ("房屋总价", "总价格")),
    Column("unit_price", "单价", ("单价(元/平)", "单价(元/㎡)", "单价(元/平米)", "挂牌单价", "unit_price")),
    Column("status", "状态", ("房源状态", "status")),
    Column("listed_on", "挂牌日期", ("挂牌时间", "上架日期", "listed_on")),
    Column("build_year", "建成年份", ("建成年代", "竣工年份", "年代", "建筑年代")),
    Column("has_elevator", "电梯", ("有电梯", "有无电梯", "配备电梯", "elevator")),
    Column("title_type", "产权类型", ("产权性质", "房屋性质")),
    Column("mandate", "委托方式", ("委托类型",)),
    Column("title", "标题", ("房源标题", "title")),
    Column("highlights", "房源亮点", ("亮点", "卖点")),
    Column("agent", "经纪人账号", ("经纪人", "录入经纪人账号", "agent")),
)

MAX_PRICE = Decimal("999999999999.99")  # what the column holds (14 digits, 2 decimals)
MAX_UNIT_PRICE = Decimal("9999999999.99")
# A sale priced under this per ㎡ almost always lost its 万.
MIN_SALE_UNIT_PRICE = Decimal(100)

ORIENTATIONS = choices_of(
    Orientation,
    南北通透="SN",
    北南="SN",
    朝南="S",
    朝东="E",
    朝西="W",
    朝北="N",
    东西通透="EW",
    西东="EW",
    西南向="SW",
    东南向="SE",
    西北向="NW",
    东北向="NE",
)
DECORATIONS = choices_of(
    Decoration,
    毛坯房="rough",
    清水="rough",
    简单装修="simple",
    精装修="fine",
    豪华装修="luxury",
    其它="other",
)
KINDS = choices_of(ListingKind, 售="sale", 卖="sale", 二手房="sale", 租="rent", 整租="rent")
STATUSES = choices_of(
    ListingStatus, 在售="active", 在租="active", 有效="active", 预定="reserved", 下架="withdrawn"
)
TITLE_TYPES = choices_of(TitleType)
MANDATES = choices_of(Mandate, 独家="exclusive", 普通="general")
_NUMERALS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_LAYOUT = re.compile(r"^(\d+)[室房](\d+)厅(?:\d+厨)?(\d+)卫$")
# 楼层 as portals write it: ``中楼层(共18层)``, ``高楼层/32``, ``低楼层 (共6层)``, ``中楼层``; or an exact
# floor with its building's height: ``12/18``, ``12层/共18层``, ``12(共18层)``.
_BANDS = {"低": FloorBand.LOW.value, "中": FloorBand.MIDDLE.value, "高": FloorBand.HIGH.value}
_FLOOR_BAND = re.compile(r"^([低中高])(?:楼层|层|区)?(?:[(/]共?(\d+)层?\)?)?$")
_FLOOR_OF = re.compile(r"^(-?\d+)(?:层|楼)?(?:[(/]共?(\d+)层?\)?)?$")
# A bare 总价 under this is in 万元, as portals write it (198 → 198万); from it on, in yuan.
TOTAL_IN_WAN_BELOW = Decimal(100_000)
# How far a file's 单价 may be from 总价 ÷ 面积: portals round the 总价 to the 万 and the 单价 to the yuan.
UNIT_PRICE_TOLERANCE = Decimal("0.02")


@dataclass(frozen=True)
class FloorReading:
    """A 楼层 cell: the floor (``None`` when only its band is known), the band, the building's height."""

    floor: int | None
    band: str
    total_floors: int | None


def parse_floor(text: str) -> FloorReading:
    """``12`` / ``12/18`` → floor 12; ``中楼层(共18层)`` / ``高楼层/32`` → the band and the height."""
    value = unicodedata.normalize("NFKC", text).replace(" ", "").replace("（", "(").replace("）", ")")
    match = _FLOOR_OF.match(value)
    if match:
        return FloorReading(int(match[1]), "", int(match[2]) if match[2] else None)
    match = _FLOOR_BAND.match(value)
    if match:
        return FloorReading(None, _BANDS[match[1]], int(match[2]) if match[2] else None)
    raise CellError(
        _("楼层“%(value)s”应为楼层数（如 12 或 12/18）或楼层段（如 中楼层(共18层)、高楼层/32）")
        % {"value": text}
    )


def parse_total_price(text: str, label: str) -> Decimal:
    """A portal's 总价: ``198万`` is 1,980,000 yuan, and so is a bare ``198`` (portals give 总价 in
    万元); a bare number from ``TOTAL_IN_WAN_BELOW`` on is in yuan (``1980000``)."""
    amount = parse_money(text, label)
    if "万" in text or amount >= TOTAL_IN_WAN_BELOW:
        return amount
    return parse_money(text, label, wan=True)


def parse_unit_price(text: str, label: str) -> Decimal:
    """``13,452元/平``, ``13452元/㎡``, ``1.35万/平`` → yuan per ㎡."""
    value = unicodedata.normalize("NFKC", text).replace(" ", "")
    for suffix in ("/平方米", "/平米", "/平", "/㎡", "/m²", "/m2", "每平米", "每平"):
        value = value.removesuffix(suffix)
    return parse_money(value, label)


# Slotted: a file's 100,000 rows stay in memory between the checks and the write, and a row's
# instance dictionary alone cost more than its values.
@dataclass(frozen=True, slots=True)
class ParsedListing:
    community: str
    district: str
    business_area: str
    building: str | None  # None (with unit and room): the address is to be completed (地址待补全)
    unit: str | None
    room_number: str | None
    floor: int | None  # None: only the band is known
    floor_band: str
    total_floors: int
    rooms: int
    halls: int
    baths: int
    area: Decimal
    inner_area: Decimal | None
    orientation: str
    decoration: str
    kind: str
    price: Decimal
    status: str
    listed_on: dt.date
    build_year: int | None
    has_elevator: bool
    title_type: str
    mandate: str
    title: str
    highlights: str
    agent: str

    @property
    def address(self) -> tuple[str | None, str | None, str | None]:
        return (self.building, self.unit, self.room_number)

    @property
    def address_complete(self) -> bool:
        return self.building is not None


def parse_layout(text: str) -> tuple[int, int, int]:
    """``3室2厅1卫`` (or ``3房2厅1厨1卫``, ``三室两厅一卫``) → (3, 2, 1)."""
    value = unicodedata.normalize("NFKC", text).replace(" ", "")
    value = "".join(str(_NUMERALS[ch]) if ch in _NUMERALS else ch for ch in value)
    match = _LAYOUT.match(value)
    if not match:
        raise CellError(_("户型“%(value)s”应为“3室2厅1卫”格式") % {"value": text})
    rooms, halls, baths = (int(g) for g in match.groups())
    return rooms, halls, baths  # their bounds are the flat checks


def _address_part(text: str, label: str, suffixes: tuple[str, ...], limit: int) -> str:
    """``３栋`` → ``3``: the address as written, without the words pages add back."""
    value = unicodedata.normalize("NFKC", text).replace(" ", "")
    for suffix in suffixes:
        if value.endswith(suffix) and len(value) > len(suffix):
            value = value.removesuffix(suffix)
            break
    return check_length(value, label, limit)


def field_labels() -> dict[str, str]:
    """Column names as error messages use them, in the active language (translated once per import)."""
    return {
        "community": _("小区"),
        "building": _("楼栋"),
        "unit": _("单元"),
        "room_number": _("门牌号"),
        "floor": _("所在楼层"),
        "total_floors": _("总楼层"),
        "unit_price": _("单价"),
        "layout": _("户型"),
        "area": _("面积"),
        "inner_area": _("套内面积"),
        "orientation": _("朝向"),
        "decoration": _("装修"),
        "kind": _("类型"),
        "price": _("价格"),
        "status": _("状态"),
        "listed_on": _("挂牌日期"),
        "build_year": _("建成年份"),
        "has_elevator": _("电梯"),
        "title_type": _("产权类型"),
        "mandate": _("委托方式"),
        "title": _("标题"),
    }


@dataclass(frozen=True)
class _Field:
    key: str
    parse: Callable[[str], Any]
    required: str | None = None  # the label to name when the cell is empty
    default: Any = None


def row_fields(*, today: dt.date, labels: dict[str, str]) -> tuple[_Field, ...]:
    """How each cell is read: built once per file, so a row costs no translation and no closures."""
    L = labels
    return (
        _Field("community", lambda t: check_length(t, L["community"], 60), L["community"]),
        _Field("district", str, default=""),
        _Field("business_area", lambda t: check_length(t.replace(" ", ""), _("板块"), 30), default=""),
        _Field("building", lambda t: _address_part(t, L["building"], ("号楼", "栋", "幢"), 20)),
        _Field("unit", lambda t: _address_part(t, L["unit"], ("单元",), 10), default=""),
        _Field("room_number", lambda t: _address_part(t, L["room_number"], ("室", "号"), 20)),
        _Field("floor", parse_floor, L["floor"]),
        _Field("total_floors", lambda t: parse_int(t, L["total_floors"])),
        _Field("layout", parse_layout, L["layout"]),
        _Field("area", lambda t: parse_area(t, L["area"]), L["area"]),
        _Field("inner_area", lambda t: parse_area(t, L["inner_area"])),
        _Field("orientation", lambda t: parse_choice(t, L["orientation"], ORIENTATIONS), L["orientation"]),
        _Field("decoration", lambda t: parse_choice(t, L["decoration"], DECORATIONS), L["decoration"]),
        _Field("kind", lambda t: parse_choice(t, L["kind"], KINDS), default=ListingKind.SALE.value),
        _Field("price", lambda t: parse_money(t, L["price"])),
        _Field("price_wan", lambda t: parse_money(t, L["price"], wan=True)),
        _Field("price_total", lambda t: parse_total_price(t, L["price"])),
        _Field("unit_price", lambda t: parse_unit_price(t, L["unit_price"])),
        _Field(
            "status", lambda t: parse_choice(t, L["status"], STATUSES), default=ListingStatus.ACTIVE.value
        ),
        _Field("listed_on", lambda t: parse_date(t, L["listed_on"]), default=today),
        _Field("build_year", lambda t: parse_build_year(t, L["build_year"])),
        _Field("has_elevator", lambda t: parse_bool(t, L["has_elevator"]), default=False),
        _Field(
            "title_type",
            lambda t: parse_choice(t, L["title_type"], TITLE_TYPES),
            default=TitleType.COMMODITY.value,
        ),
        _Field("mandate", lambda t: parse_choice(t, L["mandate"], MANDATES), default=Mandate.GENERAL.value),
        _Field("title", lambda t: check_length(t, L["title"], 100), default=""),
        _Field("highlights", str, default=""),
        _Field("agent", str, default=""),
    )


def _read_district_cell(values: dict[str, Any]) -> None:
    """A portal's 区域 ``洪山-光谷`` gives the district and the 板块 when no 板块 column does."""
    district = values["district"] or ""
    if not values["business_area"]:
        district, values["business_area"] = split_area(district)
    values["district"] = district


def _read_floor(values: dict[str, Any], errors: list[str]) -> tuple[int | None, int | None]:
    """The floor (or its band) and the building's height, from the 楼层 cell and the 总楼层 column."""
    reading, column_total = values["floor"], values["total_floors"]
    values["floor"], values["floor_band"] = None, ""
    if not isinstance(reading, FloorReading):
        return None, column_total if isinstance(column_total, int) else None
    total = column_total if isinstance(column_total, int) else reading.total_floors
    if (
        isinstance(column_total, int)
        and reading.total_floors is not None
        and column_total != reading.total_floors
    ):
        errors.append(
            _("楼层写着共 %(cell)d 层，总楼层却是 %(column)d 层")
            % {"cell": reading.total_floors, "column": column_total}
        )
    elif total is None and column_total is None:
        errors.append(_("%(label)s不能为空") % {"label": _("总楼层")})
    values["floor"], values["floor_band"], values["total_floors"] = reading.floor, reading.band, total
    return reading.floor, total


def _read_address(values: dict[str, Any], errors: list[str]) -> None:
    """A whole address (building and room), or none at all (地址待补全): never half of one."""
    building, unit, room = values["building"], values["unit"] or "", values["room_number"]
    if not building and not room and not unit:
        values["building"] = values["unit"] = values["room_number"] = None
        return
    if not building or not room:
        missing = _("楼栋") if not building else _("门牌号")
        errors.append(_("%(label)s不能为空（楼栋和门牌号都不填时，地址标为待补全）") % {"label": missing})
    elif values["floor"] is None and values["floor_band"]:
        errors.append(_("填写了楼栋和门牌号时，所在楼层应为具体楼层（如 12），而不是楼层段"))


def parse_row(
    raw: dict[str, str], *, today: dt.date | None = None, fields: Sequence[_Field] | None = None
) -> ParsedListing | list[str]:
    """One listing from one row's cells, or every reason the row is bad (no database).

    ``fields`` (from ``row_fields()``) is built once per file; without it, once per call.
    """
    today = today or timezone.localdate()
    fields = fields or row_fields(today=today, labels=field_labels())
    errors: list[str] = []
    values: dict[str, Any] = {}
    for field in fields:
        text = raw.get(field.key, "")
        if not text:
            if field.required:
                errors.append(_("%(label)s不能为空") % {"label": field.required})
            values[field.key] = field.default
            continue
        try:
            values[field.key] = field.parse(text)
        except CellError as exc:
            errors.append(str(exc))
            values[field.key] = None
    if not raw.get("price") and not raw.get("price_wan") and not raw.get("price_total"):
        errors.append(_("%(label)s不能为空") % {"label": _("价格")})
    area, inner_area, kind = values["area"], values["inner_area"], values["kind"]
    status, listed_on, build_year = values["status"], values["listed_on"], values["build_year"]
    layout = values["layout"]
    price = next((values[key] for key in ("price", "price_wan", "price_total") if raw.get(key)), None)
    if kind == ListingKind.RENT and not raw.get("price") and not raw.get("price_wan") and price is not None:
        price = parse_money(raw["price_total"], _("价格"))  # a rent's 总价 is the monthly rent, in yuan
    stated_unit_price = values.pop("unit_price")
    for key in ("price", "price_wan", "price_total"):
        values.pop(key)
    _read_district_cell(values)
    floor, total_floors = _read_floor(values, errors)
    _read_address(values, errors)

    # Rules between cells, once each cell on its own is fine: the flat's as the services check them.
    rooms, halls, baths = layout if isinstance(layout, tuple) else (None, None, None)
    errors.extend(
        problem.message.rstrip("。")
        for problem in flat_problems(
            floor=floor if isinstance(floor, int) else None,
            total_floors=total_floors if isinstance(total_floors, int) else None,
            area=area if isinstance(area, Decimal) else None,
            inner_area=inner_area if isinstance(inner_area, Decimal) else None,
            build_year=build_year if isinstance(build_year, int) else None,
            rooms=rooms,
            halls=halls,
            baths=baths,
            today=today,
        )
    )
    if isinstance(price, Decimal):
        if price <= 0:
            errors.append(_("价格必须大于 0"))
        elif price > MAX_PRICE:
            errors.append(_("价格超出范围"))
        elif isinstance(area, Decimal) and area > 0:
            per_area = price / area
            if per_area > MAX_UNIT_PRICE:
                errors.append(_("单价超出范围，请核对价格和面积"))
            elif kind == ListingKind.SALE and per_area < MIN_SALE_UNIT_PRICE:
                errors.append(
                    _("售价 %(price)s 元只合每平方米 %(unit)s 元，是否漏写了“万”？")
                    % {"price": price, "unit": per_area.quantize(FEN)}
                )
            elif (
                # The 单价 is checked, not stored: the listing's is 总价 ÷ 面积. One that disagrees
                # means a shifted column or a wrong figure.
                isinstance(stated_unit_price, Decimal)
                and abs(stated_unit_price - per_area) > per_area * UNIT_PRICE_TOLERANCE
            ):
                errors.append(
                    _("单价 %(stated)s 元/㎡ 与总价÷面积（%(computed)s 元/㎡）不符，请核对")
                    % {
                        "stated": f"{stated_unit_price.normalize():f}",
                        "computed": per_area.quantize(Decimal(1)),
                    }
                )
    if isinstance(listed_on, dt.date) and listed_on > today:
        errors.append(_("挂牌日期不能晚于今天"))
    if kind and status and (kind, status) in {("sale", "rented"), ("rent", "sold")}:
        errors.append(
            _("%(kind)s房源的状态不能是“%(status)s”")
            % {"kind": ListingKind(kind).label, "status": ListingStatus(status).label}
        )
    if errors:
        return errors
    rooms, halls, baths = layout
    values.pop("layout")
    values["price"] = price
    for key in REPEATED_CELLS:  # one string for a file's thousands of 碧桂园 and 南北, not one a row
        if isinstance(values.get(key), str):
            values[key] = sys.intern(values[key])
    return ParsedListing(rooms=rooms, halls=halls, baths=baths, **values)


# The cells whose few values repeat down a file (held once each, see ``parse_row``).
REPEATED_CELLS = (
    "community",
    "district",
    "business_area",
    "building",
    "unit",
    "floor_band",
    "orientation",
    "decoration",
    "kind",
    "status",
    "title_type",
    "mandate",
    "agent",
)


PROPERTY_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "company_id",
    "community_id",
    "building",
    "unit",
    "room_number",
    "floor",
    "floor_band",
    "total_floors",
    "area",
    "inner_area",
    "rooms",
    "halls",
    "baths",
    "orientation",
    "decoration",
    "build_year",
    "has_elevator",
    "title_type",
)
LISTING_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "company_id",
    "property_id",
    "kind",
    "status",
    "price",
    "unit_price",
    "agent_id",
    "store_id",
    "district_id",
    "community_id",
    "rooms",
    "area",
    "listed_on",
    "title",
    "mandate",
    "highlights",
)
# Facts of a flat that a new listing of it restates (and so updates, as entry through the page does).
PROPERTY_FACTS = (
    "floor",
    "floor_band",
    "total_floors",
    "area",
    "inner_area",
    "rooms",
    "halls",
    "baths",
    "orientation",
    "decoration",
    "build_year",
    "has_elevator",
    "title_type",
)


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").lower()


class ListingImport(RowImport[ParsedListing]):
    kind = "listings"
    columns = COLUMNS
    multiline = frozenset({"highlights"})
    # ``--create-communities``: a community the dictionary lacks is created (with its 板块) from the
    # row's 小区, 区县 and 板块, when it looks like no community on file.
    create_communities: ClassVar[bool] = False

    @classmethod
    def with_options(cls, *, create_communities: bool = False) -> type[ListingImport]:
        return type(cls.__name__, (cls,), {"create_communities": create_communities})

    value_choices = {
        "orientation": ORIENTATIONS,
        "decoration": DECORATIONS,
        "kind": KINDS,
        "status": STATUSES,
        "title_type": TITLE_TYPES,
        "mandate": MANDATES,
    }
    readers = {
        "layout": lambda row: f"{row.rooms}室{row.halls}厅{row.baths}卫",
        "price_wan": lambda row: row.price,
    }

    def __init__(self, *, importer: Agent, source_name: str, keys: Sequence[str]) -> None:
        super().__init__(importer=importer, source_name=source_name, keys=keys)
        self.today = timezone.localdate()
        self.fields = row_fields(today=self.today, labels=field_labels())
        self.finder: _CommunityFinder | None = None
        self.community_of: dict[int, Community] = {}
        self.agent_of: dict[int, Agent] = {}
        self.property_of: dict[int, int] = {}  # line → id of a flat already in the dictionary
        self.planner: CommunityPlanner | None = None
        self.new_of: dict[int, int] = {}  # line → the line planning the community it creates
        self.new_by_name: dict[tuple[int, str], int | str] = {}  # (district, name) → plan line or refusal
        self.created: tuple[int, int, int] | None = None

    def check_columns(self) -> None:
        if not {"price", "price_wan", "price_total"} & self.keys:
            raise TabularError(_("缺少必需的列：挂牌价（元）、挂牌价（万元）或总价。"))

    def parse_row(self, raw: dict[str, str]) -> ParsedListing | list[str]:
        return parse_row(raw, today=self.today, fields=self.fields)

    def check(self, rows: list[tuple[int, ParsedListing]]) -> dict[int, list[str]]:
        errors: dict[int, list[str]] = {}

        def bad(line: int, reason: str) -> None:
            errors.setdefault(line, []).append(reason)

        resolver = OwnerResolver(self.importer)
        first_line: dict[tuple[int, str | None, str | None, str | None], int] = {}
        for line, row in rows:
            self._locate(line, row, first_line, bad)
            agent = resolver.resolve(row.agent)
            if agent is None:
                bad(line, _("您不属于任何门店，请在“经纪人账号”列填写房源归属的经纪人"))
            elif isinstance(agent, str):
                bad(line, agent)
            else:
                self.agent_of[line] = agent
        self._check_existing_flats(rows, errors)
        return errors

    def _locate(
        self,
        line: int,
        row: ParsedListing,
        first_line: dict[tuple[int, str | None, str | None, str | None], int],
        bad: Callable[[int, str], None],
    ) -> None:
        """The row's community (found, or planned with ``--create-communities``), and its address
        compared with the file's other rows (a planned community is keyed by its planning line)."""
        if self.create_communities and not self._finder().knows(row.community):
            planned = self._new_community(line, row)
            if isinstance(planned, str):
                bad(line, planned)
                return
            self.new_of[line] = planned
            place = -planned
        else:
            community = self._finder().find(row.community, row.district)
            if isinstance(community, str):
                bad(line, community)
                return
            self.community_of[line] = community
            place = community.pk
        if not row.address_complete:
            return  # 地址待补全: nothing to compare until the address is completed
        address = (place, *row.address)
        if address in first_line:
            bad(line, _("与第 %(line)d 行是同一套房屋") % {"line": first_line[address]})
        else:
            first_line[address] = line

    def recheck(self, rows: list[tuple[int, ParsedListing]]) -> dict[int, list[str]]:
        """A flat this file was to add that someone else added meanwhile is named too."""
        added = {line for line, _row in rows if line not in self.property_of}
        errors = self.check(rows)
        for line in sorted(added & set(self.property_of)):
            errors.setdefault(line, []).append(
                _("该房屋刚被他人录入（房屋编号 %(id)d），请重新导入") % {"id": self.property_of[line]}
            )
        return errors

    def check_unparsed(self, rows: list[tuple[int, dict[str, str]]]) -> dict[int, list[str]]:
        """The community of a row that did not parse is looked up too: one pass, every problem."""
        errors: dict[int, list[str]] = {}
        for line, raw in rows:
            name = raw.get("community", "")
            if name and not (self.create_communities and not self._finder().knows(name)):
                found = self._finder().find(name, split_area(raw.get("district", ""))[0])
                if isinstance(found, str):
                    errors[line] = [found]
        return errors

    def _new_community(self, line: int, row: ParsedListing) -> int | str:
        """The line of the row planning this row's new community, or why it cannot be created."""
        if self.planner is None:
            self.planner = CommunityPlanner(self.importer)
        missing = _("小区“%(name)s”不在楼盘字典中") % {"name": row.community}
        if not row.district:
            return _("%(missing)s；要新建它，请填写区县") % {"missing": missing}
        district = self.planner.places.district(row.district)
        if isinstance(district, str):
            return district
        if not row.business_area:
            return _("%(missing)s；要新建它，须有板块（如“区域”列写“洪山-光谷”）") % {"missing": missing}
        key = (district.pk, name_key(row.community))
        if key not in self.new_by_name:
            refused = self.planner.plan(
                Planned(line=line, name=row.community, district=district, business_area=row.business_area),
                on_similar=REPORT,
                advice=_("如是同一小区，请先把“%(name)s”添加为它的别名") % {"name": row.community},
            )
            self.new_by_name[key] = (
                _("%(missing)s，没有新建：%(why)s") % {"missing": missing, "why": refused}
                if refused
                else line
            )
        return self.new_by_name[key]

    def notes(self) -> list[str]:
        if self.created is not None:
            return created_notes(*self.created, planned=False)
        if self.planner is None:
            return []
        return created_notes(len(self.planner.plans), len(self.planner.places.new_areas), 0, planned=True)

    def _finder(self) -> _CommunityFinder:
        if self.finder is None:
            self.finder = _CommunityFinder(self.importer)
        return self.finder

    def _check_existing_flats(
        self, rows: list[tuple[int, ParsedListing]], errors: dict[int, list[str]]
    ) -> None:
        """Flats already in the dictionary are reused; one on the market with the same kind is refused."""
        located = [(line, row) for line, row in rows if line in self.community_of]
        keys = {
            line: (self.community_of[line].pk, *row.address)
            for line, row in located
            if row.address_complete  # 地址待补全: no duplicate of another until completed
        }
        existing = flats_by_address(self.importer.company_id, set(keys.values()))
        for line, key in keys.items():
            pk = existing.get(key)
            if pk is not None:
                self.property_of[line] = pk
        on_market: dict[tuple[int, str], Listing] = {}
        for batch in lookup_batches(list(set(self.property_of.values()))):
            in_play = Listing.objects.filter(property_id__any=batch, status__in=IN_PLAY).select_related(
                "agent"
            )
            on_market.update({(listing.property_id, listing.kind): listing for listing in in_play})
        for line, row in located:
            listing = on_market.get((self.property_of.get(line, 0), row.kind))
            if listing is not None:
                errors.setdefault(line, []).append(
                    _("该房屋已有%(kind)s房源在市场上（编号 %(id)d，%(agent)s，%(status)s）")
                    % {
                        "kind": listing.get_kind_display(),
                        "id": listing.pk,
                        "agent": listing.agent.name,
                        "status": listing.get_status_display(),
                    }
                )

    def write(self, rows: list[tuple[int, ParsedListing]], advance: Callable[[int], None]) -> int:
        now = timezone.now()
        company_id = self.importer.company_id
        properties = TableWriter(Property, PROPERTY_COLUMNS)
        listings = TableWriter(Listing, LISTING_COLUMNS)
        if self.planner is not None:
            self.created = self.planner.create(
                {self.new_of[line] for line, _row in rows if line in self.new_of}
            )
            for line, _row in rows:
                if line in self.new_of:
                    created = self.planner.community_of(self.new_of[line])
                    assert created is not None  # noqa: S101 - just created
                    self.community_of[line] = created
        reused = [(line, row) for line, row in rows if line in self.property_of]
        if reused:
            self._restate_facts(reused)
        written = 0
        new_ids: list[int] = []
        for batch in chunks(rows, WRITE_BATCH):
            fresh = [(line, row) for line, row in batch if line not in self.property_of]
            property_ids = dict(
                zip((line for line, _row in fresh), reserve_ids(Property, len(fresh)), strict=True)
            )
            listing_ids = reserve_ids(Listing, len(batch))
            property_rows = []
            listing_rows = []
            for listing_id, (line, row) in zip(listing_ids, batch, strict=True):
                community = self.community_of[line]
                agent = self.agent_of[line]
                property_id = self.property_of.get(line) or property_ids[line]
                if line in property_ids:
                    property_rows.append(
                        (
                            property_id,
                            now,
                            now,
                            company_id,
                            community.pk,
                            *row.address,
                            *(getattr(row, name) for name in PROPERTY_FACTS),
                        )
                    )
                listing_rows.append(
                    (
                        listing_id,
                        now,
                        now,
                        company_id,
                        property_id,
                        row.kind,
                        row.status,
                        row.price,
                        unit_price(row.price, row.area),
                        agent.pk,
                        agent.store_id,
                        community.district_id,
                        community.pk,
                        row.rooms,
                        row.area,
                        row.listed_on,
                        row.title,
                        row.mandate,
                        row.highlights,
                    )
                )
            properties.write(property_rows)
            listings.write(listing_rows)
            new_ids += listing_ids
            written += len(batch)
            advance(len(batch))
        # Once for the whole file: new listings are news; the reused flats' other listings read
        # their restated facts again.
        announce(ListingsChanged(company_id=company_id, listing_ids=tuple(new_ids), news=True))
        if reused:
            imported = set(new_ids)
            flats = sorted({self.property_of[line] for line, _row in reused})
            others = [
                pk
                for batch in lookup_batches(flats)
                for pk in Listing.objects.filter(property_id__any=batch).values_list("pk", flat=True)
                if pk not in imported
            ]
            announce(ListingsChanged(company_id=company_id, listing_ids=tuple(sorted(others))))
        return written

    def _restate_facts(self, rows: list[tuple[int, ParsedListing]]) -> None:
        ids = [self.property_of[line] for line, _row in rows]
        flats = {
            flat.pk: flat for batch in lookup_batches(ids) for flat in Property.objects.filter(pk__any=batch)
        }
        now = timezone.now()
        for line, row in rows:
            flat = flats[self.property_of[line]]
            for name in PROPERTY_FACTS:
                setattr(flat, name, getattr(row, name))
            flat.updated_at = now
        Property.objects.bulk_update(list(flats.values()), [*PROPERTY_FACTS, "updated_at"], batch_size=500)


# Addresses looked up per statement: four parameters each, well under SQLite's limit. On
# PostgreSQL the addresses go as four arrays, whatever their number.
ADDRESS_CHUNK = 2000
Address = tuple[int, Any, Any, Any]  # community id, building, unit, room number


def flats_by_address(company_id: int, addresses: set[Address]) -> dict[Address, int]:
    """The ids of the company's flats at these exact addresses (community, building, unit, room).

    Set-based on the whole key, as the one-record-per-address constraint's index has it, so that
    the flats fetched are the ones asked about and no others, however many the company holds.
    """
    if not addresses:
        return {}
    if connection.vendor == "postgresql":
        return _flats_by_address_arrays(company_id, addresses)
    found: dict[Address, int] = {}
    table = Property._meta.db_table
    with connection.cursor() as cursor:
        for chunk in chunks(list(addresses), ADDRESS_CHUNK):
            tuples = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            # The addresses drive the join (SQLite keeps CROSS JOIN's order): one index search each.
            # A row-value IN would search the index by company alone and scan all its flats.
            cursor.execute(
                f"WITH k (c, b, u, r) AS (VALUES {tuples}) "  # noqa: S608
                f"SELECT p.id, p.community_id, p.building, p.unit, p.room_number FROM k CROSS JOIN {table} p "
                "WHERE p.company_id = %s AND p.community_id = k.c AND p.building = k.b AND p.unit = k.u "
                "AND p.room_number = k.r",
                [*(part for address in chunk for part in address), company_id],
            )
            found.update({(c, b, u, r): pk for pk, c, b, u, r in cursor.fetchall()})
    return found


def _flats_by_address_arrays(company_id: int, addresses: set[Address]) -> dict[Address, int]:
    """``flats_by_address`` on PostgreSQL: the addresses as four array parameters, unnested into
    rows, one statement for them all (thousands of placeholders cost more to bind on the client
    than the query costs the server). Each address is one search of the unique address index: the
    ``LIMIT 1`` (one flat per address, the constraint says) keeps the subquery per address, where a
    plain join of many addresses is planned as a sort of all the company's flats."""
    communities, buildings, units, rooms = (list(part) for part in zip(*addresses, strict=True))
    table = Property._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, k.c, k.b, k.u, k.r "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS k (c, b, u, r) "
            f"CROSS JOIN LATERAL (SELECT id FROM {table} WHERE company_id = %s AND community_id = k.c "
            "AND building = k.b AND unit = k.u AND room_number = k.r LIMIT 1) p",
            [communities, buildings, units, rooms, company_id],
        )
        return {(c, b, u, r): pk for pk, c, b, u, r in cursor.fetchall()}


class _CommunityFinder:
    """Communities of the importer's company by name or alias, narrowed by district when given."""

    def __init__(self, importer: Agent) -> None:
        communities = list(in_company(Community.objects.select_related("district"), importer))
        by_id = {c.pk: c for c in communities}
        self.by_name: dict[str, list[Community]] = {}
        for community in communities:
            self.by_name.setdefault(_key(community.name), []).append(community)
        aliases = CommunityAlias.objects.filter(community__company_id=importer.company_id).values_list(
            "name", "community_id"
        )
        for name, community_id in aliases:
            matches = self.by_name.setdefault(_key(name), [])
            if by_id[community_id] not in matches:
                matches.append(by_id[community_id])
        city_name = (importer.company.city or "").strip().removesuffix("市")
        city = City.objects.filter(name=city_name).first() if city_name else None
        districts = District.objects.filter(pk__in={c.district_id for c in communities})
        if city is not None:
            districts = districts | District.objects.filter(city=city)
        self.districts: dict[str, list[District]] = {}
        for district in districts:
            names = {district.name, district.name.removesuffix("区").removesuffix("县").removesuffix("市")}
            for name in names:
                if name:
                    self.districts.setdefault(_key(name), []).append(district)

    def knows(self, name: str) -> bool:
        """Whether the dictionary has a community of this name or alias (in any district)."""
        return _key(name) in self.by_name

    def find(self, name: str, district_name: str) -> Community | str:
        candidates = self.by_name.get(_key(name), [])
        if district_name:
            districts = self.districts.get(_key(district_name))
            if not districts:
                return _("区县“%(district)s”不存在") % {"district": district_name}
            within = [c for c in candidates if c.district in districts]
            if not within and candidates:
                return _("小区“%(name)s”不在%(district)s（楼盘字典中它在：%(where)s）") % {
                    "name": name,
                    "district": district_name,
                    "where": join_list(c.district.name for c in candidates),
                }
            candidates = within
        if not candidates:
            return _("小区“%(name)s”不在本公司的楼盘字典中，请先添加该小区或检查名称") % {"name": name}
        if len(candidates) > 1:
            return _("小区“%(name)s”在多个区县都有（%(where)s），请填写“区县”列") % {
                "name": name,
                "where": join_list(c.district.name for c in candidates),
            }
        return candidates[0]


def listings_import(
    *,
    importer: Agent,
    source: str | Path | IO[bytes],
    filename: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    create_communities: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import listings from a CSV or XLSX file as ``importer``: all rows or none (or the good ones
    with ``skip_bad``); ``dry_run`` only checks; ``create_communities`` creates the communities
    (and 板块) the rows name that the dictionary lacks."""
    return import_file(
        handler_class=ListingImport.with_options(create_communities=create_communities),
        importer=importer,
        source=source,
        filename=filename,
        mapping=mapping,
        dry_run=dry_run,
        skip_bad=skip_bad,
        progress=progress,
    )
