"""The engine against brute force: every need checked with ``hard_fit``, every listing sorted by ``score``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anju.geo.models import CommunityStation, School, SchoolAssignment, SubwayStation
from anju.listings.models import Listing
from anju.matching.models import Match, MatchStatus, NeedMatchSettings
from anju.matching.search import layout, resident
from anju.matching.search.criteria import criteria_for_need
from anju.matching.search.engine import count_fitting, listings_for_need, needs_for_listing
from anju.matching.search.learning import preferences_for_need
from anju.matching.search.scoring import hard_fit, score
from anju.needs.models import Need
from tests.factories import (
    AgentFactory,
    BusinessAreaFactory,
    ClientFactory,
    CommunityFactory,
    DistrictFactory,
    ListingFactory,
    NeedFactory,
    PropertyFactory,
)

pytestmark = pytest.mark.django_db

ORIENTATIONS = ("S", "SN", "E", "W", "N", "SE", "SW", "EW")


@pytest.fixture
def world(agent):
    """Two districts, three communities (one near a station and in a primary school's catchment)."""
    company = agent.company
    first, second = DistrictFactory(), DistrictFactory()
    area_a, area_b = BusinessAreaFactory(district=first), BusinessAreaFactory(district=second)
    communities = [
        CommunityFactory(company=company, business_area=area_a),
        CommunityFactory(company=company, business_area=area_a),
        CommunityFactory(company=company, business_area=area_b),
    ]
    school = School.objects.create(
        city=first.city, district=first, name="实验小学", level="primary", is_key=True
    )
    SchoolAssignment.objects.create(community=communities[0], school=school)
    station = SubwayStation.objects.create(
        city=first.city, line="2号线", name="光谷广场", latitude=Decimal("30.5"), longitude=Decimal("114.4")
    )
    CommunityStation.objects.create(community=communities[0], station=station, distance_m=400)
    return {
        "agent": agent,
        "communities": communities,
        "districts": [first, second],
        "areas": [area_a, area_b],
    }


listing_spec = st.fixed_dictionaries(
    {
        "community": st.integers(0, 2),
        "kind": st.sampled_from(["sale", "sale", "rent"]),
        "status": st.sampled_from(["active", "active", "active", "reserved", "sold"]),
        "price": st.integers(150, 400).map(lambda n: Decimal(n * 10000)),
        "rooms": st.integers(1, 5),
        "area": st.integers(40, 160).map(Decimal),
        "floor": st.integers(1, 20),
        "elevator": st.booleans(),
        "orientation": st.sampled_from(ORIENTATIONS),
        "build_year": st.one_of(st.none(), st.integers(1990, 2022)),
        "verified_days_ago": st.one_of(st.none(), st.integers(0, 30)),
    }
)
need_spec = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["buy", "buy", "rent"]),
        "districts": st.sets(st.integers(0, 1), max_size=2),
        "areas": st.sets(st.integers(0, 1), max_size=1),
        "communities": st.sets(st.integers(0, 2), max_size=1),
        "budget_min": st.one_of(st.none(), st.integers(150, 300).map(lambda n: Decimal(n * 10000))),
        "budget_span": st.one_of(st.none(), st.integers(0, 150).map(lambda n: Decimal(n * 10000))),
        "rooms_min": st.one_of(st.none(), st.integers(1, 4)),
        "area_max": st.one_of(st.none(), st.integers(60, 150).map(Decimal)),
        "floor_max": st.one_of(st.none(), st.integers(3, 15)),
        "orientations": st.lists(st.sampled_from(ORIENTATIONS), max_size=3, unique=True),
        "elevator_required": st.booleans(),
        "build_year_min": st.one_of(st.none(), st.integers(1995, 2015)),
        "school_required": st.booleans(),
        "status": st.sampled_from(["active", "active", "paused"]),
        "tolerance": st.sampled_from([None, Decimal("0.100")]),
        "verified_only": st.booleans(),
    }
)


