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

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.core.formats import WAN
from anju.finance.mortgage import (
    Mortgage,
)
from anju.finance.rules import RuleBook, RuleFileError, item_label, rule_book
from anju.finance.selectors import listing_sale
from anju.finance.xlsx import XLSX_TYPE, schedule_workbook
from anju.listings.models import ListingKind
from anju.listings.selectors import access_listing
from anju.org.models import Agent
from anju.web.forms.calculators import FORMS, CalculatorForm, CostsForm, MortgageForm
from anju.web.views.base import HtmxRequest, agent_required

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

TABS = ("costs", "mortgage", "afford")
SCHEDULE_SHOWN = 12
NAV = {"nav_section": "calculators"}


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
