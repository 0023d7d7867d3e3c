"""Listing search: every filter, every sort, pages that neither repeat nor skip, freshness, the seller as seen."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import timezone

from anju.core.errors import ApplicationError
from anju.geo.services import school_assign
from anju.listings.selectors import (
    SORTS,
    ListingFilters,
    is_stale,
    listing_search,
    listing_search_page,
    mask_name,
    seller_as_seen,
    years_held,
)
from tests.factories import (
    BusinessAreaFactory,
    ClientFactory,
    CommunityFactory,
    DistrictFactory,
    ListingFactory,
)
from tests.listings.conftest import assign_school


def ids(viewer, **filters) -> set[int]:
    return {x.pk for x in listing_search(viewer, ListingFilters(**filters))}


@pytest.fixture
def town(company):
    """Two districts, three communities, one with a key primary school."""
    east, west = DistrictFactory(name="洪山区"), DistrictFactory(name="江汉区")
    guanggu = BusinessAreaFactory(district=east, name="光谷")
    return {
        "east": east,
        "west": west,
        "guanggu": guanggu,
        "a": CommunityFactory(company=company, business_area=guanggu, name="光谷花园"),
        "b": CommunityFactory(
            company=company, business_area=BusinessAreaFactory(district=east), name="关山小区"
        ),
        "c": CommunityFactory(
            company=company, business_area=BusinessAreaFactory(district=west), name="唐家墩"
        ),
    }


def at(community, agent, **fields):
    return ListingFactory(
        agent=agent,
        property__community=community,
        property__area=fields.pop("area", Decimal("90.00")),
        property__rooms=fields.pop("rooms", 3),
        **fields,
    )


def test_each_filter_narrows_the_search(agent, colleague, town, time_machine):
    # given
    time_machine.move_to(dt.datetime(2025, 6, 30, 12, tzinfo=dt.UTC), tick=False)
    now = timezone.now()
    cheap = at(town["a"], agent, price=Decimal("1000000"), area=Decimal("50"), rooms=1, verified_at=now)
    mid = at(town["b"], colleague, price=Decimal("2000000"), area=Decimal("100"), rooms=3)
    dear = at(
        town["c"],
        colleague,
        price=Decimal("6000000"),
        area=Decimal("200"),
        rooms=5,
        verified_at=now - dt.timedelta(days=40),
    )
    rent = at(town["a"], agent, kind="rent", price=Decimal("3000"), area=Decimal("60"), rooms=2)
    sold = at(town["c"], agent, status="sold", price=Decimal("2500000"))
    school = assign_school(town["a"], level="primary")
    assign_school(town["c"], name="江汉区第一初级中学", level="middle")
    # when / then
    assert ids(agent) == {cheap.pk, mid.pk, dear.pk, rent.pk}
    assert ids(agent, statuses=[]) == {cheap.pk, mid.pk, dear.pk, rent.pk, sold.pk}
    assert ids(agent, statuses=["sold"]) == {sold.pk}
    assert ids(agent, kind="rent") == {rent.pk}
    assert ids(agent, districts=[town["east"].pk]) == {cheap.pk, mid.pk, rent.pk}
    assert ids(agent, districts=[town["east"].pk, town["west"].pk], kind="sale") == {
        cheap.pk,
        mid.pk,
        dear.pk,
    }
    assert ids(agent, business_area=town["guanggu"].pk) == {cheap.pk, rent.pk}
    assert ids(agent, community=town["b"].pk) == {mid.pk}
    assert ids(agent, price_min=Decimal("1500000"), price_max=Decimal("6000000")) == {mid.pk, dear.pk}
    assert ids(agent, unit_price_min=Decimal("25000")) == {dear.pk}
    assert ids(agent, unit_price_max=Decimal("20000"), kind="sale") == {cheap.pk, mid.pk}
    assert ids(agent, area_min=Decimal("60"), area_max=Decimal("100")) == {mid.pk, rent.pk}
    assert ids(agent, rooms=[1, 2]) == {cheap.pk, rent.pk}
    assert ids(agent, rooms=[5]) == {dear.pk}  # 5室+
    assert ids(agent, rooms_min=2, rooms_max=3) == {mid.pk, rent.pk}
    assert ids(agent, school=school.pk) == {cheap.pk, rent.pk}
    assert ids(agent, school_level="middle") == {dear.pk}
    assert ids(agent, freshness="fresh") == {cheap.pk}
    assert ids(agent, freshness="stale") == {mid.pk, dear.pk, rent.pk}
    assert ids(agent, verified=True) == {cheap.pk, dear.pk}
    assert ids(agent, verified=False) == {mid.pk, rent.pk}
    assert ids(agent, mine=True) == {cheap.pk, rent.pk}
    assert ids(colleague, mine=True) == {mid.pk, dear.pk}


def test_another_companys_listings_and_schools_never_match(agent, stranger, town):
    theirs = CommunityFactory(company=stranger.company, business_area=town["guanggu"])
    their_listing = ListingFactory(agent=stranger, property__community=theirs)
    school = assign_school(theirs)
    # the agent's own flat is assigned the same school: it is found, the other company's is not
    mine = at(town["a"], agent)
    school_assign(community=town["a"], school=school)
    assert ids(agent) == {mine.pk}
    assert ids(agent, school=school.pk) == {mine.pk}
    assert ids(stranger) == {their_listing.pk}


def test_every_row_says_whether_it_is_stale(agent, time_machine):
    # given
    time_machine.move_to(dt.datetime(2025, 6, 30, 12, tzinfo=dt.UTC), tick=False)
    company = agent.company
    company.listing_fresh_days = 7
    company.save()
    fresh = ListingFactory(agent=agent, verified_at=timezone.now() - dt.timedelta(days=6))
    old = ListingFactory(agent=agent, verified_at=timezone.now() - dt.timedelta(days=8))
    never = ListingFactory(agent=agent, verified_at=None)
    # when
    rows = {x.pk: x.is_stale for x in listing_search(agent, ListingFilters())}
    # then
    assert rows == {fresh.pk: False, old.pk: True, never.pk: True}
    assert [is_stale(x) for x in (fresh, old, never)] == [False, True, True]


SORT_KEYS = {
    "newest": lambda x: (-x.listed_on.toordinal(), -x.pk),
    "price_asc": lambda x: (x.price, x.pk),
    "price_desc": lambda x: (-x.price, -x.pk),
    "unit_price_asc": lambda x: (x.unit_price, x.pk),
    "unit_price_desc": lambda x: (-x.unit_price, -x.pk),
    "area_desc": lambda x: (-x.area, -x.pk),
}


@pytest.fixture
def many(agent, town):
    """25 listings in two districts with ties in every sort key."""
    rows = []
    for n in range(25):
        community = town["a"] if n % 2 else town["c"]
        rows.append(
            at(
                community,
                agent,
                price=Decimal(1_000_000 + (n % 5) * 250_000),
                area=Decimal(60 + (n % 4) * 20),
                listed_on=timezone.localdate() - dt.timedelta(days=n % 3),
            )
        )
    return rows


def read_all(viewer, filters, limit):
    seen, cursor, pages = [], None, 0
    while True:
        rows, cursor = listing_search_page(viewer, filters, cursor=cursor, limit=limit)
        seen += rows
        pages += 1
        if cursor is None:
            return seen, pages


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("by_district", [False, True])
def test_pages_follow_the_sort_without_repeating_or_skipping(agent, town, many, sort, by_district):
    # given
    filters = ListingFilters(sort=sort, kind="sale")
    if by_district:  # several districts are read district by district and merged
        filters = replace(filters, districts=[town["east"].pk, town["west"].pk])
    # when
    seen, pages = read_all(agent, filters, limit=7)
    # then
    expected = sorted(many, key=SORT_KEYS[sort])
    assert [x.pk for x in seen] == [x.pk for x in expected]
    assert pages == 4


def test_a_page_of_a_price_range_is_sorted_either_way(agent, town, many):
    filters = ListingFilters(price_min=Decimal("1250000"), price_max=Decimal("1500000"), sort="area_desc")
    seen, _pages = read_all(agent, filters, limit=4)
    expected = sorted(
        (x for x in many if Decimal("1250000") <= x.price <= Decimal("1500000")), key=SORT_KEYS["area_desc"]
    )
    assert [x.pk for x in seen] == [x.pk for x in expected]


def test_a_cursor_of_another_sort_is_refused_not_a_server_error(agent, many):
    _rows, cursor = listing_search_page(agent, ListingFilters(sort="newest"), cursor=None, limit=5)
    with pytest.raises(ApplicationError, match="分页游标无效"):
        listing_search_page(agent, ListingFilters(sort="price_asc"), cursor=cursor, limit=5)


def test_the_seller_is_shown_in_full_only_to_those_who_may_see_the_client(agent, colleague, manager):
    seller = ClientFactory(owner=agent, name="王建国", mobile="13812345678")
    mine = seller_as_seen(agent, seller)
    theirs = seller_as_seen(colleague, seller)
    managers = seller_as_seen(manager, seller)
    assert (mine.id, mine.name, mine.mobile, mine.masked) == (seller.pk, "王建国", "13812345678", False)
    assert (theirs.id, theirs.name, theirs.mobile, theirs.masked) == (None, "王**", "138****5678", True)
    assert managers.mobile == "13812345678"


def test_a_pool_sellers_name_is_shown_but_not_their_number(agent):
    seller = ClientFactory(owner=None, store=None, company=agent.company, name="李四", mobile="13900001111")
    seen = seller_as_seen(agent, seller)
    assert (seen.id, seen.name, seen.mobile, seen.masked) == (seller.pk, "李四", "139****1111", True)


@pytest.mark.parametrize(
    ("certificate", "today", "years"),
    [
        (dt.date(2020, 3, 1), dt.date(2025, 2, 28), 4),
        (dt.date(2020, 3, 1), dt.date(2025, 3, 1), 5),
        (dt.date(2023, 6, 30), dt.date(2025, 6, 30), 2),
        (None, dt.date(2025, 6, 30), None),
    ],
)
def test_years_held_decides_man_er_and_man_wu(certificate, today, years):
    assert years_held(certificate, today) == years


def test_names_are_masked_after_the_family_name():
    assert [mask_name(n) for n in ("王芳", "欧阳娜娜", "李", "")] == ["王*", "欧***", "李*", ""]
