"""The demo's pure generators: names, mobiles, communities and flats, without a database."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

from anju.demo.clock import DemoClock
from anju.demo.communities import plan_communities
from anju.demo.geography import WUHAN
from anju.demo.listing_rows import (
    PROPERTY_COLUMNS,
    CommunityRef,
    FieldAgent,
    ListingContext,
    generate_listings,
)
from anju.demo.people import MOBILE_PREFIXES, SURNAMES, MobileNumbers, person_name


def test_mobile_numbers_never_repeat_and_look_real():
    # given
    mobiles = MobileNumbers("seed")
    # when
    numbers = [mobiles.number(i) for i in range(200_000)]
    # then
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"1[3-9]\d{9}", n) for n in numbers)
    prefixes = Counter(n[:3] for n in numbers)
    assert set(prefixes) == set(MOBILE_PREFIXES)  # spread over every carrier prefix, not counting up


def test_mobile_numbers_depend_on_the_seed_only():
    # when
    first, again, other = MobileNumbers("a"), MobileNumbers("a"), MobileNumbers("b")
    # then
    assert [first.number(i) for i in range(100)] == [again.number(i) for i in range(100)]
    assert [first.number(i) for i in range(100)] != [other.number(i) for i in range(100)]


def test_names_favour_common_surnames():
    # given
    rng = random.Random(1)
    # when
    names = [person_name(rng, rng.choice("mf")) for _ in range(5000)]
    # then
    surnames = Counter(name[0] for name in names)
    assert {name[0] for name in names} <= set(SURNAMES.items)
    assert surnames["王"] > surnames["孔"] * 10
    assert all(2 <= len(name) <= 3 for name in names)


def test_a_few_hundred_communities_with_names_unique_per_district():
    # when
    plans = plan_communities(random.Random(3), WUHAN)
    # then
    assert 200 <= len(plans) <= 500
    per_district = Counter((p.district.code, p.name) for p in plans)
    assert max(per_district.values()) == 1
    for plan in plans:
        assert plan.area.built_from <= plan.build_year <= plan.area.built_to
        assert abs(float(plan.latitude) - plan.area.latitude) < 0.02
        assert abs(float(plan.longitude) - plan.area.longitude) < 0.02
        if plan.build_year < 2000:
            assert plan.total_floors <= 7 and not plan.has_elevator
        if plan.build_year >= 2008:
            assert plan.total_floors >= 18 and plan.has_elevator


def test_overfilled_communities_still_give_every_flat_its_own_address():
    # given: far more listings than the single tiny community has flats
    plan = next(p for p in plan_communities(random.Random(5), WUHAN) if p.build_year < 2000)
    community = CommunityRef(id=1, district_id=1, plan=plan, nearest_store=0)
    context = ListingContext(
        company_id=1,
        communities=[community],
        store_agents=[[FieldAgent(id=1, store_id=1, weight=1)]],
        first_property_id=1,
        first_listing_id=1,
        clock=DemoClock(dt.date(2025, 6, 15)),
    )
    count = plan.capacity * 2 + 7
    # when
    flats = [pair[0] for pair in generate_listings(random.Random(5), context, count)]
    # then
    column = {name: index for index, name in enumerate(PROPERTY_COLUMNS)}
    building, unit, room, floor, band, total = (
        column[name] for name in ("building", "unit", "room_number", "floor", "floor_band", "total_floors")
    )
    whole = [flat for flat in flats if flat[building] is not None]
    addresses = {(flat[building], flat[unit], flat[room]) for flat in whole}
    assert len(addresses) == len(whole) > count * 0.9
    assert all(1 <= flat[floor] <= flat[total] for flat in whole)
    # the few whose address is to be completed (地址待补全) have none at all, and their floor as a band
    to_complete = [flat for flat in flats if flat[building] is None]
    assert all(
        (flat[unit], flat[room], flat[floor]) == (None, None, None)
        and flat[band] in ("low", "middle", "high")
        for flat in to_complete
    )
