"""What the import tests share: a building dictionary, and files built in memory."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from openpyxl import Workbook

from anju.geo.models import CommunityAlias
from tests.factories import BusinessAreaFactory, CommunityFactory, DistrictFactory

LISTING_HEADER = "小区,区县,楼栋,单元,门牌号,所在楼层,总楼层,户型,建筑面积,朝向,装修,挂牌价"
CLIENT_HEADER = "姓名,手机,性别,来源,备注"


def csv_file(lines: Sequence[str | bytes], encoding: str = "utf-8") -> io.BytesIO:
    """A CSV file from lines; a line given as bytes is taken as it is (a line in another encoding)."""
    raw = b"".join((line if isinstance(line, bytes) else line.encode(encoding)) + b"\r\n" for line in lines)
    return io.BytesIO(raw)


def xlsx_file(rows: Sequence[Sequence[object]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


@pytest.fixture
def hongshan(db):
    return DistrictFactory(name="洪山区", code="420111")


@pytest.fixture
def community(company, hongshan):
    """万科城市花园 in 洪山区, also known as 城市花园."""
    found = CommunityFactory(
        company=company,
        name="万科城市花园",
        business_area=BusinessAreaFactory(district=hongshan, name="光谷"),
    )
    CommunityAlias.objects.create(community=found, name="城市花园")
    return found


@pytest.fixture
def other_community(company):
    return CommunityFactory(company=company, name="保利城", business_area__district__name="江夏区")


def listing_line(
    community: str = "万科城市花园",
    room: str = "1502",
    *,
    district: str = "洪山区",
    area: str = "89.5",
    price: str = "320万",
    floor: str = "15",
    layout: str = "3室2厅1卫",
) -> str:
    return f"{community},{district},3栋,1,{room},{floor},18,{layout},{area},南北,精装,{price}"
