"""Pure scoring: the reasons agents read, and the SQL rendering that must compute the same numbers."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from anju.matching.search.criteria import NeedCriteria
from anju.matching.search.scoring import (
    NO_PREFERENCES,
    Adjustment,
    Expr,
    ListingFacts,
    ListingSide,
    Preferences,
    SchoolFact,
    StationFact,
    hard_fit,
    listing_values,
    pure_listing_side,
    pure_need_side,
    score,
    total_of,
)

FLAT = ListingFacts(
    listing_id=1,
    kind="sale",
    district_id=10,
    community_id=100,
    business_area_id=50,
    price=Decimal("2820000"),
    area=Decimal("89.5"),
    rooms=3,
    halls=2,
    floor=5,
    has_elevator=False,
    orientation="S",
    build_year=1998,
    schools=(SchoolFact(name="实验小学", level="primary"),),
    station=StationFact(line="2号线", name="光谷广场", distance_m=400),
)
NEED = NeedCriteria(
    kind="buy", district_ids=frozenset({10}), budget_min=Decimal(2000000), budget_max=Decimal(3000000)
)


def test_reasons_say_what_fits_and_what_does_not_in_plain_chinese():
    # given a need asking for a 2005-or-newer flat in a primary school's catchment
    criteria = replace(NEED, build_year_min=2005, school_required=True, school_level="primary")
    # when
    scored = score(criteria, FLAT)
    # then
    assert "总价在预算内，低于上限6%" in scored.fits
    assert "实验小学学区" in scored.fits
    assert "距地铁2号线400米" in scored.fits
    assert "5楼无电梯" in scored.lacks
    assert "建成于1998年，早于要求的2005年" in scored.lacks
    assert 0 <= scored.score <= 100


def test_the_budget_tolerance_decides_the_hard_fit():
    # given a flat 4% over the ceiling
    dear = replace(FLAT, price=Decimal("3120000"))
    # then it fits within the default 5% but not within 3%, and is marked as over budget
    assert hard_fit(NEED, dear)
    assert not hard_fit(replace(NEED, tolerance=Decimal("0.03")), dear)
    assert "总价超出预算上限4%" in score(NEED, dear).lacks
    # and another district, a rental, or an unverified flat when 真房源 is required never fit
    assert not hard_fit(NEED, replace(FLAT, district_id=11))
    assert not hard_fit(NEED, replace(FLAT, kind="rent"))
    assert not hard_fit(NEED, replace(FLAT, verified=False))
    assert hard_fit(replace(NEED, verified_only=False), replace(FLAT, verified=False))


def test_a_budget_given_only_as_a_ceiling_means_at_least_sixty_percent_of_it():
    # given "300万以内"
    ceiling_only = replace(NEED, budget_min=None)
    # then a flat at half of it does not fit, one at 58% fits within the tolerance but is marked
    # as under the floor, and one at 70% is simply within the budget
    assert not hard_fit(ceiling_only, replace(FLAT, price=Decimal("1500000")))
    cheap = replace(FLAT, price=Decimal("1740000"))
    assert hard_fit(ceiling_only, cheap)
    assert "总价低于预算下限4%" in score(ceiling_only, cheap).lacks
    assert "总价在预算内，低于上限30%" in score(ceiling_only, replace(FLAT, price=Decimal("2100000"))).fits


def test_a_learned_adjustment_moves_the_score_and_says_why():
    # given
    north = replace(FLAT, orientation="N")
    learned = Preferences((Adjustment("orientation", "N", -15, "您已拒绝过3套朝北的房子"),))
    # when
    plain, adjusted = score(NEED, north), score(NEED, north, learned)
    # then
    assert adjusted.score == plain.score - 15
    assert "您已拒绝过3套朝北的房子" in adjusted.lacks
    assert score(NEED, FLAT, learned).score == score(NEED, FLAT).score


criteria_strategy = st.builds(
    NeedCriteria,
    kind=st.just("buy"),
    budget_min=st.one_of(st.none(), st.integers(100, 300).map(lambda n: Decimal(n * 10000))),
    budget_max=st.one_of(st.none(), st.integers(300, 500).map(lambda n: Decimal(n * 10000))),
    rooms_min=st.one_of(st.none(), st.integers(1, 4)),
    rooms_max=st.one_of(st.none(), st.integers(4, 6)),
    area_min=st.one_of(st.none(), st.integers(40, 100).map(Decimal)),
    area_max=st.one_of(st.none(), st.integers(100, 160).map(Decimal)),
    floor_min=st.one_of(st.none(), st.integers(1, 5)),
    floor_max=st.one_of(st.none(), st.integers(5, 30)),
    orientations=st.frozensets(st.sampled_from(["S", "SN", "N", "E"]), max_size=2),
    elevator_required=st.booleans(),
    build_year_min=st.one_of(st.none(), st.integers(1990, 2020)),
    school_required=st.booleans(),
    school_level=st.sampled_from(["", "primary", "middle"]),
    community_ids=st.frozensets(st.sampled_from([100, 101]), max_size=1),
    business_area_ids=st.frozensets(st.sampled_from([50, 51]), max_size=1),
)
facts_strategy = st.builds(
    replace,
    st.just(FLAT),
    price=st.integers(100, 600).map(lambda n: Decimal(n * 10000)),
    area=st.integers(30, 200).map(Decimal),
    rooms=st.integers(1, 6),
    floor=st.integers(1, 30),
    has_elevator=st.booleans(),
    orientation=st.sampled_from(["S", "SN", "N", "E", "W"]),
    build_year=st.one_of(st.none(), st.integers(1985, 2023)),
    community_id=st.sampled_from([100, 101, 102]),
    business_area_id=st.sampled_from([50, 51]),
    schools=st.sampled_from([(), (SchoolFact("实验小学", "primary"),), (SchoolFact("二中", "middle"),)]),
    station=st.sampled_from([None, StationFact("2号线", "光谷", 400), StationFact("4号线", "街道口", 900)]),
)
adjustments = st.lists(
    st.builds(
        Adjustment,
        feature=st.sampled_from(["orientation", "elevator", "community"]),
        value=st.sampled_from(["N", "yes", "no", "100"]),
        points=st.integers(-20, 20),
        reason=st.just("…"),
    ),
    max_size=3,
).map(lambda items: Preferences(tuple(items)))


@given(
    criteria=criteria_strategy,
    facts=facts_strategy,
    preferences=st.one_of(st.just(NO_PREFERENCES), adjustments),
)
def test_the_sql_rendering_computes_the_pure_score(criteria, facts, preferences):
    # given the listing's integer row in a table, and the need's terms rendered to SQL over it
    values = listing_values(facts)
    if any(a.feature == "elevator" and a.value not in ("yes", "no") for a in preferences.adjustments):
        return
    if any(a.feature == "community" and not a.value.isdigit() for a in preferences.adjustments):
        return
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE TABLE t ({', '.join(values)})")
    db.execute(f"INSERT INTO t VALUES ({', '.join('?' * len(values))})", list(values.values()))  # noqa: S608
    columns = ListingSide(**{name: Expr(name) for name in ListingSide.__dataclass_fields__})
    sql = total_of(pure_need_side(criteria), columns, preferences).sql
    # when
    (in_sql,) = db.execute(f"SELECT {sql} FROM t").fetchone()  # noqa: S608 - integers we rendered
    # then
    assert in_sql == score(criteria, facts, preferences).score
    assert in_sql == total_of(pure_need_side(criteria), pure_listing_side(facts), preferences)
