"""How people read money, dates and areas: ¥1,234,567.00, 2026年11月29日, 89.50㎡."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from anju.core.formats import (
    format_area,
    format_date,
    format_datetime,
    format_money,
    format_wan,
    join_list,
    mask_mobile,
    to_fen,
)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1234567"), "¥1,234,567.00"),
        (Decimal("0.005"), "¥0.01"),
        (Decimal("0.004"), "¥0.00"),
        (Decimal("-87378.645"), "-¥87,378.65"),
        ("80", "¥80.00"),
        (None, "—"),
    ],
)
def test_money_is_shown_with_symbol_separators_and_fen(amount, shown):
    assert format_money(amount) == shown


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False))
def test_rounding_to_the_fen_is_half_up_and_never_more_than_half_a_fen_off(amount):
    rounded = to_fen(amount)
    assert abs(rounded - amount) <= Decimal("0.005")
    assert rounded.as_tuple().exponent == -2


def test_prices_in_wan_as_agents_say_them():
    assert format_wan(Decimal("3200000")) == "320万"
    assert format_wan(Decimal("12855000")) == "1,285.5万"
    assert format_wan(Decimal("899999")) == "90万"


def test_dates_are_written_the_chinese_way():
    assert format_date(dt.date(2026, 11, 29)) == "2026年11月29日"
    assert format_date(dt.date(2027, 1, 5)) == "2027年1月5日"


def test_datetimes_are_shown_in_beijing_time():
    # 2026-11-29 17:30 UTC is already the 30th in Shanghai
    utc = dt.datetime(2026, 11, 29, 17, 30, tzinfo=ZoneInfo("UTC"))
    assert format_datetime(utc) == "2026年11月30日 01:30"
    assert format_date(utc) == "2026年11月30日"


def test_areas_in_square_metres():
    assert format_area(Decimal("89.5")) == "89.50㎡"
    assert format_area(Decimal("1234")) == "1,234.00㎡"


def test_mobile_masking_keeps_first_three_and_last_four():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("123") == "***"


def test_lists_read_with_the_enumeration_comma_in_chinese_and_commas_in_english():
    assert join_list(["南", "东南", 3]) == "南、东南、3"
    with translation.override("en"):
        assert join_list(["S", "SE", 3]) == "S, SE, 3"


def test_unit_prices_are_read_to_the_yuan_and_rents_without_empty_fen():
    # given / when / then
    from anju.core.formats import format_rent, format_unit_price

    assert format_unit_price(Decimal("27442.86")) == "27,443元/㎡"
    assert format_rent(Decimal("3400.00")) == "3,400元/月"
    assert format_rent(Decimal("2850.50")) == "2,850.50元/月"
    assert format_rent(None) == format_unit_price(None) == "—"
