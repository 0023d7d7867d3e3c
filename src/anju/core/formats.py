"""How people read money, dates and areas in Anju: ¥1,234,567.00, 2026年11月29日, 89.50㎡."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import get_language

FEN = Decimal("0.01")  # money is kept to the fen (分)
WAN = Decimal(10000)  # 万: how agents say prices


def to_fen(amount: Decimal | int | str) -> Decimal:
    """Round money half-up to the fen (分), the convention used everywhere in Anju."""
    return Decimal(amount).quantize(FEN, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | int | str | None, *, symbol: str = "¥") -> str:
    if amount is None or amount == "":
        return "—"
    value = to_fen(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.2f}"


def format_wan(amount: Decimal | int | str | None) -> str:
    """Prices as agents say them: 320万, 1,285.5万."""
    if amount is None or amount == "":
        return "—"
    wan = (Decimal(amount) / WAN).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{wan:,.1f}".removesuffix(".0")
    return f"{text}万"


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日"


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local)} {local:%H:%M}"


def join_list(items: Iterable[object]) -> str:
    """甲、乙、丙 in Chinese; "a, b, c" in any other interface language."""
    separator = "、" if (get_language() or "zh-hans").startswith("zh") else ", "
    return separator.join(str(item) for item in items)


def format_area(value: Decimal | int | str | None) -> str:
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP):,.2f}㎡"


def mask_mobile(mobile: str) -> str:
    """138****5678: the first three and last four digits of a mainland mobile."""
    digits = mobile.strip()
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(number: str) -> str:
    """4201**********123X: the region prefix and the last four characters of a resident ID."""
    number = number.strip()
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def format_unit_price(amount: Decimal | int | str | None) -> str:
    """Unit prices as agents read them, to the yuan: 27,443元/㎡."""
    if amount is None or amount == "":
        return "—"
    return f"{Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP):,}元/㎡"


def format_rent(amount: Decimal | int | str | None) -> str:
    """Monthly rents without fen that are not there: 3,400元/月, 2,850.50元/月."""
    if amount is None or amount == "":
        return "—"
    value = to_fen(amount)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{text}元/月"


# --- 大写金额 ----------------------------------------------------------------------------------

_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_PLACES = ("仟", "佰", "拾", "")  # within a group of four digits
_CAPITAL_GROUPS = ("亿", "万", "")  # groups of four digits, highest first
LARGEST_CAPITAL_AMOUNT = Decimal("99999999999.99")


def amount_in_capitals(amount: Decimal | int | str) -> str:
    """An amount in Chinese capital numerals as contracts and cheques write it: 壹佰玖拾捌万元整.

    The People's Bank's rules for writing amounts (正确填写票据和结算凭证的基本规定):
    a run of zeros between two figures is written as one 零 (壹仟肆佰零玖元); a group of four
    that starts with zeros after a higher group is joined by 零 (壹拾万零伍元); 拾 always carries
    its figure, even first (壹拾万); when the yuan figure is 0 but 角 is not, or 角 is 0 but 分 is
    not, 元 is followed by 零 (壹仟陆佰捌拾元零叁角贰分, 叁佰贰拾伍元零肆分); 整 ends an amount of
    whole yuan only (壹拾万零伍元贰角, no 整 after 角). Where the rules allow 零 or none (a 万
    figure of 0 followed by a 仟 figure: 壹拾万柒仟元), this writes none, the bank's first example.
    Amounts from 0.01 to 99,999,999,999.99, exactly to the fen; anything else is a ValueError,
    because a contract must never show a rounded price.
    """
    value = Decimal(amount)
    if value != value.quantize(FEN) or not FEN <= value <= LARGEST_CAPITAL_AMOUNT:
        raise ValueError(f"{amount} is not an amount from 0.01 to 99,999,999,999.99 to the fen")
    fen_total = int(value * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    text = _yuan_in_capitals(yuan)
    if yuan:
        text += "元"
        if (jiao and yuan % 10 == 0) or (fen and not jiao):
            text += "零"
    if jiao:
        text += _CAPITAL_DIGITS[jiao] + "角"
    if fen:
        text += _CAPITAL_DIGITS[fen] + "分"
    return text if (jiao or fen) else text + "整"


def _yuan_in_capitals(yuan: int) -> str:
    digits = f"{yuan:012d}"
    text = ""
    zero_pending = False  # figures already written, then a zero not yet marked
    for index, group_unit in enumerate(_CAPITAL_GROUPS):
        group = digits[index * 4 : index * 4 + 4]
        if int(group) == 0:
            zero_pending = bool(text)
            continue
        for place, figure in zip(_CAPITAL_PLACES, group, strict=True):
            if figure == "0":
                zero_pending = bool(text)
                continue
            if zero_pending:
                text += "零"
                zero_pending = False
            text += _CAPITAL_DIGITS[int(figure)] + place
        text += group_unit
        # A zero at the end of a group is not marked: the group's unit already says where we are.
        zero_pending = False
    return text
