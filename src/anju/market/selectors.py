"""Reads of the market figures: monthly series, places compared in one month, a district's summary.

Everything reads the precomputed ``MarketMonth`` rows (see ``services.market_refresh``), never the
listings, so a chart costs one indexed query whatever the size of the company. Figures are
company-wide: every agent of a company sees the same numbers, and only their own company's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.formats import FEN
from anju.geo.models import BusinessArea, City, Community, District
from anju.market.models import MarketMonth, MarketRefresh, Scope, Source
from anju.market.services import add_months, month_start, months_between
from anju.org.models import Agent, Company

MAX_MONTHS = 36
DEFAULT_MONTHS = 12
MAX_PLACES = 200


@dataclass(frozen=True)
class Place:
    scope: str
    id: int
    name: str
    district_id: int | None = None  # the district it lies in (itself for a district)
    parent_id: int | None = None  # a business area's district, a community's business area


@dataclass(frozen=True)
class MonthPoint:
    """One month of one place: counts, and averages worked out from the stored sums."""

    month: dt.date
    inventory: int = 0
    new_listings: int = 0
    left: int = 0
    closed: int = 0
    cuts: int = 0
    unit_price: Decimal | None = None  # 挂牌均价, 元/㎡ (for rent: 元/㎡/月)
    average_price: Decimal | None = None  # average asking price of one listing (rent: per month)
    cut_percent: Decimal | None = None  # average size of a cut, % of the old price
    days_on_market: int | None = None  # average, of the listings that left in the month
    # The month still running: its counts (new, left, cuts, days on market) run only to this day,
    # so it must never be read as a whole month. None for a month that is over.
    through: dt.date | None = None

    @property
    def partial(self) -> bool:
        return self.through is not None

    @classmethod
    def of(cls, row: MarketMonth | None, month: dt.date, *, today: dt.date | None = None) -> MonthPoint:
        through = today if today is not None and month_start(today) == month else None
        if row is None:
            return cls(month=month, through=through)
        priced = row.closed if row.source == Source.DEAL else row.inventory
        return cls(
            through=through,
            month=month,
            inventory=row.inventory,
            new_listings=row.new_listings,
            left=row.left,
            closed=row.closed,
            cuts=row.cuts,
            unit_price=_ratio(row.price_sum, row.area_sum),
            average_price=_ratio(row.price_sum, priced),
            cut_percent=_ratio(row.cut_ratio_sum * 100, row.cuts),
            days_on_market=round(row.days_on_market_sum / row.left) if row.left else None,
        )


@dataclass(frozen=True)
class PlacePoint:
    place: Place
    point: MonthPoint


def _ratio(total: Decimal, count: Decimal | int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(FEN, rounding=ROUND_HALF_UP)


def current_month(today: dt.date | None = None) -> dt.date:
    return month_start(today or timezone.localdate())


def _rows(company: Company, kind: str, source: str) -> QuerySet[MarketMonth]:
    return MarketMonth.objects.filter(company=company, kind=kind, source=source)


# --- places ----------------------------------------------------------------------------------


def access_place(viewer: Agent, scope: str, place_id: int | None) -> Place:
    """The city, district, business area or community ``place_id`` names, or 404.

    Districts and business areas are shared geography; communities belong to a company's own
    dictionary, so another company's community is not found. The city defaults to the one most of
    the company's communities lie in.
    """
    if scope == Scope.CITY:
        city = (
            City.objects.filter(pk=place_id).first() if place_id is not None else company_city(viewer.company)
        )
        if city is None:
            raise Http404(_("没有找到该城市。"))
        return Place(Scope.CITY, city.pk, city.name)
    if place_id is None:
        raise Http404(_("请选择区县、板块或小区。"))
    if scope == Scope.DISTRICT:
        district = District.objects.filter(pk=place_id).first()
        if district is None:
            raise Http404(_("没有找到该区县。"))
        return Place(Scope.DISTRICT, district.pk, district.name, district.pk)
    if scope == Scope.BUSINESS_AREA:
        area = BusinessArea.objects.filter(pk=place_id).first()
        if area is None:
            raise Http404(_("没有找到该板块。"))
        return Place(Scope.BUSINESS_AREA, area.pk, area.name, area.district_id, area.district_id)
    if scope == Scope.COMMUNITY:
        community = Community.objects.filter(pk=place_id, company=viewer.company_id).first()
        if community is None:
            raise Http404(_("没有找到该小区。"))
        return Place(
            Scope.COMMUNITY, community.pk, community.name, community.district_id, community.business_area_id
        )
    raise Http404(_("没有这种统计范围。"))


def company_city(company: Company) -> City | None:
    """The city of the company's communities (the first, for a company in several)."""
    district_id = (
        Community.objects.filter(company=company).order_by("pk").values_list("district_id", flat=True).first()
    )
    if district_id is None:
        return City.objects.filter(name=company.city).first() if company.city else None
    return City.objects.filter(districts=district_id).first()


