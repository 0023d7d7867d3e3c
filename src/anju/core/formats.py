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
