"""How the calculators write numbers in sentences: 3%, 满二年, 约92,621元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

CHINESE_DIGITS = "零一二三四五六七八九十"


def percent(rate: Decimal) -> str:
    """0.03 → 3%, 0.015 → 1.5%, 0.02525 → 2.525%."""
    value = (rate * 100).normalize()
    return f"{value:f}%"


def chinese_years(years: int) -> str:
    """2 → 二 (满二年), 5 → 五; beyond ten, and in any language but Chinese, in digits."""
    if not (get_language() or "zh-hans").startswith("zh"):
        return str(years)
    return CHINESE_DIGITS[years] if 0 <= years <= 10 else str(years)


def whole_yuan(amount: Decimal) -> str:
    """92621.36 → 92,621 (for 约…元 in advice)."""
    return f"{int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"


def money_text(amount: Decimal) -> str:
    """92621.36 → 92,621.36 (inside sentences, the fen kept)."""
    return f"{amount:,.2f}"
