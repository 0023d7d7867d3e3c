"""Request and response shapes of /api/v1/finance. Money and areas travel as decimal strings.

Numbers out of range are refused with a Chinese message naming the field (a 422), before any
calculation: "成交价必须大于 0", "贷款年限应为 1～30 年".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from anju.core.schemas import InputSchema

MAX_MONEY = Decimal(
    "1e12"
)  # a trillion yuan: beyond any home, within what Decimal arithmetic handles at once


def _number(label: str, *, low: Decimal, high: Decimal, low_open: bool = False, places: int = 2):
    """A validator refusing values outside ``low``..``high`` or with too many decimals, in Chinese."""

    def check(value: Decimal) -> Decimal:
        too_low = value <= low if low_open else value < low
        if too_low or value > high:
            relation = "大于" if low_open else "不小于"
            raise PydanticCustomError(
                "finance_range",
                "{label}必须{relation} {low}，且不超过 {high}。",
                {"label": label, "relation": relation, "low": f"{low:f}", "high": f"{high:,f}"},
            )
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            raise PydanticCustomError(
                "finance_places", "{label}最多保留 {places} 位小数。", {"label": label, "places": places}
            )
        return value

    return AfterValidator(check)


def _whole(label: str, *, low: int, high: int, unit: str = ""):
    def check(value: int) -> int:
        if not (low <= value <= high):
            raise PydanticCustomError(
                "finance_range",
                "{label}应为 {low}～{high}{unit}。",
                {"label": label, "low": low, "high": high, "unit": unit},
            )
        return value

    return AfterValidator(check)


def _city(value: str) -> str:
    value = value.strip()
    if not (1 <= len(value) <= 30):
        raise PydanticCustomError("finance_city", "请填写城市，如 武汉。")
    return value


City = Annotated[
    str, AfterValidator(_city), Field(description="城市，如 武汉（没有规则的城市会返回已有规则的城市列表）")
]
_ZERO = Decimal(0)
Price = Annotated[
    Decimal,
    _number("成交价", low=_ZERO, high=MAX_MONEY, low_open=True),
    Field(description="成交价（元，含增值税）"),
]
OriginalPrice = Annotated[
    Decimal,
    _number("房屋原值", low=_ZERO, high=MAX_MONEY, low_open=True),
    Field(description="卖方原购房价（元），能提供凭证时按差额计个税"),
]
Cash = Annotated[
    Decimal, _number("首付资金", low=_ZERO, high=MAX_MONEY), Field(description="可用于首付和税费的现金（元）")
]
Income = Annotated[
    Decimal,
    _number("月收入", low=_ZERO, high=MAX_MONEY, low_open=True),
    Field(description="家庭月收入（元）"),
]
Debts = Annotated[
    Decimal, _number("月负债", low=_ZERO, high=MAX_MONEY), Field(description="其他贷款等每月还款（元）")
]
Area = Annotated[
    Decimal,
    _number("建筑面积", low=_ZERO, high=Decimal(100000), low_open=True),
    Field(description="建筑面积（㎡）"),
]
YearsHeld = Annotated[
    Decimal,
    _number("卖方持有年限", low=_ZERO, high=Decimal(100), places=2),
    Field(description="卖方已持有的年数，可带小数，如 1.5；知道取得日期时请用 seller_acquired_on"),
]
Fraction = Annotated[
    Decimal,
    _number("佣金费率", low=_ZERO, high=Decimal(1), places=6),
    Field(description="小数表示的费率，如 0.02 表示 2%"),
]
RatePercent = Annotated[
    Decimal,
    _number("年利率", low=_ZERO, high=Decimal(24), places=4),
    Field(description="年利率（%），如 3.5"),
]
SpreadBp = Annotated[
    int,
    _whole("LPR 加点", low=-1000, high=1000, unit="个基点"),
    Field(description="在 LPR 基础上加减的基点数，如 -45 表示 LPR − 0.45%"),
]
LoanYears = Annotated[
    int, _whole("贷款年限", low=1, high=30, unit=" 年"), Field(description="贷款年限（1～30 年）")
]
Principal = Annotated[
    Decimal,
    _number("贷款金额", low=Decimal(1000), high=Decimal("1e10")),
    Field(description="贷款金额（元）"),
]
HomeCount = Annotated[
    int,
    _whole("买方家庭住房套数", low=1, high=3),
    Field(description="本次购买后买方家庭住房套数：1、2，3 表示三套及以上"),
]
DebtRatio = Annotated[
    Decimal,
    _number("月供占收入的上限", low=_ZERO, high=Decimal(1), low_open=True, places=4),
    Field(description="月供加其他负债占月收入的上限，小数，默认 0.5"),
]
AsOf = Annotated[dt.date | None, Field(description="按哪一天生效的规则计算，默认今天")]


# --- transaction costs -------------------------------------------------------------------


class TransactionCostsIn(InputSchema):
    city: City
    district_type: Literal["city", "county", "other"] = Field(
        default="city", description="city 市区、county 县城和镇、other 其他（决定城市维护建设税税率）"
    )
    price: Price
    area: Area
    property_type: Literal["residential", "non_residential"] = "residential"
    buyer_home_count: HomeCount = 1
    seller_acquired_on: dt.date | None = Field(
        default=None, description="卖方取得房屋的日期（产权证或契税票日期）"
    )
    seller_years_held: YearsHeld | None = None
    seller_original_price: OriginalPrice | None = None
    seller_only_home: bool = Field(default=False, description="是否为卖方家庭唯一住房（满五唯一免个税）")
    commission_rate: Fraction | None = None
    commission_payer: Literal["buyer", "seller", "split"] | None = None
    as_of: AsOf = None


class RuleOut(Schema):
    id: str
    name: str
    source: str
    effective_from: dt.date
    effective_to: dt.date | None = Field(description="最后生效日；没有下一版本且未写明时为 null")
    verified: bool
    note: str


class CostItemOut(Schema):
    code: Literal["deed_tax", "vat", "vat_surcharges", "income_tax", "registration_fee", "commission"]
    name: str
    payer: Literal["buyer", "seller", "split"]
    base: str | None = Field(description="计税依据（元）；按件收费或不适用时为 null")
    rate: str | None = Field(description="税率或费率，小数")
    amount: str
    reason: str
    notes: list[str]
    rule: RuleOut
    rules: list[RuleOut] = Field(description="计算用到的全部规则，第一项即 rule")
    verified: bool


class TotalsOut(Schema):
    buyer: str
    seller: str
    total: str


class TransactionCostsOut(Schema):
    city: str
    as_of: dt.date
    items: list[CostItemOut]
    totals: TotalsOut
    notes: list[str]


# --- mortgages ---------------------------------------------------------------------------


def _parts(value: list[LoanPartIn]) -> list[LoanPartIn]:
    if not (1 <= len(value) <= 4):
        raise PydanticCustomError("finance_parts", "请填写 1～4 笔贷款（组合贷为商贷加公积金两笔）。")
    return value


class LoanPartIn(InputSchema):
    kind: Literal["commercial", "provident"]
    principal: Principal
    years: LoanYears
    annual_rate_percent: RatePercent | None = None
    lpr_spread_bp: SpreadBp | None = None
    method: Literal["equal_installment", "equal_principal"] = "equal_installment"
    first_home: bool = Field(default=True, description="首套（公积金利率按首套、第二套区分）")


class MortgageIn(InputSchema):
    parts: Annotated[list[LoanPartIn], AfterValidator(_parts)]
    as_of: AsOf = None


class RowOut(Schema):
    month: int
    payment: str
    principal: str
    interest: str
    balance: str


class PartOut(Schema):
    kind: str
    method: str
    label: str
    principal: str
    years: int
    months: int
    annual_rate_percent: str
    rate_text: str
    rule: RuleOut | None
    first_payment: str
    last_payment: str
    total_interest: str
    total_paid: str
    schedule: list[RowOut]


class MortgageOut(Schema):
    as_of: dt.date
    principal: str
    first_payment: str
    last_payment: str
    total_interest: str
    total_paid: str
    rounding: str
    notes: list[str]
    parts: list[PartOut]
    schedule: list[RowOut]


# --- affordability -----------------------------------------------------------------------


class AffordabilityIn(InputSchema):
    city: City
    cash: Cash
    monthly_income: Income
    monthly_debts: Debts = Decimal(0)
    first_home: bool = True
    years: LoanYears = 30
    annual_rate_percent: RatePercent | None = None
    lpr_spread_bp: SpreadBp | None = None
    max_debt_ratio: DebtRatio = Decimal("0.5")
    as_of: AsOf = None


class AffordabilityOut(Schema):
    as_of: dt.date
    max_price: str
    limited_by: Literal["cash", "income"]
    down_payment: str
    loan: str
    monthly_payment: str
    payment_share: str = Field(description="月供占月收入的比例，小数")
    estimated_costs: str = Field(description="买方税费估算（元）")
    min_down_ratio: str
    annual_rate_percent: str
    rate_text: str
    max_debt_ratio: str
    sentence: str
    assumptions: list[str]
    rules: list[RuleOut]