def _make_listing(world, spec) -> Listing:
    agent = world["agent"]
    community = world["communities"][spec["community"]]
    prop = PropertyFactory(
        company=agent.company,
        community=community,
        floor=spec["floor"],
        total_floors=20,
        rooms=spec["rooms"],
        area=spec["area"],
        orientation=spec["orientation"],
        has_elevator=spec["elevator"],
        build_year=spec["build_year"],
    )
    verified = spec["verified_days_ago"]
    listing = ListingFactory(
        agent=agent,
        property=prop,
        kind=spec["kind"],
        status=spec["status"],
        price=spec["price"] if spec["kind"] == "sale" else spec["price"] / 1000,
        verified_at=None if verified is None else timezone.now() - dt.timedelta(days=verified),
    )
    layout.listing_refresh(listing_id=listing.pk)
    return listing


def _make_need(world, spec) -> Need:
    agent = world["agent"]
    scale = 1 if spec["kind"] == "buy" else Decimal("0.001")
    low = spec["budget_min"]
    high = None if spec["budget_span"] is None else (low or Decimal(1500000)) + spec["budget_span"]
    need = NeedFactory(
        client=ClientFactory(owner=agent),
        agent=agent,
        kind=spec["kind"],
        status=spec["status"],
        budget_min=None if low is None else low * scale,
        budget_max=None if high is None else high * scale,
        rooms_min=spec["rooms_min"],
        area_max=spec["area_max"],
        floor_max=spec["floor_max"],
        orientations=spec["orientations"],
        elevator_required=spec["elevator_required"],
        build_year_min=spec["build_year_min"],
        school_required=spec["school_required"],
        school_level="primary" if spec["school_required"] else "",
    )
    need.districts.set([world["districts"][i] for i in spec["districts"]])
    need.business_areas.set([world["areas"][i] for i in spec["areas"]])
    need.communities.set([world["communities"][i] for i in spec["communities"]])
    if spec["tolerance"] is not None or not spec["verified_only"]:
        NeedMatchSettings.objects.create(
            need=need, tolerance=spec["tolerance"] or Decimal("0.05"), verified_only=spec["verified_only"]
        )
    layout.need_refresh(need_id=need.pk)
    return need


def _recommendable(listing: Listing, criteria, now) -> bool:
    _facts, status, fresh = layout.facts_for_listings([listing.pk])[listing.pk]
    return status == "active" and fresh >= layout.fresh_cutoff_epoch(listing.company, now)


@pytest.fixture
def no_copies():
    resident.forget()
    yield
    resident.forget()


# Who answers: the database; a copy in memory read before the data (all of it is changes the
# copy learns from the change log); a copy read after it.
ANSWERED_BY = ("database", "copy, then changes", "copy of everything")


