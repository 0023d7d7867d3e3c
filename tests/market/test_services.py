"""market_refresh: month-end inventory, new listings, exits, price cuts and days on market, by place."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from anju.core.announcements import announce
from anju.listings.announcements import ListingsChanged
from anju.listings.models import Listing
from anju.listings.services import listing_mark_sold, listing_reprice, listing_withdraw
from anju.market.models import MarketMonth, MarketRefresh, Scope, Source
from anju.market.services import market_refresh
from tests.factories import (
    BusinessAreaFactory,
    CommunityFactory,
    ListingFactory,
    PropertyFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def listing(agent, community, *, price: str, area: str, listed_on: dt.date, kind: str = "sale") -> Listing:
    prop = PropertyFactory(company=agent.company, community=community, area=Decimal(area))
    return ListingFactory(agent=agent, property=prop, kind=kind, price=Decimal(price), listed_on=listed_on)


def row(company, scope: str, scope_id: int, month: dt.date, kind: str = "sale") -> MarketMonth:
    return MarketMonth.objects.get(
        company=company, source=Source.ASKING, kind=kind, scope=scope, scope_id=scope_id, month=month
    )


@pytest.fixture
def town(agent):
    """Two communities in two business areas of one district, and one in another district."""
    area = BusinessAreaFactory()
    first = CommunityFactory(company=agent.company, business_area=area, name="光谷花园")
    second = CommunityFactory(
        company=agent.company, business_area=BusinessAreaFactory(district=area.district), name="关山小区"
    )
    elsewhere = CommunityFactory(company=agent.company, name="后湖小区")
    return first, second, elsewhere


@pytest.mark.django_db
def test_the_refresh_follows_listings_through_the_months(agent, town, time_machine):
    # given: a listing cut in price at 00:30 on 1 November in Beijing (still 31 October in UTC)
    first, second, _elsewhere = town
    time_machine.move_to(at(2026, 9, 10, 9, 0), tick=False)
    cut = listing(agent, first, price="2000000", area="100", listed_on=dt.date(2026, 9, 10))
    time_machine.move_to(at(2026, 11, 1, 0, 30), tick=False)
    listing_reprice(listing=cut, price=Decimal("1900000"), by=agent)
    # given: a listing sold 25 days after it was listed
    time_machine.move_to(at(2026, 9, 20, 9, 0), tick=False)
    sold = listing(agent, second, price="1000000", area="50", listed_on=dt.date(2026, 9, 20))
    time_machine.move_to(at(2026, 10, 15, 16, 0), tick=False)
    listing_mark_sold(listing=sold, by=agent)
    # given: a listing written in bulk (no history), withdrawn on 1 November in Beijing
    old = listing(agent, first, price="1500000", area="75", listed_on=dt.date(2026, 8, 1))
    Listing.history.model.objects.filter(id=old.pk).delete()
    Listing.objects.filter(pk=old.pk).update(status="withdrawn", updated_at=at(2026, 11, 1, 0, 30))
    announce(ListingsChanged(company_id=old.company_id, listing_ids=(old.pk,)))  # as a bulk writer must
    # given: a rent listing in the same community
    listing(agent, first, price="5000", area="100", listed_on=dt.date(2026, 10, 5), kind="rent")
    time_machine.move_to(TODAY, tick=False)

    # when
    refresh = market_refresh(company=agent.company)

    # then: the district holds all sale listings, month by month
    district = first.district_id
    august = row(agent.company, Scope.DISTRICT, district, dt.date(2026, 8, 1))
    assert (august.inventory, august.new_listings, august.price_sum, august.area_sum) == (
        1,
        1,
        Decimal("1500000.00"),
        Decimal("75.00"),
    )
    september = row(agent.company, Scope.DISTRICT, district, dt.date(2026, 9, 1))
    assert (september.inventory, september.new_listings, september.left) == (3, 2, 0)
    assert september.price_sum == Decimal("4500000.00")  # the cut listing at its first price
    october = row(agent.company, Scope.DISTRICT, district, dt.date(2026, 10, 1))
    assert (october.inventory, october.left, october.closed, october.days_on_market_sum) == (2, 1, 1, 25)
    assert october.cuts == 0
    november = row(agent.company, Scope.DISTRICT, district, dt.date(2026, 11, 1))
    assert (november.inventory, november.left, november.closed) == (1, 1, 0)
    assert (november.cuts, november.cut_ratio_sum) == (1, Decimal("0.050000"))
    assert (november.price_sum, november.area_sum) == (Decimal("1900000.00"), Decimal("100.00"))
    assert november.days_on_market_sum == (dt.date(2026, 11, 1) - dt.date(2026, 8, 1)).days
    # then: each community, business area and the city add up the same way
    assert row(agent.company, Scope.COMMUNITY, first.pk, dt.date(2026, 11, 1)).inventory == 1
    assert row(agent.company, Scope.BUSINESS_AREA, second.business_area_id, dt.date(2026, 10, 1)).left == 1
    assert row(agent.company, Scope.CITY, first.district.city_id, dt.date(2026, 9, 1)).inventory == 3
    assert not MarketMonth.objects.filter(scope=Scope.COMMUNITY, scope_id=second.pk, month__gt="2026-10-01")
    # then: rent is counted on its own
    rent = row(agent.company, Scope.COMMUNITY, first.pk, dt.date(2026, 11, 1), kind="rent")
    assert (rent.inventory, rent.price_sum) == (1, Decimal("5000.00"))
    assert refresh.listings == 4
    assert MarketRefresh.objects.get(company=agent.company).rows == refresh.rows


@pytest.mark.django_db
def test_a_price_change_after_a_listing_left_does_not_move_the_asking_figures(agent, town, time_machine):
    # given: withdrawn in October, then repriced in November while off the market
    first = town[0]
    time_machine.move_to(at(2026, 9, 1, 9, 0), tick=False)
    gone = listing(agent, first, price="2000000", area="100", listed_on=dt.date(2026, 9, 1))
    time_machine.move_to(at(2026, 10, 10, 9, 0), tick=False)
    listing_withdraw(listing=gone, by=agent)
    time_machine.move_to(at(2026, 11, 5, 9, 0), tick=False)
    listing_reprice(listing=gone, price=Decimal("1800000"), by=agent)
    time_machine.move_to(TODAY, tick=False)
    # when
    market_refresh(company=agent.company)
    # then: it left at the price it was asking, and nothing is on the market afterwards
    october = row(agent.company, Scope.COMMUNITY, first.pk, dt.date(2026, 10, 1))
    assert (october.inventory, october.left, october.price_sum) == (0, 1, Decimal("0.00"))
    november = row(agent.company, Scope.COMMUNITY, first.pk, dt.date(2026, 11, 1))
    assert (november.inventory, november.price_sum, november.cuts) == (0, Decimal("0.00"), 1)


@pytest.mark.django_db
def test_deal_rows_are_kept_apart_and_other_companies_are_not_counted(agent, stranger, town, time_machine):
    # given: a deal-source row, and a listing of another company in its own community
    time_machine.move_to(TODAY, tick=False)
    first = town[0]
    listing(agent, first, price="2000000", area="100", listed_on=dt.date(2026, 11, 2))
    theirs = CommunityFactory(company=stranger.company, business_area=first.business_area)
    listing(stranger, theirs, price="9000000", area="100", listed_on=dt.date(2026, 11, 2))
    deal = MarketMonth.objects.create(
        company=agent.company,
        source=Source.DEAL,
        kind="sale",
        scope=Scope.DISTRICT,
        scope_id=first.district_id,
        month=dt.date(2026, 11, 1),
        left=1,
        closed=1,
        price_sum=Decimal("3000000"),
        area_sum=Decimal("100"),
    )
    # when
    market_refresh(company=agent.company)
    market_refresh(company=agent.company)  # twice: the second run replaces, never adds
    # then
    asking = row(agent.company, Scope.DISTRICT, first.district_id, dt.date(2026, 11, 1))
    assert (asking.inventory, asking.price_sum) == (1, Decimal("2000000.00"))
    deal.refresh_from_db()
    assert deal.price_sum == Decimal("3000000.00")
    assert not MarketMonth.objects.filter(company=stranger.company).exists()


@pytest.mark.django_db
def test_a_company_without_listings_gets_no_rows(admin_agent, time_machine):
    # given
    time_machine.move_to(TODAY, tick=False)
    company = admin_agent.company
    # when
    refresh = market_refresh(company=company)
    # then: the refresh ran and recorded that it found nothing
    assert (refresh.listings, refresh.rows) == (0, 0)
    assert MarketRefresh.objects.get(company=company).rows == 0
    assert not MarketMonth.objects.exists()
