"""The calculators' forms (计算器): what a client tells the agent, in the units they say it, turned into
the pure calculators' inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.formats import WAN
from anju.finance.affordability import DEFAULT_MAX_DEBT_RATIO, Affordability, Means, affordability
from anju.finance.costs import DISTRICT_LABELS, PAYER_LABELS, Costs, Sale, transaction_costs
from anju.finance.mortgage import (
    COMMERCIAL,
    EQUAL_INSTALLMENT,
    METHOD_LABELS,
    PROVIDENT,
    LoanPart,
    Mortgage,
    mortgage,
)
from anju.finance.rules import RuleBook
from anju.web.forms.base import DateInput, StyledFormMixin

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

YEARS_ERROR = gettext_lazy("贷款年限应为 1～30 年。")


def _money_field(label: StrOrPromise, *, required: bool = True, **kwargs: Any) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label, required=required, min_value=Decimal(0), max_digits=14, decimal_places=2, **kwargs
    )
    field.widget.attrs["inputmode"] = "decimal"
    return field


def _wan_field(label: StrOrPromise, *, required: bool = True) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label, required=required, min_value=Decimal("0.01"), max_value=Decimal(10**8), decimal_places=2
    )
    field.widget.attrs["inputmode"] = "decimal"
    return field


def _years_field(label: StrOrPromise) -> forms.IntegerField:
    field = forms.IntegerField(
        label=label,
        min_value=1,
        max_value=30,
        initial=30,
        error_messages={"min_value": YEARS_ERROR, "max_value": YEARS_ERROR},
    )
    field.widget.attrs["inputmode"] = "numeric"
    return field


def _rate_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(24),
        decimal_places=4,
        help_text=help_text,
    )
    field.widget.attrs["inputmode"] = "decimal"
    return field


def _date_field(
    label: StrOrPromise, *, required: bool = False, help_text: StrOrPromise = ""
) -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput())


class CalculatorForm(StyledFormMixin, forms.Form):
    as_of = _date_field(
        gettext_lazy("计算日期"), help_text=gettext_lazy("按这一天生效的规则计算，默认今天。")
    )

    def __init__(self, *args: Any, cities: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "city" in self.fields:
            self.fields["city"].choices = [(c, c) for c in cities or []]  # type: ignore[attr-defined]

    @property
    def day(self) -> dt.date:
        return self.cleaned_data.get("as_of") or timezone.localdate()

    def calculate(self, book: RuleBook) -> Any:
        raise NotImplementedError


class CostsForm(CalculatorForm):
    city = forms.ChoiceField(label=gettext_lazy("城市"))
    district_type = forms.ChoiceField(
        label=gettext_lazy("区域类型"), choices=list(DISTRICT_LABELS.items()), initial="city"
    )
    price_wan = _wan_field(gettext_lazy("成交价（万元，含增值税）"))
    area = forms.DecimalField(
        label=gettext_lazy("建筑面积（㎡）"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100000),
        decimal_places=2,
    )
    property_type = forms.ChoiceField(
        label=gettext_lazy("房屋类型"),
        choices=[("residential", gettext_lazy("住宅")), ("non_residential", gettext_lazy("非住宅"))],
        initial="residential",
    )
    buyer_home_count = forms.TypedChoiceField(
        label=gettext_lazy("买方家庭住房（含本套）"),
        choices=[
            (1, gettext_lazy("唯一住房")),
            (2, gettext_lazy("第二套")),
            (3, gettext_lazy("第三套及以上")),
        ],
        coerce=int,
        initial=1,
    )
    seller_acquired_on = _date_field(
        gettext_lazy("卖方取得日期"), help_text=gettext_lazy("产权证或契税票日期，用于判断满二、满五。")
    )
    seller_years_held = forms.DecimalField(
        label=gettext_lazy("或：卖方已持有年数"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
    )
    seller_only_home = forms.BooleanField(label=gettext_lazy("卖方家庭唯一住房"), required=False)
    seller_original_price_wan = _wan_field(gettext_lazy("原购房价（万元，可不填）"), required=False)
    commission_rate_percent = forms.DecimalField(
        label=gettext_lazy("佣金费率（%）"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=4,
        help_text=gettext_lazy("不填按本公司默认费率。"),
    )
    commission_payer = forms.ChoiceField(
        label=gettext_lazy("佣金支付方"),
        required=False,
        choices=[("", gettext_lazy("按默认")), *PAYER_LABELS.items()],
    )
    field_order = [
        "city",
        "district_type",
        "price_wan",
        "area",
        "property_type",
        "buyer_home_count",
        "seller_acquired_on",
        "seller_years_held",
        "seller_only_home",
        "seller_original_price_wan",
        "commission_rate_percent",
        "commission_payer",
        "as_of",
    ]

    def calculate(self, book: RuleBook) -> Costs:
        data = self.cleaned_data
        original = data.get("seller_original_price_wan")
        rate = data.get("commission_rate_percent")
        return transaction_costs(
            Sale(
                city=data["city"],
                price=data["price_wan"] * WAN,
                area=data["area"],
                as_of=self.day,
                district_type=data["district_type"],
                property_type=data["property_type"],
                buyer_home_count=data["buyer_home_count"],
                seller_acquired_on=data.get("seller_acquired_on"),
                seller_years_held=data.get("seller_years_held"),
                seller_original_price=None if original is None else original * WAN,
                seller_only_home=data.get("seller_only_home", False),
                commission_rate=None if rate is None else rate / 100,
                commission_payer=data.get("commission_payer") or None,
            ),
            book,
        )


METHOD_CHOICES = list(METHOD_LABELS.items())


class MortgageForm(CalculatorForm):
    commercial_wan = _wan_field(gettext_lazy("商业贷款（万元）"), required=False)
    commercial_years = _years_field(gettext_lazy("商贷年限"))
    commercial_rate = _rate_field(gettext_lazy("商贷年利率（%）"), gettext_lazy("不填则按 LPR 加点计算。"))
    commercial_spread_bp = forms.IntegerField(
        label=gettext_lazy("LPR 加点（基点）"),
        required=False,
        min_value=-1000,
        max_value=1000,
        initial=0,
        help_text=gettext_lazy("在 LPR 基础上加减的基点数，如 -45 表示 LPR − 0.45%。"),
    )
    commercial_method = forms.ChoiceField(
        label=gettext_lazy("商贷还款方式"), choices=METHOD_CHOICES, initial=EQUAL_INSTALLMENT
    )
    provident_wan = _wan_field(gettext_lazy("公积金贷款（万元）"), required=False)
    provident_years = _years_field(gettext_lazy("公积金年限"))
    provident_rate = _rate_field(
        gettext_lazy("公积金年利率（%）"), gettext_lazy("不填按当期公积金贷款利率。")
    )
    provident_method = forms.ChoiceField(
        label=gettext_lazy("公积金还款方式"), choices=METHOD_CHOICES, initial=EQUAL_INSTALLMENT
    )
    first_home = forms.BooleanField(label=gettext_lazy("首套住房"), required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("commercial_wan") and not data.get("provident_wan"):
            raise forms.ValidationError(_("请填写商业贷款或公积金贷款金额（组合贷两项都填）。"))
        return data

    def parts(self) -> list[LoanPart]:
        data = self.cleaned_data
        parts = []
        if data.get("commercial_wan"):
            rate = data.get("commercial_rate")
            parts.append(
                LoanPart(
                    kind=COMMERCIAL,
                    principal=data["commercial_wan"] * WAN,
                    years=data["commercial_years"],
                    method=data["commercial_method"],
                    annual_rate_percent=rate,
                    lpr_spread_bp=None if rate is not None else (data.get("commercial_spread_bp") or 0),
                )
            )
        if data.get("provident_wan"):
            parts.append(
                LoanPart(
                    kind=PROVIDENT,
                    principal=data["provident_wan"] * WAN,
                    years=data["provident_years"],
                    method=data["provident_method"],
                    annual_rate_percent=data.get("provident_rate"),
                    first_home=data.get("first_home", False),
                )
            )
        return parts

    def calculate(self, book: RuleBook) -> Mortgage:
        return mortgage(self.parts(), book, as_of=self.day)


class AffordForm(CalculatorForm):
    city = forms.ChoiceField(label=gettext_lazy("城市"))
    cash_wan = forms.DecimalField(
        label=gettext_lazy("可用于首付和税费的资金（万元）"),
        min_value=Decimal(0),
        max_value=Decimal(10**8),
        decimal_places=2,
    )
    monthly_income = _money_field(gettext_lazy("家庭月收入（元）"))
    monthly_debts = _money_field(gettext_lazy("其他贷款月供（元）"), required=False, initial=0)
    home_count = forms.TypedChoiceField(
        label=gettext_lazy("购买"),
        choices=[(1, gettext_lazy("首套")), (2, gettext_lazy("第二套"))],
        coerce=int,
        initial=1,
    )
    years = _years_field(gettext_lazy("贷款年限"))
    annual_rate = _rate_field(gettext_lazy("商贷年利率（%）"), gettext_lazy("不填按5年期以上 LPR。"))
    max_debt_percent = forms.DecimalField(
        label=gettext_lazy("月供占收入上限（%）"),
        min_value=Decimal(1),
        max_value=Decimal(100),
        decimal_places=2,
        initial=DEFAULT_MAX_DEBT_RATIO * 100,
        help_text=gettext_lazy("银行通常要求月供加其他负债不超过收入的一半。"),
    )
    field_order = [
        "city",
        "cash_wan",
        "monthly_income",
        "monthly_debts",
        "home_count",
        "years",
        "annual_rate",
        "max_debt_percent",
        "as_of",
    ]

    def calculate(self, book: RuleBook) -> Affordability:
        data = self.cleaned_data
        return affordability(
            Means(
                city=data["city"],
                cash=data["cash_wan"] * WAN,
                monthly_income=data["monthly_income"],
                monthly_debts=data.get("monthly_debts") or Decimal(0),
                home_count=data["home_count"],
                years=data["years"],
                annual_rate_percent=data.get("annual_rate"),
                max_debt_ratio=data["max_debt_percent"] / 100,
                as_of=self.day,
            ),
            book,
        )


FORMS: dict[str, type[CalculatorForm]] = {"costs": CostsForm, "mortgage": MortgageForm, "afford": AffordForm}