@pytest.mark.parametrize("answered_by", ANSWERED_BY)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    listings=st.lists(listing_spec, min_size=1, max_size=12),
    needs=st.lists(need_spec, min_size=1, max_size=6),
)
def test_engine_equals_brute_force(world, no_copies, answered_by, listings, needs):
    # given random listings and needs
    company_id = world["agent"].company_id
    if answered_by == "copy, then changes":
        resident.load(company_id)
    made = [_make_listing(world, spec) for spec in listings]
    wanted = [_make_need(world, spec) for spec in needs]
    if answered_by == "copy of everything":
        resident.load(company_id)
    assert (resident.answering(company_id) is None) == (answered_by == "database")
    in_play = [lst for lst in made if lst.status in ("active", "reserved")]
    facts = {lst.pk: layout.facts_for_listings([lst.pk])[lst.pk][0] for lst in in_play}
    # Every question is asked at one instant: a listing on the freshness cutoff must not cross it
    # between the brute force and the engine.
    now = timezone.now()
    try:
        for need in wanted:
            if need.status != "active":
                continue
            criteria = criteria_for_need(need)
            # when the engine ranks the listings for the need
            result = listings_for_need(need, limit=5, now=now)
            # then it is the brute-force top five: fitting, recommendable, sorted by score then id
            fitting = [
                lst
                for lst in in_play
                if hard_fit(criteria, facts[lst.pk]) and _recommendable(lst, criteria, now)
            ]
            expected = sorted(
                ((score(criteria, facts[lst.pk]).score, lst.pk) for lst in fitting),
                key=lambda p: (-p[0], p[1]),
            )
            assert [(m.score, m.listing_id) for m in result.items] == expected[:5]
            assert result.total_fitting == len(fitting) == count_fitting(need.company, criteria, now=now)
            # and paging through the ranking two at a time (one past the end) gives every fitting
            # listing exactly once, in the brute-force order
            pages = [
                listings_for_need(need, limit=2, offset=offset, now=now).items
                for offset in range(0, len(fitting) + 2, 2)
            ]
            assert [(m.score, m.listing_id) for page in pages for m in page] == expected
            assert pages[-1] == []
            # and what was left out is counted by its first reason: reserved, stale, then unverified
            loose = replace(criteria, verified_only=False)
            left_out: Counter[str] = Counter()
            for lst in in_play:
                if not hard_fit(loose, facts[lst.pk]) or lst in fitting:
                    continue
                if lst.status == "reserved":
                    left_out["已预定"] += 1
                elif not _recommendable(lst, criteria, now):
                    left_out[f"待核实（{need.company.listing_fresh_days}天内未核实）"] += 1
                else:
                    left_out["未核实（要求真房源）"] += 1
            assert result.excluded == dict(left_out)
        for listing in made:
            # when the engine finds the needs for a listing
            found = needs_for_listing(listing, now=now)
            # then they are exactly the active needs whose hard requirements it meets
            expected_needs = set()
            if listing.status == "active" and _recommendable(listing, None, now):
                expected_needs = {
                    n.pk
                    for n in wanted
                    if n.status == "active" and hard_fit(criteria_for_need(n), facts[listing.pk])
                }
            assert {m.need_id for m in found.items} == expected_needs
            for match in found.items:
                need = Need.objects.get(pk=match.need_id)
                assert match.score == score(criteria_for_need(need), facts[listing.pk]).score
    finally:
        Need.objects.filter(pk__in=[n.pk for n in wanted]).delete()
        for lst in made:
            listing_id = lst.pk
            lst.delete()
            layout.listing_refresh(listing_id=listing_id)
        for need in wanted:
            layout.need_refresh(need_id=need.pk)
        resident.forget()


def test_reasons_and_exclusions(world):
    # given a need for a primary-school flat under 300万 and listings that fit it, one reserved
    good = _make_listing(
        world,
        {
            "community": 0, "kind": "sale", "status": "active", "price": Decimal(2820000), "rooms": 3,
            "area": Decimal(90), "floor": 5, "elevator": False, "orientation": "S", "build_year": 1998,
            "verified_days_ago": 1,
        },
    )  # fmt: skip
    reserved = _make_listing(world, {**_spec_of(good), "status": "reserved"})
    need = _make_need(
        world,
        {
            "kind": "buy", "districts": {0}, "areas": set(), "communities": set(),
            "budget_min": Decimal(2000000), "budget_span": Decimal(1000000), "rooms_min": 3, "area_max": None,
            "floor_max": None, "orientations": [], "elevator_required": False, "build_year_min": 2005,
            "school_required": True, "status": "active", "tolerance": None, "verified_only": True,
        },
    )  # fmt: skip
    # when
    result = listings_for_need(need)
    # then the fitting one comes with its reasons and the reserved one is counted as left out
    assert [m.listing_id for m in result.items] == [good.pk]
    item = result.items[0]
    assert "总价在预算内，低于上限6%" in item.fits
    assert "实验小学学区" in item.fits
    assert "距地铁2号线400米" in item.fits
    assert "5楼无电梯" in item.lacks
    assert "建成于1998年，早于要求的2005年" in item.lacks
    assert result.excluded == {"已预定": 1}
    assert reserved.pk not in [m.listing_id for m in result.items]


