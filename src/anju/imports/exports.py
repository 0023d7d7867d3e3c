"""Exporting clients and listings to Excel (导出): what the viewer may see, nothing more.

Clients are those the viewer may see (the public pool and the private clients within their
scope); a phone number or an ID is in full only where the client list would show it in full
(``may_see_mobile``), masked everywhere else. Listings are shared across the company.

The workbook is written row by row (openpyxl's write-only mode), so a hundred thousand rows need
no more memory than ten. The headers are the ones the import understands, so an exported file
can be imported again — except masked numbers, which the import refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from anju.clients.models import Client, Gender, Source
from anju.clients.selectors import clients_visible, may_see_mobile
from anju.core.formats import mask_id_number, mask_mobile
from anju.core.tabular import FILE_LANGUAGE
from anju.listings.models import (
    Decoration,
    FloorBand,
    Listing,
    ListingKind,
    ListingStatus,
    Mandate,
    Orientation,
    TitleType,
)
from anju.listings.selectors import listings_visible
from anju.org.models import Agent

Progress = Callable[[int, int], None]
CHUNK = 2000

# The file is Chinese whatever language the interface speaks: these are the headers (and below,
# the values) that the import reads back.
CLIENT_HEADERS = (
    "姓名",
    "手机",
    "性别",
    "来源",
    "备用电话",
    "身份证号",
    "生日",
    "备注",
    "经纪人账号",
    "归属经纪人",
    "门店",
    "最近跟进",
    "录入时间",
)
LISTING_HEADERS = (
    "编号",
    "小区",
    "区县",
    "楼栋",
    "单元",
    "门牌号",
    "所在楼层",
    "总楼层",
    "户型",
    "建筑面积",
    "套内面积",
    "朝向",
    "装修",
    "类型",
    "挂牌价（元）",
    "单价（元/㎡）",
    "状态",
    "挂牌日期",
    "建成年份",
    "电梯",
    "产权类型",
    "委托方式",
    "标题",
    "房源亮点",
    "经纪人账号",
    "录入经纪人",
    "门店",
)


def _local(value: Any) -> Any:
    # Excel has no time zones: write the wall-clock time in Shanghai, without the zone.
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def _labels(choices: Any) -> dict[str, str]:
    # Looked up once per export: ``get_FOO_display`` translates lazily on every call.
    with translation.override(FILE_LANGUAGE):
        return {value: str(label) for value, label in choices.choices}


class _ClientRows:
    def __init__(self, viewer: Agent) -> None:
        self.viewer = viewer
        self.genders = _labels(Gender)
        self.sources = _labels(Source)
        self.pool = "公客"

    def row(self, client: Client) -> tuple[Any, ...]:
        full = may_see_mobile(self.viewer, client)
        owner = client.owner
        return (
            client.name,
            client.mobile if full else mask_mobile(client.mobile),
            self.genders.get(client.gender, "") if client.gender else "",
            self.sources.get(client.source, client.source),
            client.second_phone if full or not client.second_phone else mask_mobile(client.second_phone),
            client.id_number if full else mask_id_number(client.id_number),
            client.birthday,
            client.notes,
            owner.user.username if owner else "",
            owner.name if owner else self.pool,
            client.store.name if client.store else "",
            _local(client.last_contact_at),
            _local(client.created_at),
        )


class _ListingRows:
    def __init__(self) -> None:
        self.orientations = _labels(Orientation)
        self.decorations = _labels(Decoration)
        self.kinds = _labels(ListingKind)
        self.statuses = _labels(ListingStatus)
        self.title_types = _labels(TitleType)
        self.mandates = _labels(Mandate)
        self.yes, self.no = "是", "否"
        self.bands = _labels(FloorBand)

    def row(self, listing: Listing) -> tuple[Any, ...]:
        flat = listing.property
        return (
            listing.pk,
            listing.community.name,
            listing.district.name,
            flat.building,
            flat.unit,
            flat.room_number,
            # 地址待补全: the band (中楼层), which the import reads back; never an empty floor.
            flat.floor if flat.floor is not None else self.bands.get(flat.floor_band, ""),
            flat.total_floors,
            flat.layout,
            listing.area,
            flat.inner_area,
            self.orientations.get(flat.orientation, flat.orientation),
            self.decorations.get(flat.decoration, flat.decoration),
            self.kinds.get(listing.kind, listing.kind),
            listing.price,
            listing.unit_price,
            self.statuses.get(listing.status, listing.status),
            listing.listed_on,
            flat.build_year,
            self.yes if flat.has_elevator else self.no,
            self.title_types.get(flat.title_type, flat.title_type),
            self.mandates.get(listing.mandate, listing.mandate),
            listing.title,
            listing.highlights,
            listing.agent.user.username,
            listing.agent.name,
            listing.store.name,
        )


def _write(
    out: str | Path | IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    total: int,
    progress: Progress | None,
) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    sheet.append(list(headers))
    report = progress or (lambda done, total: None)
    report(0, total)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
        if count % CHUNK == 0:
            report(count, max(total, count))
    report(count, max(total, count))
    workbook.save(out)
    return count


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """Text is text: a name or a note starting with ``=`` must not become a formula in Excel.

    Characters a workbook cannot hold (control characters stored before they were refused) are
    left out, so that one old note never fails the whole export."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value[:1] in ("=", "+", "-", "@"):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def clients_export(*, viewer: Agent, out: str | Path | IO[bytes], progress: Progress | None = None) -> int:
    """Write the clients ``viewer`` may see to an XLSX workbook; the number of rows written."""
    clients = clients_visible(viewer).select_related("owner__user").order_by("-created_at", "-id")
    total = clients.count()
    convert = _ClientRows(viewer)
    rows = (convert.row(client) for client in clients.iterator(chunk_size=CHUNK))
    return _write(out, title="客户", headers=CLIENT_HEADERS, rows=rows, total=total, progress=progress)


def listings_export(*, viewer: Agent, out: str | Path | IO[bytes], progress: Progress | None = None) -> int:
    """Write the listings ``viewer`` may see to an XLSX workbook; the number of rows written."""
    listings = listings_visible(viewer).select_related("agent__user").order_by("-listed_on", "-id")
    total = listings.count()
    convert = _ListingRows()
    rows = (convert.row(listing) for listing in listings.iterator(chunk_size=CHUNK))
    return _write(out, title="房源", headers=LISTING_HEADERS, rows=rows, total=total, progress=progress)


def export_kind(kind: str) -> Callable[..., int]:
    return {"clients": clients_export, "listings": listings_export}[kind]
