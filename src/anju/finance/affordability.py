"""Affordability (购买力): the highest price a buyer's cash and income carry; pure Decimal.

Two limits, and the lower one decides:

- cash: the city's minimum down payment (rule file) plus the buyer's taxes and fees must fit in
  the cash: ``ratio·P + c·P + f <= cash``;
- income: the loan is at most what ``max_debt_ratio × income − other debts`` repays each month
  (等额本息 at the given or LPR-based rate), and the rest of the price plus the taxes and fees
  must fit in the cash: ``P − loan + c·P + f <= cash``.

The buyer's taxes and fees (``c·P + f``: deed tax, registration, the buyer's share of the
commission) come from the same cost calculation as the 税费 calculator, on a home of at most the
deed-tax area threshold whose seller is exempt from VAT — the usual case, stated in the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _

from anju.core.formats import format_wan, to_fen
from anju.finance.costs import InvalidInput, Sale, transaction_costs
from anju.finance.mortgage import (
    COMMERCIAL,
    EQUAL_INSTALLMENT,
    LoanPart,
    equal_installment_payment,
    loan_for_payment,
    part_rate,
)
from anju.finance.rules import RuleBook, RuleRef
from anju.finance.wording import percent

# A bank's usual ceiling on debt payments as a share of income: a default the user can change.
DEFAULT_MAX_DEBT_RATIO = Decimal("0.5")
MAX_MONEY = Decimal("1e11")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Means:
    city: str
    cash: Decimal
    monthly_income: Decimal
    as_of: dt.date
    monthly_debts: Decimal = ZERO
    home_count: int = 1  # 1: first home, 2: second home
    years: int = 30
    annual_rate_percent: Decimal | None = None
    lpr_spread_bp: int | None = None
    max_debt_ratio: Decimal = DEFAULT_MAX_DEBT_RATIO


@dataclass(frozen=True)
class Affordability:
    max_price: Decimal
    limited_by: str  # "cash" or "income"
    down_payment: Decimal
    loan: Decimal
    monthly_payment: Decimal
    payment_share: Decimal  # of the monthly income
    estimated_costs: Decimal
    min_down_ratio: Decimal
    annual_rate: Decimal
    rate_text: str
    max_debt_ratio: Decimal
    sentence: str
    assumptions: tuple[str, ...]
    rules: tuple[RuleRef, ...]


def _check(means: Means) -> None:
    if not (0 <= means.cash <= MAX_MONEY) or not (0 <= means.monthly_debts <= MAX_MONEY):
        raise InvalidInput(_("首付资金和月负债不能为负数。"))
    if not (0 < means.monthly_income <= MAX_MONEY):
        raise InvalidInput(_("月收入必须大于 0。"))
    if means.home_count not in (1, 2):
        raise InvalidInput(_("请选择首套或第二套住房。"))
    if not (0 < means.max_debt_ratio <= 1):
        raise InvalidInput(_("月供占收入的上限应在 0～100% 之间。"))


def _buyer_costs(
    means: Means, book: RuleBook, city: str
) -> tuple[Decimal, Decimal, Decimal, tuple[RuleRef, ...]]:
    """The buyer's taxes and fees as ``c·P + f`` (and the area assumed), from the cost calculation at two prices."""
    exempt_years = book.in_force("vat", city=city, on=means.as_of).years("exempt_after_years")
    threshold = book.in_force("deed_tax", city=city, on=means.as_of).money("area_threshold")

    def buyer_total(price: Decimal) -> tuple[Decimal, tuple[RuleRef, ...]]:
        costs = transaction_costs(
            Sale(
                city=city,
                price=price,
                area=threshold,
                as_of=means.as_of,
                buyer_home_count=means.home_count,
                seller_years_held=Decimal(exempt_years),
            ),
            book,
            advise=False,
        )
        refs = tuple(
            ref
            for item in costs.items
            for ref in item.rules
            if item.payer in ("buyer", "split") and item.amount
        )
        return costs.totals.buyer, refs

    low, refs = buyer_total(Decimal(1_000_000))
    high, _refs = buyer_total(Decimal(2_000_000))
    share = (high - low) / Decimal(1_000_000)
    fixed = low - share * Decimal(1_000_000)
    return share, fixed, threshold, refs


def affordability(means: Means, book: RuleBook) -> Affordability:
    _check(means)
    city = book.city(means.city)
    on = means.as_of
    down_rule = book.in_force("down_payment", city=city, on=on)
    ratio_param = "commercial_first" if means.home_count == 1 else "commercial_second"
    ratio = down_rule.rate(ratio_param)
    part = LoanPart(
        kind=COMMERCIAL,
        principal=Decimal(1_000_000),  # the rate does not depend on the amount
        years=means.years,
        method=EQUAL_INSTALLMENT,
        annual_rate_percent=means.annual_rate_percent,
        lpr_spread_bp=means.lpr_spread_bp
        if means.annual_rate_percent is not None or means.lpr_spread_bp is not None
        else 0,
    )
    rate = part_rate(part, book, on)
    months = means.years * 12
    share, fixed, area, cost_refs = _buyer_costs(means, book, city)

    capacity = max(means.max_debt_ratio * means.monthly_income - means.monthly_debts, ZERO)
    income_loan = loan_for_payment(capacity, rate.annual, months)
    by_cash = (means.cash - fixed) / (ratio + share)
    by_income = (means.cash - fixed + income_loan) / (1 + share)
    limited_by = "cash" if by_cash <= by_income else "income"
    price = max(min(by_cash, by_income), ZERO).quantize(Decimal(1), rounding=ROUND_DOWN)

    costs = to_fen(share * price + fixed) if price > 0 else ZERO
    loan = to_fen(max(price - (means.cash - costs), ZERO))
    payment = to_fen(equal_installment_payment(loan, rate.annual, months)) if loan > 0 else ZERO
    if price > 0:
        sentence = _("按您的首付和月供，可承受总价约%(price)s") % {"price": format_wan(price)}
    else:
        sentence = _("按您的首付资金，扣除税费后暂不足以购房。")
    assumptions = (
        _("最低首付比例%(ratio)s（%(rule)s）") % {"ratio": percent(ratio), "rule": down_rule.name},
        _("商业贷款、等额本息、%(years)s年，%(rate)s") % {"years": means.years, "rate": rate.text},
        _("月供加其他负债不超过月收入的%(share)s") % {"share": percent(means.max_debt_ratio)},
        _("税费按面积不超过%(area)s㎡、卖方满二年免征增值税估算：契税、登记费和买方应付的经纪服务费")
        % {"area": f"{area:f}"},
    )
    refs = (down_rule.ref(on, {ratio_param}), *((rate.rule,) if rate.rule else ()), *cost_refs)
    refs = tuple({ref.id: ref for ref in refs}.values())
    return Affordability(
        max_price=price,
        limited_by=limited_by,
        down_payment=price - loan,
        loan=loan,
        monthly_payment=payment,
        payment_share=(payment / means.monthly_income).quantize(Decimal("0.0001")),
        estimated_costs=costs,
        min_down_ratio=ratio,
        annual_rate=rate.annual,
        rate_text=rate.text,
        max_debt_ratio=means.max_debt_ratio,
        sentence=sentence,
        assumptions=assumptions,
        rules=refs,
    )
