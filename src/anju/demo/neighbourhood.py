"""What is around the demo's communities: subway stations, schools and their catchments, buildings.

Stations and schools are real Wuhan names, each placed at its 板块 (coordinates are approximate,
GCJ-02 as Chinese maps show them, good to a few hundred metres: close enough that the
communities the demo puts in a 板块 are within a walk of its station). They are shared reference
data, like the districts: found by name if present, created if not. Buildings and school
catchments (学区划片) belong to the demo's communities.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from anju.demo.communities import CommunityPlan

# (板块, line, station, offset north and east of the 板块's centre in thousandths of a degree)
STATIONS: tuple[tuple[str, str, str, int, int], ...] = (
    ("后湖", "3号线", "后湖大道", 2, -1),
    ("后湖", "21号线", "后湖大道", 2, -1),
    ("百步亭", "1号线", "丹水池", -2, 1),
    ("二七", "1号线", "二七路", 1, 0),
    ("二七", "8号线", "黄浦路", -3, -1),
    ("塔子湖", "8号线", "塔子湖", 0, 2),
    ("永清", "1号线", "三阳路", 1, -1),
    ("永清", "7号线", "三阳路", 1, -1),
    ("台北路", "2号线", "循礼门", -2, 1),
    ("王家墩", "2号线", "王家墩东", 0, 1),
    ("王家墩", "7号线", "王家墩东", 0, 1),
    ("常青路", "2号线", "长港路", 1, -2),
    ("新华路", "2号线", "青年路", 0, 0),
    ("唐家墩", "7号线", "取水楼", -1, 2),
    ("古田", "1号线", "古田二路", 0, -1),
    ("宗关", "1号线", "宗关", 1, 1),
    ("宗关", "3号线", "宗关", 1, 1),
    ("汉正街", "6号线", "汉正街", 0, 0),
    ("长丰", "1号线", "汉西一路", -2, 1),
    ("四新", "6号线", "四新大道", 1, 1),
    ("王家湾", "3号线", "王家湾", 0, 0),
    ("王家湾", "4号线", "王家湾", 0, 0),
    ("钟家村", "4号线", "钟家村", 1, -1),
    ("钟家村", "6号线", "钟家村", 1, -1),
    ("墨水湖", "3号线", "龙阳村", -1, 0),
    ("中北路", "2号线", "中南路", -1, -2),
    ("中北路", "4号线", "中南路", -1, -2),
    ("徐东", "4号线", "岳家嘴", -2, 2),
    ("徐东", "8号线", "徐家棚", 2, -2),
    ("积玉桥", "2号线", "积玉桥", 0, 1),
    ("首义", "4号线", "首义路", 1, 0),
    ("南湖", "8号线", "文昌路", 2, 1),
    ("白沙洲", "7号线", "建安街", 1, 2),
    ("青山", "4号线", "仁和路", -2, -1),
    ("和平", "4号线", "铁机路", 0, -2),
    ("工人村", "4号线", "园林路", -2, 1),
    ("光谷", "2号线", "光谷广场", 0, -1),
    ("光谷", "11号线", "光谷广场", 0, -1),
    ("街道口", "2号线", "街道口", 0, 0),
    ("街道口", "8号线", "街道口", 0, 0),
    ("关山", "2号线", "佳园路", 1, -2),
    ("杨春湖", "4号线", "杨春湖", -1, 0),
    ("野芷湖", "7号线", "野芷湖", 0, 1),
    ("野芷湖", "8号线", "野芷湖", 0, 1),
    ("金银湖", "6号线", "金银湖公园", 1, 1),
    ("吴家山", "1号线", "东吴大道", 0, 2),
    ("常青花园", "2号线", "常青花园", 0, -1),
    ("纱帽", "16号线", "纱帽", 1, 0),
    ("中法生态城", "4号线", "新天", -2, 1),
    ("蔡甸城区", "4号线", "蔡甸广场", 0, 1),
    ("庙山", "7号线", "大花岭", 1, -1),
    ("藏龙岛", "2号线", "藏龙东街", 0, -2),
    ("纸坊", "7号线", "纸坊大街", 0, 0),
    ("盘龙城", "2号线", "盘龙城", 1, 2),
    ("阳逻", "21号线", "阳逻", -1, 1),
)


@dataclass(frozen=True)
class SchoolSpec:
    district: str
    name: str
    level: str  # SchoolLevel: "primary" or "middle"
    is_key: bool
    areas: tuple[str, ...]  # the 板块 whose communities it takes


SCHOOLS: tuple[SchoolSpec, ...] = (
    SchoolSpec("江岸区", "武汉市育才小学", "primary", True, ("二七", "永清")),
    SchoolSpec("江岸区", "武汉市鄱阳街小学", "primary", True, ("台北路",)),
    SchoolSpec("江岸区", "江岸区后湖小学", "primary", False, ("后湖", "百步亭", "塔子湖")),
    SchoolSpec("江岸区", "武汉市第二初级中学", "middle", True, ("二七", "永清", "台北路")),
    SchoolSpec("江岸区", "江岸区后湖中学", "middle", False, ("后湖", "百步亭", "塔子湖")),
    SchoolSpec("江汉区", "武汉市大兴路小学", "primary", True, ("新华路", "王家墩")),
    SchoolSpec("江汉区", "江汉区唐家墩小学", "primary", False, ("唐家墩", "常青路")),
    SchoolSpec("江汉区", "武汉市第十九中学", "middle", False, ("新华路", "王家墩", "唐家墩", "常青路")),
    SchoolSpec("硚口区", "武汉市崇仁路小学", "primary", True, ("宗关", "汉正街")),
    SchoolSpec("硚口区", "硚口区古田二路小学", "primary", False, ("古田", "长丰")),
    SchoolSpec("硚口区", "武汉市第十一中学", "middle", False, ("古田", "宗关", "汉正街", "长丰")),
    SchoolSpec("汉阳区", "汉阳区钟家村小学", "primary", True, ("钟家村", "墨水湖")),
    SchoolSpec("汉阳区", "汉阳区四新小学", "primary", False, ("四新", "王家湾")),
    SchoolSpec("汉阳区", "汉阳区四新中学", "middle", False, ("四新", "王家湾", "钟家村", "墨水湖")),
    SchoolSpec("武昌区", "武汉小学", "primary", True, ("首义", "积玉桥")),
    SchoolSpec("武昌区", "武昌实验小学", "primary", True, ("中北路", "徐东")),
    SchoolSpec("武昌区", "武昌区南湖第一小学", "primary", False, ("南湖", "白沙洲")),
    SchoolSpec("武昌区", "武汉市武珞路中学", "middle", True, ("首义", "中北路", "积玉桥")),
    SchoolSpec("武昌区", "武汉市粮道街中学", "middle", True, ("徐东",)),
    SchoolSpec("武昌区", "武昌区南湖中学", "middle", False, ("南湖", "白沙洲")),
    SchoolSpec("青山区", "青山区钢城第十一小学", "primary", False, ("青山", "和平", "工人村")),
    SchoolSpec("青山区", "青山区钢城第四中学", "middle", False, ("青山", "和平", "工人村")),
    SchoolSpec("洪山区", "华中科技大学附属小学", "primary", True, ("关山",)),
    SchoolSpec("洪山区", "洪山区光谷第一小学", "primary", True, ("光谷",)),
    SchoolSpec("洪山区", "洪山区街道口小学", "primary", False, ("街道口", "杨春湖", "野芷湖")),
    SchoolSpec("洪山区", "武汉市光谷实验中学", "middle", True, ("光谷", "关山")),
    SchoolSpec("洪山区", "洪山区杨春湖实验学校", "middle", False, ("杨春湖", "街道口", "野芷湖")),
    SchoolSpec("东西湖区", "东西湖区金银湖小学", "primary", False, ("金银湖", "常青花园")),
    SchoolSpec("东西湖区", "东西湖区吴家山第一小学", "primary", False, ("吴家山",)),
    SchoolSpec("东西湖区", "东西湖区吴家山中学", "middle", False, ("金银湖", "吴家山", "常青花园")),
    SchoolSpec("江夏区", "江夏区实验小学", "primary", True, ("纸坊", "庙山")),
    SchoolSpec("江夏区", "江夏区第一初级中学", "middle", False, ("纸坊", "庙山", "藏龙岛")),
    SchoolSpec("黄陂区", "黄陂区盘龙城第一小学", "primary", False, ("盘龙城",)),
)

# Of the communities in a school's 板块, how many its catchment takes; some only in part (some
# buildings), as 划片 often splits a large community between two schools.
CATCHMENT_SHARE = {"primary": 0.7, "middle": 0.6}
BY_BUILDING_SHARE = 0.2
CATCHMENT_YEAR_BACK = 1  # the catchments published last year, the ones that hold this autumn


@dataclass(frozen=True)
class Catchment:
    """One school assignment: community index, school index, and its buildings (none: all of it)."""

    community: int
    school: int
    buildings: tuple[int, ...]  # building numbers (1-based), as the demo's flats name them


def plan_catchments(rng: random.Random, plans: Sequence[CommunityPlan]) -> list[Catchment]:
    """Which communities each school takes: never two schools of one level for the same building."""
    by_area: dict[str, list[int]] = {}
    for index, plan in enumerate(plans):
        by_area.setdefault(plan.area.name, []).append(index)
    taken: set[tuple[int, str]] = set()  # (community, level) already assigned as a whole
    found = []
    for school_index, school in enumerate(SCHOOLS):
        for area in school.areas:
            for community in by_area.get(area, ()):
                if (community, school.level) in taken or rng.random() >= CATCHMENT_SHARE[school.level]:
                    continue
                taken.add((community, school.level))
                count = plans[community].building_count
                buildings: tuple[int, ...] = ()
                if count >= 4 and rng.random() < BY_BUILDING_SHARE:
                    buildings = tuple(range(1, rng.randint(2, count // 2) + 1))
                found.append(Catchment(community=community, school=school_index, buildings=buildings))
    return found


def station_point(area_latitude: float, area_longitude: float, north: int, east: int) -> tuple[str, str]:
    """A station's coordinates, six decimals as the database keeps them."""
    return f"{area_latitude + north / 1000:.6f}", f"{area_longitude + east / 1000:.6f}"
