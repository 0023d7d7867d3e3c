"""Template filters of the calculators: {{ item.rate|percent }}, {{ item.payer|payer }}."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy

from anju.finance import wording

register = template.Library()

PAYERS = {"buyer": gettext_lazy("买方"), "seller": gettext_lazy("卖方"), "split": gettext_lazy("双方各半")}


@register.filter
def percent(rate: Decimal | None) -> str:
    return "—" if rate is None else wording.percent(rate)


@register.filter
def payer(code: str) -> str:
    return str(PAYERS.get(code, code))


@register.filter
def fen(amount: Decimal) -> str:
    """1234567.8 → 1,234,567.80: money in tables, where ¥ on every cell is noise."""
    return wording.money_text(amount)
