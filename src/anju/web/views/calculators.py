"""计算器: transaction costs (税费), mortgages (房贷) and affordability (购买力) by the rules in force.

One page with three tabs; each form posts (through htmx) to the same view, which answers with that
tab's pane: the form again, and the result under it. Prices are typed in 万元 as agents say them.
``?listing=<id>`` fills the 税费 form from a sale listing (price, area, title date, 唯一住房) and
shows its result at once. The panel "当前生效规则" lists the rule versions the city's calculations
use today, with their sources and whether they have been verified.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django import forms
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core.errors import ApplicationError
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
from anju.finance.rules import RuleBook, RuleFileError, item_label, rule_book
from anju.finance.selectors import listing_sale
from anju.finance.xlsx import XLSX_TYPE, schedule_workbook
from anju.listings.models import ListingKind
from anju.listings.selectors import access_listing
from anju.org.models import Agent
from anju.web.forms import DateInput, StyledFormMixin
from anju.web.views.base import HtmxRequest, agent_required

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

TABS = ("costs", "mortgage", "afford")
SCHEDULE_SHOWN = 12
NAV = {"nav_section": "calculators"}
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


def _chart(result: Mortgage) -> dict[str, Any]:
    """Principal and interest paid each year, for the stacked bar chart."""
    years: dict[int, list[Decimal]] = {}
    for row in result.schedule:
        year = years.setdefault((row.month - 1) // 12 + 1, [Decimal(0), Decimal(0)])
        year[0] += row.principal
        year[1] += row.interest
    return {
        "years": [_("第%(n)s年") % {"n": n} for n in years],
        "principal": [float(p) for p, _i in years.values()],
        "interest": [float(i) for _p, i in years.values()],
        "labels": {"principal": _("本金"), "interest": _("利息")},
    }


def _default_city(agent: Agent, cities: list[str]) -> str:
    company_city = (agent.company.city or "").strip().removesuffix("市")
    return company_city if company_city in cities else (cities[0] if cities else "")


def _listing_data(agent: Agent, listing_id: str | None, city: str) -> tuple[dict[str, str] | None, Any]:
    """The 税费 form filled from a sale listing (``?listing=<id>``), as if submitted, and the listing."""
    try:
        number = int(listing_id or "")
    except ValueError:
        return None, None
    if not (1 <= number <= 2**62):
        return None, None
    listing = access_listing(agent, number)
    if listing.kind != ListingKind.SALE:
        return None, None
    sale = listing_sale(listing, as_of=timezone.localdate())
    values = {
        "city": sale.city or city,
        "district_type": sale.district_type,
        "price_wan": f"{(sale.price / WAN).normalize():f}",
        "area": f"{sale.area:f}",
        "property_type": "residential",
        "buyer_home_count": "1",
        "seller_acquired_on": sale.seller_acquired_on.isoformat() if sale.seller_acquired_on else "",
        **({"seller_only_home": "on"} if sale.seller_only_home else {}),
    }
    return {f"costs-{name}": value for name, value in values.items()}, listing


def _rules_panel(book: RuleBook, city: str, day: dt.date) -> list[dict[str, Any]]:
    if not city:
        return []
    return [
        {
            "rule": rule,
            "item": item_label(rule.item),
            "partly": bool(rule.unverified),
            "current": rule.verified_for(day),
        }
        for rule in book.all_in_force(city=city, on=day)
    ]


@agent_required
def calculators(request: HtmxRequest, agent: Agent) -> HttpResponse:
    try:
        book = rule_book()
    except RuleFileError as exc:
        return render(request, "web/calculators/index.html", {"rules_error": exc.problems, **NAV})
    cities = book.cities()
    city = _default_city(agent, cities)
    tab = request.POST.get("calculator") or request.GET.get("tab") or "costs"
    tab = tab if tab in TABS else "costs"
    listing_data, listing = _listing_data(agent, request.GET.get("listing"), city)
    bound: dict[str, CalculatorForm] = {}
    if request.method == "POST":
        bound[tab] = FORMS[tab](request.POST, prefix=tab, cities=cities)
    elif listing_data is not None:
        bound["costs"] = CostsForm(listing_data, prefix="costs", cities=cities)
    initial = {"city": city, "as_of": timezone.localdate()}
    forms_ = {
        name: bound.get(name) or form_class(prefix=name, cities=cities, initial=initial)
        for name, form_class in FORMS.items()
    }
    results: dict[str, Any] = {}
    for name, form in bound.items():
        if form.is_valid():
            try:
                results[name] = form.calculate(book)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                city = form.cleaned_data.get("city") or city
    context = {
        "forms": forms_,
        "results": results,
        "tab": tab,
        "listing": listing,
        "chart": _chart(results["mortgage"]) if "mortgage" in results else None,
        "schedule_shown": SCHEDULE_SHOWN,
        "xlsx_query": _mortgage_query(request.POST) if "mortgage" in results else "",
        "rules_city": city,
        "rules_day": timezone.localdate(),
        "rules_panel": _rules_panel(book, city, timezone.localdate()),
        **NAV,
    }
    if request.htmx and request.method == "POST":
        return render(request, f"web/calculators/index.html#{tab}_pane", context)
    return render(request, "web/calculators/index.html", context)


def _mortgage_query(post: QueryDict) -> str:
    """The 房贷 form's fields only (no CSRF token), for the download link."""
    query = QueryDict(mutable=True)
    for key in post:
        if key.startswith("mortgage-"):
            query.setlist(key, post.getlist(key))
    return query.urlencode()


@agent_required
def mortgage_xlsx(request: HtmxRequest, agent: Agent) -> HttpResponse:
    """The 房贷 tab's schedule as a workbook: the same form fields, in the query string."""
    form = MortgageForm(request.GET, prefix="mortgage")
    if not form.is_valid():
        return HttpResponse(
            _("房贷参数不完整，请回到计算器重新计算。"), status=400, content_type="text/plain; charset=utf-8"
        )
    try:
        result = form.calculate(rule_book())
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(schedule_workbook(result), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_('还款计划') + '.xlsx')}"
    return response


urlpatterns = [
    path("calculators/", calculators, name="calculators"),
    path("calculators/mortgage.xlsx", mortgage_xlsx, name="calculators_mortgage_xlsx"),
]
