"""Done means (issue 11): a portal's listing list of about 3,000 rows, with the quirks real exports
have, comes in with ``--create-communities --skip-bad``: every good row in, every bad line reported
with its number and reason, and nothing invented (no building, unit, room or floor made up)."""

from __future__ import annotations

import random
import time
from decimal import ROUND_HALF_UP, Decimal

from anju.geo.models import Community
from anju.imports.listings import listings_import
from anju.listings.models import Listing, Property
from tests.factories import DistrictFactory
from tests.imports.conftest import csv_file

HEADER = "小区,区域,户型,建筑面积,朝向,装修,楼层,建成年代,总价,单价,标题,关注人数"
# Real-looking names that the dictionary's look-alike rule tells apart (their cores and initials differ).
NEW_COMMUNITIES = {
    "洪山": ("光谷", ["光谷天地", "南湖山庄", "金地太阳城", "保利中央公馆", "世茂龙湾", "招商江湾"]),
    "武昌": ("中北路", ["东湖港湾", "汉街壹号", "沙湖苑", "融创滨江", "复地东湖国际", "绿地国际金融城"]),
    "江岸": ("后湖", ["百步亭", "龙湖江与城", "华侨城", "青山绿水居", "万达公馆", "中建三局大院"]),
}
FLOORS = ("中楼层(共18层)", "高楼层/32", "低楼层 (共6层)", "高楼层（共33层）", "中楼层/11", "12/18")
LAYOUTS = ("2室1厅1卫", "3室2厅1卫", "3室2厅2卫", "1室1厅1卫", "4室2厅2卫")
ORIENTATIONS = ("南 北", "东南", "南", "西北", "东北", "东 西", "西南")
DECORATIONS = ("其他", "精装", "简装", "毛坯", "豪装")
ROWS = 3000


def portal_line(rng: random.Random, community: str, area_cell: str) -> str:
    area = Decimal(rng.randint(4500, 16000)) / 100
    total_wan = Decimal(rng.randint(60, 600))
    per_m2 = (total_wan * 10000 / area).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    price = f"{total_wan}万" if rng.random() < 0.5 else str(total_wan)
    cells = [
        community,
        area_cell,
        rng.choice(LAYOUTS),
        str(area),
        rng.choice(ORIENTATIONS),
        rng.choice(DECORATIONS),
        rng.choice(FLOORS),
        f"{rng.randint(1995, 2020)}年建",
        price,
        f'"{per_m2:,}元/平"',
        f"{community} 南北通透 满五唯一",
        str(rng.randint(0, 300)),
    ]
    return ",".join(cells)


def test_a_portal_export_comes_in_whole_but_for_its_bad_lines_and_nothing_is_invented(agent, community):
    # given: the dictionary knows 万科城市花园 (洪山·光谷) and the three districts, not the other
    # communities; the file has 10 lines in GBK (invalid UTF-8), shifted columns and a wrong 单价
    for name, code in (("武昌区", "420106"), ("江岸区", "420102")):
        DistrictFactory(name=name, code=code)
    rng = random.Random(11)
    places = [("万科城市花园", "洪山-光谷")] + [
        (name, f"{district}-{area}") for district, (area, names) in NEW_COMMUNITIES.items() for name in names
    ]
    lines: list[str | bytes] = [HEADER]
    bad: dict[int, str] = {}
    for index in range(ROWS):
        line_number = index + 2
        name, area_cell = places[index % len(places)]
        line = portal_line(rng, name, area_cell)
        if index % 300 == 7:  # 10 lines in GBK among UTF-8
            lines.append(line.encode("gbk"))
            bad[line_number] = "编码错误"
        elif index % 500 == 11:  # a cell lost: the columns shift
            lines.append(line.replace(f",{area_cell},", ",", 1))
            bad[line_number] = "本行有 11 列，表头有 12 列"
        elif index % 700 == 13:  # a column shifted into another: the 单价 no longer fits
            cells = line.split(",")
            cells[3] = str(Decimal(cells[3]) * 2)  # the area doubled
            lines.append(",".join(cells))
            bad[line_number] = "与总价÷面积"
        else:
            lines.append(line)
    # when
    started = time.perf_counter()
    result = listings_import(
        importer=agent,
        source=csv_file(lines),
        filename="链家二手房.csv",
        create_communities=True,
        skip_bad=True,
    )
    seconds = time.perf_counter() - started
    # then: every bad line is reported with its number and its reason
    assert result.rows == ROWS
    reported = {row.line: "；".join(row.reasons) for row in result.bad_rows}
    assert sorted(reported) == sorted(bad)
    for line_number, reason in bad.items():
        assert reason in reported[line_number], (line_number, reported[line_number])
    assert sum(1 for reason in bad.values() if reason == "编码错误") == 10
    # every good row came in, with the communities it named
    assert result.written == ROWS - len(bad) == Listing.objects.count()
    assert result.notes == ["新建小区 18 个", "新建板块 2 个"]
    assert Community.objects.count() == 19
    assert Listing.objects.filter(community=community).count() > 100
    # nothing invented: no building, unit or room; the floor only where the file gave it
    assert not Property.objects.filter(building__isnull=False).exists()
    assert not Property.objects.filter(unit__isnull=False).exists()
    assert not Property.objects.filter(room_number__isnull=False).exists()
    exact = Property.objects.filter(floor__isnull=False)
    assert set(exact.values_list("floor", "total_floors", "floor_band")) == {(12, 18, "")}
    assert set(Property.objects.filter(floor__isnull=True).values_list("floor_band", flat=True)) == {
        "low",
        "middle",
        "high",
    }
    assert not Listing.objects.filter(verified_at__isnull=False).exists()
    # and fast: bulk paths, whatever the number of rows
    assert seconds < 15, seconds
