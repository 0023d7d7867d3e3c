"""The flat checks exist once: a listing entered and a listing imported are refused for the same
reasons, in the same words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from anju.core.errors import ApplicationError
from anju.imports.listings import parse_row
from anju.listings import services
from anju.listings.models import Listing
from tests.listings.conftest import flat

ROW = {
    "community": "万科城市花园",
    "building": "3",
    "room_number": "1201",
    "floor": "12",
    "total_floors": "32",
    "layout": "3室2厅1卫",
    "area": "89.5",
    "orientation": "南北",
    "decoration": "精装",
    "price_wan": "325",
}
NEXT_YEARS = timezone.localdate().year + 6


@pytest.mark.parametrize(
    ("entered", "imported", "message"),
    [
        ({"floor": -6}, {"floor": "-6"}, "所在楼层应在 -5 到 200 之间"),
        ({"floor": 0}, {"floor": "0"}, "所在楼层不能为 0（地下层请填负数）"),
        ({"floor": 33}, {"floor": "33"}, "所在楼层不能高于总楼层（33 层，总 32 层）"),
        (
            {"total_floors": 201, "floor": 1},
            {"total_floors": "201", "floor": "1"},
            "总楼层应在 1 到 200 之间",
        ),
        (
            {"area": Decimal("100000")},
            {"area": "100000", "price_wan": "325000"},
            "建筑面积 100000.00㎡ 超出范围",
        ),
        ({"inner_area": Decimal("95")}, {"inner_area": "95"}, "套内面积不能大于建筑面积"),
        ({"build_year": 1899}, {"build_year": "1899"}, "建成年份应在 1900 到"),
        ({"build_year": NEXT_YEARS}, {"build_year": str(NEXT_YEARS)}, "建成年份应在 1900 到"),
        ({"rooms": 21}, {"layout": "21室2厅1卫"}, "室应在 0 到 20 之间"),
        ({"baths": 11}, {"layout": "3室2厅11卫"}, "卫应在 0 到 10 之间"),
    ],
)
def test_a_flat_is_refused_alike_when_entered_and_when_imported(agent, community, entered, imported, message):
    # when
    with pytest.raises(ApplicationError) as refused:
        services.listing_create(agent=agent, community=community, **flat(**entered))
    reasons = parse_row(ROW | imported)
    # then
    assert refused.value.message.startswith(message)
    assert isinstance(reasons, list) and len(reasons) == 1
    assert reasons[0] == refused.value.message.rstrip("。")
    assert not Listing.objects.exists()


def test_the_ordinary_flat_passes_both(agent, community):
    # the positive control: the flat the cases above change is taken by both
    assert not isinstance(parse_row(ROW), list)
    assert services.listing_create(agent=agent, community=community, **flat()).pk
