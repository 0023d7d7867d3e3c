"""大写金额: amounts in Chinese capital numerals, by the People's Bank's rules for writing amounts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from anju.core.formats import amount_in_capitals

FIGURES = {figure: value for value, figure in enumerate("零壹贰叁肆伍陆柒捌玖")}
PLACES = {"拾": 10, "佰": 100, "仟": 1000}


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        ("1980000", "壹佰玖拾捌万元整"),
        ("100005.20", "壹拾万零伍元贰角"),
        ("0.05", "伍分"),
        ("0.01", "壹分"),
        ("0.10", "壹角"),
        ("0.35", "叁角伍分"),
        ("10", "壹拾元整"),
        ("15", "壹拾伍元整"),
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("1000000000.00", "壹拾亿元整"),
        ("100000000", "壹亿元整"),
        ("100001000", "壹亿零壹仟元整"),
        ("100000001", "壹亿零壹元整"),
        ("10000010.01", "壹仟万零壹拾元零壹分"),
        ("1010000", "壹佰零壹万元整"),
        ("1000100", "壹佰万零壹佰元整"),
        ("2000000.50", "贰佰万元零伍角"),
        ("99999999999.99", "玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_known_amounts_are_written_as_the_bank_writes_them(amount: str, written: str) -> None:
    # given an amount in figures
    # when it is written in capitals
    # then it reads as on a cheque or a contract
    assert amount_in_capitals(Decimal(amount)) == written


def test_whole_yuan_may_be_given_as_an_integer_or_a_string() -> None:
    # given the same price three ways
    # when each is written in capitals
    # then they read the same
    assert amount_in_capitals(1980000) == amount_in_capitals("1980000.00") == "壹佰玖拾捌万元整"


@pytest.mark.parametrize("amount", ["0", "0.00", "-1", "100000000000", "12.345", "NaN"])
def test_amounts_outside_the_range_or_finer_than_a_fen_are_refused(amount: str) -> None:
    # given an amount a contract can't carry (while the smallest and largest ones work)
    assert amount_in_capitals("0.01") == "壹分"
    assert amount_in_capitals("99999999999.99").endswith("玖角玖分")
    # when it is written / then it is refused rather than rounded
    with pytest.raises(ValueError):
        amount_in_capitals(amount)


def read_capitals(text: str) -> Decimal:
    """A small independent reader of capital amounts, so a round trip checks the writer."""
    whole, _, rest = text.rpartition("元") if "元" in text else ("", "", text)
    total = section = figure = 0
    for character in whole:
        if character in FIGURES:
            figure = FIGURES[character]
        elif character in PLACES:
            section, figure = section + figure * PLACES[character], 0
        elif character == "万":
            total, section, figure = total + (section + figure) * 10_000, 0, 0
        elif character == "亿":
            total, section, figure = (total + section + figure) * 100_000_000, 0, 0
    yuan = total + section + figure
    jiao = re.search("(.)角", rest)
    fen = re.search("(.)分", rest)
    return (
        Decimal(yuan)
        + (Decimal(FIGURES[jiao.group(1)]) / 10 if jiao else 0)
        + (Decimal(FIGURES[fen.group(1)]) / 100 if fen else 0)
    )


fen_amounts = st.integers(min_value=1, max_value=9_999_999_999_999).map(lambda fen: Decimal(fen) / 100)


@given(fen_amounts)
@example(Decimal("1000000000.00"))
@example(Decimal("10000010.01"))
def test_capitals_read_back_to_the_same_amount(amount: Decimal) -> None:
    # given any amount in range / when written in capitals / then an independent reader gets it back
    assert read_capitals(amount_in_capitals(amount)) == amount


@given(fen_amounts)
def test_capitals_follow_the_structural_rules(amount: Decimal) -> None:
    # given any amount in range
    # when written in capitals
    written = amount_in_capitals(amount)
    # then only the bank's characters appear, 零 is never doubled, first, or before a unit,
    assert set(written) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert "零零" not in written
    assert not written.startswith("零")
    assert not re.search("零[拾佰仟万亿元角分整]", written)
    # 拾 always carries its figure (壹拾, never 拾 alone),
    assert not re.search("(^|[^壹贰叁肆伍陆柒捌玖])拾", written)
    # 整 ends exactly the amounts of whole yuan, and 元 appears exactly when there are yuan
    assert written.endswith("整") == (amount == amount.to_integral_value())
    assert ("元" in written) == (amount >= 1)
