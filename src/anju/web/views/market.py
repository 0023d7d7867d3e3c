"""行情: the city overview, a district's page and its one-page summary for a client.

Every figure comes from the precomputed monthly rows (``market.selectors``); the pages read a few
dozen rows whatever the size of the company. The filters (sale/rent, district, 板块, 小区) swap the
figures part of the page with htmx; the summary is a page of its own, made to be printed or sent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.geo.selectors import business_areas_of_district, communities_in_business_area
from anju.listings.models import ListingKind
from anju.market.models import Scope
from anju.market.selectors import (
    MonthPoint,
    Place,
    PlacePoint,
    access_place,
    company_city,
    district_summary,
    market_last_refresh,
    market_places,
    market_series,
)
from anju.org.models import Agent
from anju.web.views.base import agent_required

NAV = {"nav_section": "market"}
MONTHS = 12


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in ListingKind.values else ListingKind.SALE.value


def _id(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 1 <= number <= 2**62 else None


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _month_label(point: MonthPoint) -> str:
    label = f"{point.month.year}年{point.month.month}月"
    if point.through is not None:
        label += str(_("（至%(day)s日）") % {"day": point.through.day})
    return label


def series_chart(points: list[MonthPoint]) -> dict[str, Any]:
    """A monthly series as the charts read it."""
    return {
        "months": [_month_label(p) for p in points],
        # The running month's counts are month-to-date: the charts draw them faded.
        "partial": next((i for i, p in enumerate(points) if p.partial), None),
        "unit_price": [_number(p.unit_price) for p in points],
        "inventory": [p.inventory for p in points],
        "new_listings": [p.new_listings for p in points],
        "left": [p.left for p in points],
        "cuts": [p.cuts for p in points],
        "cut_percent": [_number(p.cut_percent) for p in points],
        "days_on_market": [p.days_on_market for p in points],
    }


def places_chart(items: list[PlacePoint]) -> dict[str, Any]:
    """Places compared in one month, dearest first, for the bar chart."""
    ranked = sorted(
        (i for i in items if i.point.unit_price is not None),
        key=lambda i: i.point.unit_price or Decimal(0),
        reverse=True,
    )
    return {
        "names": [i.place.name for i in ranked],
        "unit_price": [_number(i.point.unit_price) for i in ranked],
        "inventory": [i.point.inventory for i in ranked],
    }


def _unit(kind: str) -> str:
    return _("元/㎡") if kind == ListingKind.SALE else _("元/㎡/月")


def _chosen_place(request: HttpRequest, agent: Agent) -> Place | None:
    """区县, then 板块 within it, then 小区 within that: the narrowest that fits; the rest is ignored.

    After the district changes, the old 板块 and 小区 no longer lie in it and drop out by themselves.
    """
    chosen: Place | None = None
    for scope in (Scope.DISTRICT, Scope.BUSINESS_AREA, Scope.COMMUNITY):
        place_id = _id(request.GET.get(scope.value))
        if place_id is None:
            break
        try:
            place = access_place(agent, scope, place_id)
        except Http404:  # a stale or foreign id in the query string
            break
        if chosen is not None and place.parent_id != chosen.id:
            break
        chosen = place
    return chosen


@agent_required
def market_overview(request: HttpRequest, agent: Agent) -> HttpResponse:
    kind = _kind(request)
    company = agent.company
    city = company_city(company)
    city_place = Place(Scope.CITY, city.pk, city.name) if city else None
    chosen = _chosen_place(request, agent)
    districts = market_places(company=company, scope=Scope.DISTRICT, kind=kind)
    district_id = chosen.district_id if chosen else None
    area_id = (
        (chosen.id if chosen.scope == Scope.BUSINESS_AREA else chosen.parent_id)
        if chosen and chosen.scope != Scope.DISTRICT
        else None
    )
    city_series = (
        market_series(company=company, place=city_place, kind=kind, months=MONTHS) if city_place else []
    )
    chosen_series = market_series(company=company, place=chosen, kind=kind, months=MONTHS) if chosen else []
    context = {
        **NAV,
        "kind": kind,
        "kinds": ListingKind.choices,
        "unit": _unit(kind),
        "city": city_place,
        "chosen": chosen,
        "now": city_series[-1] if city_series else None,
        "chosen_now": chosen_series[-1] if chosen_series else None,
        "districts": districts,
        "district_id": district_id,
        "area_id": area_id,
        "community_id": chosen.id if chosen and chosen.scope == Scope.COMMUNITY else None,
        "areas": business_areas_of_district(district_id) if district_id else [],
        "communities": communities_in_business_area(agent, area_id) if area_id else [],
        "has_figures": any(p.inventory or p.new_listings or p.left for p in city_series),
        "refreshed": market_last_refresh(company),
        "chart": {
            "unit": _unit(kind),
            "city_name": city_place.name if city_place else "",
            "city": series_chart(city_series),
            "chosen_name": chosen.name if chosen else "",
            "chosen": series_chart(chosen_series) if chosen else None,
            "districts": places_chart(districts),
        },
    }
    template = "web/market/overview.html"
    if getattr(request, "htmx", False):
        template += "#figures"
    return render(request, template, context)


@agent_required
def market_district(request: HttpRequest, agent: Agent, district_id: int) -> HttpResponse:
    kind = _kind(request)
    district = access_place(agent, Scope.DISTRICT, district_id)
    summary = district_summary(viewer=agent, district=district, kind=kind, months=MONTHS)
    return render(
        request,
        "web/market/district.html",
        {
            **NAV,
            "kind": kind,
            "kinds": ListingKind.choices,
            "unit": _unit(kind),
            "summary": summary,
            "chart": _summary_chart(summary, kind),
        },
    )


@agent_required
def market_district_summary(request: HttpRequest, agent: Agent, district_id: int) -> HttpResponse:
    """One printable page for a client: no agent or client data, only the agency's own figures."""
    kind = _kind(request)
    district = access_place(agent, Scope.DISTRICT, district_id)
    summary = district_summary(viewer=agent, district=district, kind=kind)
    return render(
        request,
        "web/market/summary.html",
        {
            **NAV,
            "kind": kind,
            "unit": _unit(kind),
            "company": agent.company,
            "today": timezone.localdate(),
            "summary": summary,
            "chart": _summary_chart(summary, kind),
        },
    )


def _summary_chart(summary: Any, kind: str) -> dict[str, Any]:
    return {
        "unit": _unit(kind),
        "city_name": _("全市"),
        "city": series_chart(summary.city_series),
        "chosen_name": summary.place.name,
        "chosen": series_chart(summary.series),
        "districts": places_chart(summary.areas),
    }
