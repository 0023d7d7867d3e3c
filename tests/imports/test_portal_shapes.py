"""Listing lists copied from the portals: each cell shape they use, read as it is meant."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anju.core.tabular import CellError
from anju.imports.listings import (
    FloorReading,
    listings_import,
    parse_build_year,
    parse_floor,
    parse_row,
    parse_total_price,
    parse_unit_price,
    split_area,
)
from anju.listings.models import Listing
from tests.imports.conftest import csv_file

TODAY = dt.date(2026, 12, 6)
PORTAL_HEADER = "小区,区域,户型,建筑面积,朝向,装修,楼层,建成年代,总价,单价"


@pytest.mark.parametrize(
    ("cell", "reading"),
    [
        ("中楼层(共18层)", FloorReading(None, "middle", 18)),
        ("高楼层（共32层）", FloorReading(None, "high", 32)),
        ("低楼层 (共6层)", FloorReading(None, "low", 6)),
        ("高楼层/32", FloorReading(None, "high", 32)),
        ("中楼层", FloorReading(None, "middle", None)),
        ("12", FloorReading(12, "", None)),
        ("12/18", FloorReading(12, "", 18)),
        ("12层/共18层", FloorReading(12, "", 18)),
        ("-1", FloorReading(-1, "", None)),
    ],
)
def test_floor_cells_give_the_floor_or_its_band_and_the_height(cell, reading):
    assert parse_floor(cell) == reading


@pytest.mark.parametrize("cell", ["顶层", "中间", "楼层(共18层)", "12楼18"])
def test_a_floor_cell_of_no_known_shape_is_refused_with_the_shapes_it_may_take(cell):
    with pytest.raises(CellError, match="中楼层"):
        parse_floor(cell)


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("洪山-光谷", ("洪山", "光谷")),
        ("洪山 - 光谷", ("洪山", "光谷")),
        ("江夏/藏龙岛", ("江夏", "藏龙岛")),
        ("洪山区", ("洪山区", "")),
    ],
)
def test_a_portal_area_cell_splits_into_district_and_business_area(cell, parts):
    assert split_area(cell) == parts


@pytest.mark.parametrize(
    ("cell", "yuan"),
    [("198万", "1980000"), ("198", "1980000"), ("198.5", "1985000"), ("1980000", "1980000")],
)
def test_a_total_price_is_in_wan_as_portals_write_it_unless_it_is_plainly_yuan(cell, yuan):
    assert parse_total_price(cell, "价格") == Decimal(yuan)


@pytest.mark.parametrize(
    ("cell", "yuan"), [("13,452元/平", "13452"), ("13452元/㎡", "13452"), ("1.35万/平", "13500")]
)
def test_a_unit_price_reads_with_its_unit(cell, yuan):
    assert parse_unit_price(cell, "单价") == Decimal(yuan)


@pytest.mark.parametrize(("cell", "year"), [("2005年建", 2005), ("2005年", 2005), ("2005", 2005)])
def test_a_build_year_reads_with_the_words_portals_add(cell, year):
    assert parse_build_year(cell, "建成年份") == year


def portal_row(**cells: str) -> dict[str, str]:
    row = {
        "community": "万科城市花园",
        "district": "洪山-光谷",
        "layout": "2室1厅1卫",
        "area": "89.5",
        "orientation": "南 北",
        "decoration": "其他",
        "floor": "中楼层(共18层)",
        "build_year": "2005年建",
        "price_total": "198",
        "unit_price": "22,123元/平",
    }
    row.update(cells)
    return row


def test_a_portal_row_gives_a_listing_with_its_address_to_complete_and_its_floor_as_a_band():
    # when
    parsed = parse_row(portal_row(), today=TODAY)
    # then
    assert not isinstance(parsed, list), parsed
    assert (parsed.district, parsed.business_area) == ("洪山", "光谷")
    assert parsed.address == (None, None, None)
    assert not parsed.address_complete
    assert (parsed.floor, parsed.floor_band, parsed.total_floors) == (None, "middle", 18)
    assert (parsed.rooms, parsed.halls, parsed.baths) == (2, 1, 1)
    assert (parsed.orientation, parsed.decoration, parsed.build_year) == ("SN", "other", 2005)
    assert parsed.price == Decimal("1980000")


@pytest.mark.parametrize(("cell", "code"), [("东南", "SE"), ("西北", "NW"), ("东北", "NE"), ("南", "S")])
def test_portal_orientations_read_including_north_west_and_north_east(cell, code):
    parsed = parse_row(portal_row(orientation=cell), today=TODAY)
    assert not isinstance(parsed, list), parsed
    assert parsed.orientation == code


def test_a_unit_price_that_disagrees_with_total_and_area_is_reported():
    # given: 198万 over 89.5㎡ is 22,123 元/㎡; a shifted column gives another figure
    # when
    right = parse_row(portal_row(unit_price="22,100元/平"), today=TODAY)
    wrong = parse_row(portal_row(unit_price="13,452元/平"), today=TODAY)
    # then
    assert not isinstance(right, list), right
    assert wrong == ["单价 13452 元/㎡ 与总价÷面积（22123 元/㎡）不符，请核对"]


def test_half_an_address_is_refused_never_completed_by_guess():
    # when
    parsed = parse_row(portal_row(building="3栋"), today=TODAY)
    # then
    assert parsed == ["门牌号不能为空（楼栋和门牌号都不填时，地址标为待补全）"]


def test_a_whole_address_needs_the_floor_itself_not_its_band():
    parsed = parse_row(portal_row(building="3", room_number="1502"), today=TODAY)
    assert parsed == ["填写了楼栋和门牌号时，所在楼层应为具体楼层（如 12），而不是楼层段"]
    exact = parse_row(portal_row(building="3", room_number="1502", floor="15/18"), today=TODAY)
    assert not isinstance(exact, list), exact
    assert exact.address == ("3", "", "1502")
    assert exact.floor == 15


def test_a_band_without_the_height_needs_the_total_floors_column():
    assert parse_row(portal_row(floor="高楼层"), today=TODAY) == ["总楼层不能为空"]
    parsed = parse_row(portal_row(floor="高楼层", total_floors="32"), today=TODAY)
    assert not isinstance(parsed, list), parsed
    assert (parsed.floor_band, parsed.total_floors) == ("high", 32)


def test_a_portal_file_comes_in_with_addresses_to_complete(agent, community):
    # given: two listings of the same community with no building or room: two flats, not duplicates
    file = csv_file(
        [
            PORTAL_HEADER,
            '万科城市花园,洪山-光谷,2室1厅1卫,89.5,南 北,其他,中楼层(共18层),2005年建,198万,"22,123元/平"',
            '万科城市花园,洪山-光谷,3室2厅1卫,120,东南,精装,高楼层/18,2005年建,260,"21,667元/平"',
        ]
    )
    # when
    result = listings_import(importer=agent, source=file, filename="链家.csv")
    # then
    assert result.bad_rows == []
    assert result.written == 2
    listings = list(Listing.objects.select_related("property").order_by("price"))
    assert [str(listing.property) for listing in listings] == ["万科城市花园 地址待补全"] * 2
    flat = listings[0].property
    assert (flat.building, flat.unit, flat.room_number, flat.floor) == (None, None, None, None)
    assert (flat.floor_band, flat.total_floors, flat.build_year) == ("middle", 18, 2005)
    assert not flat.address_complete
    assert [listing.price for listing in listings] == [Decimal("1980000.00"), Decimal("2600000.00")]
    assert listings[1].property.orientation == "SE"
