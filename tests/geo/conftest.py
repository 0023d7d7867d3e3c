"""The building dictionary's world: 武汉, two districts with their 板块, and one company's communities."""

from __future__ import annotations

from decimal import Decimal

import pytest

# The browser fixtures, for test_browser.py.
from tests.e2e.conftest import browser, phone, requested_urls  # noqa: F401
from tests.factories import BusinessAreaFactory, CityFactory, CommunityFactory, DistrictFactory

# 光谷广场 as Chinese maps show it; offsets below are measured from here.
GUANGGU = (Decimal("30.507560"), Decimal("114.398107"))
METRES_PER_MILLIDEGREE_LAT = 111.195  # 0.001° of latitude, anywhere


def north_of(point: tuple[Decimal, Decimal], metres: float) -> tuple[Decimal, Decimal]:
    offset = Decimal(f"{metres / METRES_PER_MILLIDEGREE_LAT / 1000:.6f}")
    return point[0] + offset, point[1]


def at(point: tuple[Decimal, Decimal]) -> dict[str, Decimal]:
    return {"latitude": point[0], "longitude": point[1]}


@pytest.fixture
def wuhan(db):
    return CityFactory(name="武汉", code="420100")


@pytest.fixture
def hongshan(wuhan):
    return DistrictFactory(city=wuhan, name="洪山区", code="420111")


@pytest.fixture
def wuchang(wuhan):
    return DistrictFactory(city=wuhan, name="武昌区", code="420106")


@pytest.fixture
def guanggu(hongshan):
    return BusinessAreaFactory(district=hongshan, name="光谷")


@pytest.fixture
def jiedaokou(hongshan):
    return BusinessAreaFactory(district=hongshan, name="街道口")


@pytest.fixture
def zhongbeilu(wuchang):
    return BusinessAreaFactory(district=wuchang, name="中北路")


@pytest.fixture
def vanke(company, guanggu):
    """万科城市花园 in 光谷, on file at the viewer's company."""
    return CommunityFactory(
        company=company,
        business_area=guanggu,
        name="万科城市花园",
        latitude=GUANGGU[0],
        longitude=GUANGGU[1],
        build_year=2012,
        property_fee=Decimal("2.50"),
    )
