"""Communities (小区) for the demo: names, places, ages, buildings and prices that fit their 板块."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from anju.demo.geography import AreaSpec, CitySpec, DistrictSpec

# Developers active in Wuhan; a brand and a place-like word make most new community names.
BRANDS = (
    "万科",
    "保利",
    "碧桂园",
    "融创",
    "中海",
    "华润",
    "绿地",
    "金地",
    "招商",
    "龙湖",
    "世茂",
    "新城",
    "旭辉",
    "越秀",
    "复地",
    "金辉",
    "建发",
    "福星惠誉",
    "联投",
    "城建",
    "南国",
    "卓尔",
    "中建",
    "葛洲坝",
    "万达",
    "融侨",
    "路劲",
    "首开",
)
PLACE_WORDS = (
    "滨江",
    "江山",
    "湖畔",
    "翡翠",
    "御景",
    "锦绣",
    "天悦",
    "星汇",
    "云璟",
    "澜岸",
    "珑湾",
    "金域",
    "东湖",
    "半岛",
    "时代",
    "国际",
    "城市",
    "悦府",
    "玖誉",
    "雍景",
    "观澜",
    "江南",
    "长江",
    "森林",
    "未来",
    "君悦",
    "阳光",
    "水岸",
    "桃源",
)
NEW_SUFFIXES = ("花园", "公馆", "华府", "家园", "小区", "城", "府", "苑", "名邸", "湾", "壹号", "里")
# Pre-2000 housing was named after streets, factories and work units rather than developers.
OLD_WORDS = (
    "建设",
    "和平",
    "工农",
    "友谊",
    "红旗",
    "民主",
    "解放",
    "胜利",
    "幸福",
    "团结",
    "新华",
    "前进",
    "东方",
    "红星",
    "钢花",
    "机电",
    "纺织",
    "电力",
    "粮食",
    "铁路",
    "水利",
    "邮电",
    "财政",
    "电信",
)
OLD_SUFFIXES = ("新村", "小区", "社区", "宿舍", "里", "村", "街坊", "大院")
ROAD_WORDS = ("建设", "友谊", "和平", "解放", "中山", "民主", "新华", "工农", "发展", "学府", "文化", "园林")
ROAD_SUFFIXES = ("路", "大道", "街")
PHASES = ("二期", "三期", "四期", "五期", "六期")

OLD_STOCK_BEFORE = 2000  # walk-ups without lifts, named the old way
HIGH_RISE_FROM = 2008  # by then new communities were towers with lifts


@dataclass(frozen=True)
class CommunityPlan:
    """Everything the demo needs about a community, before it has a database id."""

    district: DistrictSpec
    area: AreaSpec
    name: str
    address: str
    latitude: Decimal
    longitude: Decimal
    build_year: int
    property_fee: Decimal
    reference_price: Decimal
    building_count: int
    total_floors: int
    units_per_building: int
    flats_per_floor: int
    has_elevator: bool

    @property
    def flats_per_building(self) -> int:
        return self.units_per_building * self.total_floors * self.flats_per_floor

    @property
    def capacity(self) -> int:
        return self.building_count * self.flats_per_building


def plan_communities(rng: random.Random, city: CitySpec) -> list[CommunityPlan]:
    """Every 板块's communities, district by district, in a fixed order."""
    plans: list[CommunityPlan] = []
    for district in city.districts:
        taken: set[str] = set()
        for area in district.areas:
            for _ in range(area.communities):
                plans.append(_plan(rng, district, area, taken))
    return plans


def _plan(rng: random.Random, district: DistrictSpec, area: AreaSpec, taken: set[str]) -> CommunityPlan:
    build_year = rng.randint(area.built_from, area.built_to)
    name = _unique_name(rng, area, build_year, taken)
    if build_year < OLD_STOCK_BEFORE:
        total_floors, has_elevator = rng.choice((6, 7, 7)), False
        units, flats, buildings = rng.randint(2, 4), 2, rng.randint(8, 30)
        fee = rng.uniform(0.4, 0.9)
    elif build_year < HIGH_RISE_FROM:
        total_floors = rng.choice((7, 11, 18, 18, 26))
        has_elevator = total_floors > 7
        units, flats, buildings = rng.randint(1, 3), rng.choice((2, 2, 3, 4)), rng.randint(6, 24)
        fee = rng.uniform(0.8, 1.8)
    else:
        total_floors, has_elevator = rng.choice((18, 26, 30, 32, 33, 33)), True
        units, flats, buildings = rng.randint(1, 2), rng.choice((2, 3, 4, 4)), rng.randint(6, 26)
        fee = rng.uniform(1.5, 3.5)
    # Within a 板块 newer stock asks a little more; the noise keeps neighbours from looking cloned.
    age_premium = 1 + (build_year - (area.built_from + area.built_to) / 2) * 0.006
    price = area.price_per_m2 * age_premium * rng.lognormvariate(0, 0.08)
    return CommunityPlan(
        district=district,
        area=area,
        name=name,
        address=f"{district.name}{rng.choice(ROAD_WORDS)}{rng.choice(ROAD_SUFFIXES)}{rng.randint(1, 399)}号",
        latitude=_jitter(rng, area.latitude, 0.006),
        longitude=_jitter(rng, area.longitude, 0.007),
        build_year=build_year,
        property_fee=Decimal(f"{fee:.1f}"),
        reference_price=Decimal(round(price, -2)).quantize(Decimal("0.01")),
        building_count=buildings,
        total_floors=total_floors,
        units_per_building=units,
        flats_per_floor=flats,
        has_elevator=has_elevator,
    )


def _jitter(rng: random.Random, centre: float, spread: float) -> Decimal:
    offset = max(-2 * spread, min(2 * spread, rng.gauss(0, spread)))
    return Decimal(f"{centre + offset:.6f}")


def _unique_name(rng: random.Random, area: AreaSpec, build_year: int, taken: set[str]) -> str:
    for _ in range(20):
        name = _name(rng, area, build_year)
        if name not in taken:
            taken.add(name)
            return name
    # A crowded district: a later phase of an existing name is what developers do too.
    for phase in PHASES:
        if f"{name}{phase}" not in taken:
            taken.add(f"{name}{phase}")
            return f"{name}{phase}"
    raise RuntimeError(f"no free community name in {area.name}")


def _name(rng: random.Random, area: AreaSpec, build_year: int) -> str:
    # "中法生态城" or "常青花园" inside a name reads wrong; short place names (光谷, 后湖) read right.
    area_fits = not area.name.endswith(("城区", "花园", "城"))
    if build_year < OLD_STOCK_BEFORE:
        place = area.name if area_fits and rng.random() < 0.3 else rng.choice(OLD_WORDS)
        return place + rng.choice(OLD_SUFFIXES)
    place = area.name if area_fits and rng.random() < 0.35 else rng.choice(PLACE_WORDS)
    suffix = rng.choice(NEW_SUFFIXES)
    while suffix[0] in place:  # no 城市城 or 江湾湾
        suffix = rng.choice(NEW_SUFFIXES)
    return rng.choice(BRANDS) + place + suffix
