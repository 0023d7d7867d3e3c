"""The contract's core terms (核心条款): which they are, how input becomes a term, what is missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.errors import ApplicationError
from anju.core.formats import LARGEST_CAPITAL_AMOUNT, to_fen
from anju.core.text import clean_text
from anju.deals.models import Payment

# In the order the form and the refusal list them. The price stands for itself in figures and in
# capitals (the capitals are written from it), so one missing price is one missing term.
CORE_TERMS: dict[str, str | Promise] = {
    "address": gettext_lazy("房屋坐落"),
    "certificate_number": gettext_lazy("不动产权证号"),
    "area": gettext_lazy("建筑面积"),
    "price": gettext_lazy("成交价（小写及大写）"),
    "payment_method": gettext_lazy("付款方式"),
    "payment_schedule": gettext_lazy("付款安排"),
    "handover_on": gettext_lazy("交房日期"),
    "breach_liability": gettext_lazy("违约责任"),
}
# What a 补充协议 may change after signing: the money, the timing and the remedies, not the flat.
AMENDABLE = ("price", "payment_method", "payment_schedule", "handover_on", "breach_liability")


def missing_terms(terms: Mapping[str, object]) -> list[str]:
    """The Chinese names of the core terms still absent, in the form's order."""
    return [str(label) for name, label in CORE_TERMS.items() if terms.get(name) in (None, "")]


def clean_term(name: str, value: Any, *, lease: bool = False) -> object:
    """One term as stored, or a Chinese refusal; empty input stays empty (it is then missing).

    A sale pays 全款/商贷/公积金/组合贷 (the offer's choices); a lease pays as the parties write it
    (押一付三, 银行转账).
    """
    if name not in CORE_TERMS:
        raise ApplicationError(_("没有名为“%(name)s”的合同条款。") % {"name": name}, code="term_unknown")
    label = str(CORE_TERMS[name])
    if value is None or (isinstance(value, str) and not value.strip()):
        return None if name in ("area", "price", "handover_on") else ""
    if name in ("area", "price"):
        return _positive_decimal(value, label)
    if name == "handover_on":
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ApplicationError(
                _("%(label)s须为日期，例如 2026-12-31。") % {"label": label}, code="date_unreadable"
            ) from None
    if name == "payment_method" and not lease:
        if value not in Payment.values:
            raise ApplicationError(_("请选择付款方式。"), code="payment_unknown")
        return value
    multiline = name in ("payment_schedule", "breach_liability")
    return clean_text(
        value,
        label=label,
        multiline=multiline,
        most=2000 if multiline else (12 if name == "payment_method" else 200),
    )


def _positive_decimal(value: Any, label: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ApplicationError(
            _("%(label)s须为数字。") % {"label": label}, code="number_unreadable"
        ) from None
    if not number.is_finite() or number <= 0 or number > LARGEST_CAPITAL_AMOUNT:
        raise ApplicationError(_("%(label)s须为正数。") % {"label": label}, code="number_not_positive")
    return to_fen(number)
