"""/api/v1/market — asking prices, price cuts, days on market and inventory, month by month.

All figures are the company's own (every agent of a company reads the same numbers) and come from
the precomputed monthly rows, so each answer is one or two indexed queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from anju.core.errors import ApplicationError
from anju.core.schemas import ERRORS
from anju.market.models import Scope
from anju.market.schemas import PlacesIn, PlacesOut, SeriesIn, SeriesOut, SummaryIn, SummaryOut
from anju.market.selectors import (
    MonthPoint,
    Place,
    PlacePoint,
    access_place,
    current_month,
    district_summary,
    market_places,
    market_series,
)
from anju.org.scoping import agent_of

router = Router(tags=["市场行情"])


def place_out(place: Place) -> dict:
    return {"scope": place.scope, "id": place.id, "name": place.name}


def month_out(point: MonthPoint) -> dict:
    return asdict(point)


def place_month_out(item: PlacePoint) -> dict:
    return {"place": place_out(item.place), "figures": month_out(item.point)}


@router.get(
    "/series",
    response={200: SeriesOut, **ERRORS},
    summary="某地逐月行情（挂牌均价、库存、新增、降价、在市天数）",
)
def series(request: HttpRequest, query: Query[SeriesIn]) -> dict:
    viewer = agent_of(request.user)
    place = access_place(viewer, query.scope, query.id)
    points = market_series(
        company=viewer.company, place=place, kind=query.kind, months=query.months, source=query.source
    )
    return {
        "place": place_out(place),
        "kind": query.kind,
        "source": query.source,
        "months": [month_out(p) for p in points],
    }


@router.get(
    "/places", response={200: PlacesOut, **ERRORS}, summary="同一月份各区县、板块或小区的行情（按 id 翻页）"
)
def places(request: HttpRequest, query: Query[PlacesIn]) -> dict:
    viewer = agent_of(request.user)
    within = None
    if query.within_scope is not None:
        if query.within_id is None:
            raise ApplicationError(_("请同时给出 within_id（区县或板块的 id）。"), code="within_id_required")
        within = access_place(viewer, query.within_scope, query.within_id)
    month = dt.date(int(query.month[:4]), int(query.month[5:7]), 1) if query.month else current_month()
    items = market_places(
        company=viewer.company,
        scope=query.scope,
        kind=query.kind,
        within=within,
        source=query.source,
        month=month,
        after=query.after,
        limit=query.limit + 1,
    )
    more = len(items) > query.limit
    items = items[: query.limit]
    return {
        "month": month,
        "items": [place_month_out(i) for i in items],
        "next_after": items[-1].place.id if more else None,
    }


@router.get("/summary", response={200: SummaryOut, **ERRORS}, summary="区县行情摘要（可发给客户的一页）")
def summary(request: HttpRequest, query: Query[SummaryIn]) -> dict:
    viewer = agent_of(request.user)
    district = access_place(viewer, Scope.DISTRICT, query.district)
    result = district_summary(viewer=viewer, district=district, kind=query.kind)
    return {
        "place": place_out(district),
        "kind": query.kind,
        "now": month_out(result.now),
        "month_change_percent": result.month_change,
        "year_change_percent": result.year_change,
        "city": month_out(result.city_now),
        "months": [month_out(p) for p in result.series],
        "business_areas": [place_month_out(a) for a in result.areas],
        "refreshed_at": result.refreshed.finished_at if result.refreshed else None,
    }