def _names(scope: str, ids: list[int], company: Company) -> dict[int, tuple[str, int | None]]:
    """Names (and districts) of places, one query."""
    if scope == Scope.DISTRICT:
        return {pk: (name, pk) for pk, name in District.objects.filter(pk__in=ids).values_list("pk", "name")}
    rows: Iterable[tuple[int, str, int]]
    if scope == Scope.BUSINESS_AREA:
        rows = BusinessArea.objects.filter(pk__in=ids).values_list("pk", "name", "district_id")
    elif scope == Scope.COMMUNITY:
        rows = Community.objects.filter(pk__in=ids, company=company).values_list("pk", "name", "district_id")
    else:
        return {pk: (name, None) for pk, name in City.objects.filter(pk__in=ids).values_list("pk", "name")}
    return {pk: (name, district) for pk, name, district in rows}


# --- series and comparisons --------------------------------------------------------------------


def market_series(
    *,
    company: Company,
    place: Place,
    kind: str,
    months: int = DEFAULT_MONTHS,
    source: str = Source.ASKING,
    today: dt.date | None = None,
) -> list[MonthPoint]:
    """``months`` months up to the current one, oldest first; a month without a row is all zeros."""
    months = max(1, min(months, MAX_MONTHS))
    last = current_month(today)
    first = add_months(last, -(months - 1))
    rows = {
        row.month: row
        for row in _rows(company, kind, source).filter(
            scope=place.scope, scope_id=place.id, month__gte=first, month__lte=last
        )
    }
    today = today or timezone.localdate()
    return [MonthPoint.of(rows.get(month), month, today=today) for month in months_between(first, last)]


def market_places(
    *,
    company: Company,
    scope: str,
    kind: str,
    within: Place | None = None,
    source: str = Source.ASKING,
    month: dt.date | None = None,
    after: int | None = None,
    limit: int = MAX_PLACES,
) -> list[PlacePoint]:
    """The places of one scope in one month (default: the current one), by id, from ``after`` on.

    ``within`` narrows business areas and communities to a district or business area.
    """
    month = month or current_month()
    rows = _rows(company, kind, source).filter(scope=scope, month=month)
    if within is not None and scope in (Scope.BUSINESS_AREA, Scope.COMMUNITY):
        ids = _ids_within(company, scope, within)
        rows = rows.filter(scope_id__in=ids)
    if after is not None:
        rows = rows.filter(scope_id__gt=after)
    picked = list(rows.order_by("scope_id")[: max(1, min(limit, MAX_PLACES))])
    names = _names(scope, [r.scope_id for r in picked], company)
    return [
        PlacePoint(
            Place(
                scope, r.scope_id, names.get(r.scope_id, ("—", None))[0], names.get(r.scope_id, ("", None))[1]
            ),
            MonthPoint.of(r, month, today=timezone.localdate()),
        )
        for r in picked
    ]


def _ids_within(company: Company, scope: str, within: Place) -> QuerySet:
    if scope == Scope.BUSINESS_AREA:
        if within.scope == Scope.DISTRICT:
            return BusinessArea.objects.filter(district_id=within.id).values("pk")
        return BusinessArea.objects.filter(pk=within.id).values("pk")
    communities = Community.objects.filter(company=company)
    if within.scope == Scope.DISTRICT:
        return communities.filter(district_id=within.id).values("pk")
    if within.scope == Scope.BUSINESS_AREA:
        return communities.filter(business_area_id=within.id).values("pk")
    if within.scope == Scope.COMMUNITY:
        return communities.filter(pk=within.id).values("pk")
    return communities.values("pk")


def market_last_refresh(company: Company) -> MarketRefresh | None:
    return MarketRefresh.objects.filter(company=company).first()


# --- a district's one-page summary ---------------------------------------------------------------


@dataclass(frozen=True)
class DistrictSummary:
    place: Place
    kind: str
    series: list[MonthPoint]
    city_series: list[MonthPoint]
    areas: list[PlacePoint]  # its business areas this month, dearest first
    refreshed: MarketRefresh | None

    @property
    def now(self) -> MonthPoint:
        return self.series[-1]

    @property
    def month_change(self) -> Decimal | None:
        """环比: this month's asking unit price against last month's, in %."""
        return _change(
            self.series[-1].unit_price, self.series[-2].unit_price if len(self.series) > 1 else None
        )

    @property
    def year_change(self) -> Decimal | None:
        """同比: against the same month a year ago (when the series reaches back that far)."""
        return _change(
            self.series[-1].unit_price, self.series[-13].unit_price if len(self.series) > 12 else None
        )

    @property
    def city_now(self) -> MonthPoint:
        return self.city_series[-1]

    @property
    def has_figures(self) -> bool:
        return any(p.inventory or p.new_listings or p.left for p in self.series)


def _change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    if now is None or not before:
        return None
    return ((now - before) / before * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def district_summary(
    *, viewer: Agent, district: Place, kind: str, months: int = 13, today: dt.date | None = None
) -> DistrictSummary:
    company = viewer.company
    city = company_city(company)
    series = market_series(company=company, place=district, kind=kind, months=months, today=today)
    city_series = (
        market_series(
            company=company,
            place=Place(Scope.CITY, city.pk, city.name),
            kind=kind,
            months=months,
            today=today,
        )
        if city is not None
        else [MonthPoint(month=p.month, through=p.through) for p in series]
    )
    areas = market_places(
        company=company, scope=Scope.BUSINESS_AREA, kind=kind, within=district, month=current_month(today)
    )
    areas.sort(key=lambda p: p.point.unit_price or Decimal(0), reverse=True)
    return DistrictSummary(district, kind, series, city_series, areas, market_last_refresh(company))
