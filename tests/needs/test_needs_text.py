"""A need in one line, as agents say it; built from unsaved needs, so no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anju.geo.models import Community
from anju.listings.models import Property
from anju.needs.models import Need
from anju.needs.text import area_range, count_range, monthly_range, need_summary, places, wan_range


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        (Decimal("2500000"), Decimal("3200000"), "250–320万"),
        (Decimal("2855000"), Decimal("3200000"), "285.5–320万"),
        (None, Decimal("3200000"), "320万以内"),
        (Decimal("2500000"), None, "250万以上"),
        (Decimal("3000000"), Decimal("3000000"), "300万"),
        (None, None, ""),
    ],
)
def test_total_prices_read_in_wan(low, high, shown):
    assert wan_range(low, high) == shown


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        (Decimal("3000"), Decimal("4500"), "3,000–4,500元/月"),
        (None, Decimal("4500"), "4,500元/月以内"),
        (Decimal("3000"), None, "3,000元/月以上"),
        (Decimal("4500.50"), Decimal("4500.50"), "4,500.50元/月"),
    ],
)
def test_rents_read_in_yuan_per_month(low, high, shown):
    assert monthly_range(low, high) == shown


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [(3, 3, "3室"), (2, 3, "2–3室"), (3, None, "3室及以上"), (None, 2, "最多2室"), (None, None, "")],
)
def test_room_counts(low, high, shown):
    assert count_range(low, high, "室") == shown


def test_areas_drop_needless_fractions():
    assert area_range(Decimal("80"), Decimal("100.50")) == "80–100.50㎡"
    assert area_range(Decimal("90"), None) == "90㎡以上"


def test_more_than_three_places_are_counted():
    assert places(["洪山区", "武昌区"]) == "洪山区/武昌区"
    assert places(["洪山区", "武昌区", "江岸区", "江汉区", "硚口区"]) == "洪山区/武昌区/江岸区等5处"


def test_buy_summary_reads_like_an_agent_says_it():
    # given
    need = Need(
        kind="buy",
        budget_min=Decimal("2500000"),
        budget_max=Decimal("3200000"),
        rooms_min=3,
        rooms_max=3,
        school_required=True,
        school_level="primary",
        elevator_required=True,
        orientations=["S", "SN"],
    )
    # when / then
    assert need_summary(need) == "购房 · 250–320万 · 3室 · 学区(小学) · 电梯 · 朝南/南北"


def test_rent_summary_says_monthly_rent_and_lease():
    need = Need(kind="rent", budget_max=Decimal("4500"), rooms_min=2, lease_months=12)
    assert need_summary(need) == "租房 · 4,500元/月以内 · 2室及以上 · 租期12个月"


def test_sell_summary_names_the_flat_and_the_expected_price():
    # given
    flat = Property(community=Community(name="万科城市花园"), building="3", unit="1", room_number="1201")
    need = Need(kind="sell", property=flat, expected_price=Decimal("3200000"))
    # when / then
    assert need_summary(need) == "售房 · 万科城市花园 3栋1单元1201 · 心理价位320万"


def test_let_summary_gives_the_monthly_rent():
    flat = Property(community=Community(name="保利花园"), building="2", unit="", room_number="502")
    need = Need(kind="let", property=flat, expected_price=Decimal("4500"))
    assert need_summary(need) == "出租 · 保利花园 2栋502 · 期望租金4,500元/月"


def test_a_need_with_nothing_stated_is_just_its_kind():
    assert need_summary(Need(kind="buy")) == "购房"


@pytest.mark.django_db
def test_saved_need_lists_its_districts_business_areas_and_communities():
    from tests.factories import (
        BusinessAreaFactory,
        ClientFactory,
        CommunityFactory,
        DistrictFactory,
        NeedFactory,
    )

    # given
    hongshan = DistrictFactory(name="洪山区")
    wuchang = DistrictFactory(name="武昌区")
    client = ClientFactory()
    need = NeedFactory(
        client=client,
        budget_min=None,
        budget_max=Decimal("3200000"),
        rooms_min=None,
        districts=[hongshan, wuchang],
        business_areas=[BusinessAreaFactory(name="光谷", district=hongshan)],
        communities=[CommunityFactory(company=client.company, name="万科城市花园")],
    )
    # when
    text = need_summary(need)
    # then
    assert text == "购房 · 320万以内 · 洪山区/武昌区/光谷等4处"