def _spec_of(listing: Listing) -> dict:
    return {
        "community": 0, "kind": listing.kind, "status": listing.status, "price": listing.price,
        "rooms": listing.rooms, "area": listing.area, "floor": listing.property.floor,
        "elevator": listing.property.has_elevator, "orientation": listing.property.orientation,
        "build_year": listing.property.build_year, "verified_days_ago": 1,
    }  # fmt: skip


@pytest.mark.parametrize("answered_by", ANSWERED_BY[:2])
def test_rejecting_north_facing_flats_ranks_them_lower(world, no_copies, answered_by):
    # given a need, three rejected north-facing flats, and two otherwise equal candidates
    if answered_by != "database":
        resident.load(world["agent"].company_id)
    need = _make_need(
        world,
        {
            "kind": "buy", "districts": set(), "areas": set(), "communities": set(), "budget_min": None,
            "budget_span": None, "rooms_min": None, "area_max": None, "floor_max": None, "orientations": [],
            "elevator_required": False, "build_year_min": None, "school_required": False, "status": "active",
            "tolerance": None, "verified_only": True,
        },
    )  # fmt: skip
    base = {
        "community": 2, "kind": "sale", "status": "active", "price": Decimal(2000000), "rooms": 3,
        "area": Decimal(90), "floor": 3, "elevator": True, "orientation": "N", "build_year": 2010,
        "verified_days_ago": 1,
    }  # fmt: skip
    rejected = [_make_listing(world, base) for _ in range(3)]
    north = _make_listing(world, base)
    south = _make_listing(world, {**base, "orientation": "S"})
    assert north.pk < south.pk
    before = listings_for_need(need)
    assert [m.listing_id for m in before.items][:1] == [rejected[0].pk]  # ties: lowest id first
    for listing in rejected:
        Match.objects.create(
            company=need.company,
            need=need,
            listing=listing,
            agent=need.agent,
            score=80,
            status=MatchStatus.REJECTED,
        )
    layout.need_refresh(need_id=need.pk)
    # when
    after = listings_for_need(need)
    # then the south-facing one now comes first, the north-facing one lower with the reason
    ids = [m.listing_id for m in after.items]
    assert ids[0] == south.pk
    assert ids.index(north.pk) > ids.index(south.pk)
    assert "您已拒绝过3套朝北的房子" in after.items[ids.index(north.pk)].lacks
    assert after.excluded == {"已拒绝过": 3}
    assert preferences_for_need(need).adjustments[0].points < 0
    # and the listing's side agrees
    found = {m.need_id: m.score for m in needs_for_listing(north).items}
    assert found[need.pk] == after.items[ids.index(north.pk)].score
    assert needs_for_listing(rejected[0]).total == 0 or need.pk not in {
        m.need_id for m in needs_for_listing(rejected[0]).items
    }


def test_a_sold_listing_satisfies_no_need(world):
    # given a need and two flats that fit it alike, one of them sold
    need = _make_need(
        world,
        {
            "kind": "buy", "districts": {0}, "areas": set(), "communities": set(),
            "budget_min": Decimal(2000000), "budget_span": Decimal(1000000), "rooms_min": None, "area_max": None,
            "floor_max": None, "orientations": [], "elevator_required": False, "build_year_min": None,
            "school_required": False, "status": "active", "tolerance": None, "verified_only": True,
        },
    )  # fmt: skip
    flat = {
        "community": 0, "kind": "sale", "status": "active", "price": Decimal(2500000), "rooms": 3,
        "area": Decimal(90), "floor": 3, "elevator": True, "orientation": "S", "build_year": 2010,
        "verified_days_ago": 1,
    }  # fmt: skip
    sold = _make_listing(world, {**flat, "status": "sold"})
    on_sale = _make_listing(world, flat)
    # when
    found = needs_for_listing(sold)
    # then
    assert found.total == 0
    assert [m.need_id for m in needs_for_listing(on_sale).items] == [need.pk]  # the same flat unsold fits
    assert AgentFactory  # factories imported for the world above
