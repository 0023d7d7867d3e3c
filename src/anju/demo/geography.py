"""Wuhan as the demo sees it: real districts with their GB/T 2260 codes and real 板块.

Codes are the Ministry of Civil Affairs' administrative division codes. The 武汉经济技术开发区
manages 汉南区 but has no division code of its own, so it appears as 汉南区 (420113); the
东湖高新区 (光谷) likewise appears under 洪山区, where agents and portals file it.

Centre coordinates are approximate (GCJ-02 as Chinese maps show them, good to a few hundred
metres); prices are typical second-hand asking prices per ㎡ in the mid-2020s, so that a
listing in 中北路 costs what a Wuhan client expects. Every district stays ``city`` (市区):
all of Wuhan's districts are urban districts for the urban maintenance surcharge.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class AreaSpec:
    """A 板块 and what its communities look like."""

    name: str
    latitude: float
    longitude: float
    price_per_m2: int  # typical asking price of a second-hand flat, yuan
    built_from: int  # the span of build years of its housing stock
    built_to: int
    communities: int  # how many communities the demo agency keeps on file here


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    code: str
    kind: str
    areas: tuple[AreaSpec, ...]


@dataclass(frozen=True)
class CitySpec:
    name: str
    code: str
    latitude: Decimal
    longitude: Decimal
    districts: tuple[DistrictSpec, ...]


def _district(name: str, code: str, *areas: AreaSpec) -> DistrictSpec:
    return DistrictSpec(name=name, code=code, kind="city", areas=areas)


A = AreaSpec

WUHAN = CitySpec(
    name="武汉",
    code="420100",
    latitude=Decimal("30.593099"),
    longitude=Decimal("114.305393"),
    districts=(
        _district(
            "江岸区",
            "420102",
            A("后湖", 30.6560, 114.2900, 17000, 2003, 2022, 14),
            A("百步亭", 30.6500, 114.3180, 16000, 2001, 2018, 8),
            A("二七", 30.6270, 114.3180, 22000, 1995, 2021, 7),
            A("塔子湖", 30.6420, 114.2830, 18000, 2004, 2021, 6),
            A("永清", 30.6030, 114.3040, 28000, 1990, 2020, 6),
            A("台北路", 30.6050, 114.2780, 27000, 1988, 2016, 6),
        ),
        _district(
            "江汉区",
            "420103",
            A("王家墩", 30.6110, 114.2620, 30000, 2008, 2023, 7),
            A("常青路", 30.6150, 114.2450, 22000, 1998, 2018, 6),
            A("新华路", 30.5920, 114.2750, 26000, 1990, 2015, 6),
            A("唐家墩", 30.6250, 114.2650, 24000, 2000, 2020, 5),
        ),
        _district(
            "硚口区",
            "420104",
            A("古田", 30.5900, 114.2100, 16000, 1992, 2021, 8),
            A("宗关", 30.5770, 114.2330, 19000, 1990, 2019, 6),
            A("汉正街", 30.5720, 114.2680, 22000, 1985, 2022, 5),
            A("长丰", 30.6100, 114.2200, 17000, 2005, 2021, 5),
        ),
        _district(
            "汉阳区",
            "420105",
            A("四新", 30.5200, 114.2350, 19000, 2010, 2023, 10),
            A("王家湾", 30.5570, 114.2180, 20000, 2000, 2020, 7),
            A("钟家村", 30.5520, 114.2650, 21000, 1988, 2016, 6),
            A("墨水湖", 30.5400, 114.2400, 22000, 2005, 2021, 5),
        ),
        _district(
            "武昌区",
            "420106",
            A("中北路", 30.5630, 114.3390, 32000, 1995, 2021, 8),
            A("徐东", 30.5900, 114.3500, 25000, 1998, 2020, 7),
            A("积玉桥", 30.5650, 114.3000, 30000, 1990, 2022, 6),
            A("首义", 30.5430, 114.3080, 26000, 1985, 2018, 6),
            A("南湖", 30.5000, 114.3300, 20000, 1998, 2018, 9),
            A("白沙洲", 30.4950, 114.2850, 16000, 2003, 2021, 6),
        ),
        _district(
            "青山区",
            "420107",
            A("青山", 30.6330, 114.3850, 16000, 1980, 2019, 7),
            A("和平", 30.6050, 114.3750, 18000, 1995, 2022, 5),
            A("工人村", 30.6400, 114.3950, 14000, 1978, 2012, 5),
        ),
        _district(
            "洪山区",
            "420111",
            A("光谷", 30.5050, 114.3980, 23000, 2005, 2023, 16),
            A("街道口", 30.5270, 114.3550, 28000, 1990, 2018, 7),
            A("关山", 30.4900, 114.4200, 21000, 2002, 2021, 8),
            A("杨春湖", 30.6070, 114.4240, 22000, 2010, 2023, 6),
            A("野芷湖", 30.4740, 114.3180, 19000, 2010, 2022, 5),
        ),
        _district(
            "东西湖区",
            "420112",
            A("金银湖", 30.6500, 114.2050, 17000, 2003, 2022, 7),
            A("吴家山", 30.6400, 114.1400, 12000, 2000, 2021, 7),
            A("常青花园", 30.6400, 114.2350, 15000, 1998, 2015, 6),
        ),
        _district(
            "汉南区",
            "420113",
            A("纱帽", 30.3100, 114.0800, 7000, 2005, 2021, 4),
        ),
        _district(
            "蔡甸区",
            "420114",
            A("中法生态城", 30.4800, 114.0700, 10000, 2015, 2023, 5),
            A("蔡甸城区", 30.5830, 114.0300, 8000, 1998, 2021, 5),
        ),
        _district(
            "江夏区",
            "420115",
            A("庙山", 30.4300, 114.3300, 14000, 2008, 2022, 7),
            A("藏龙岛", 30.4180, 114.4270, 15000, 2008, 2022, 6),
            A("纸坊", 30.3500, 114.3200, 9000, 2000, 2021, 6),
        ),
        _district(
            "黄陂区",
            "420116",
            A("盘龙城", 30.7100, 114.2600, 13000, 2008, 2023, 9),
            A("前川", 30.8800, 114.3800, 9000, 2000, 2021, 5),
        ),
        _district(
            "新洲区",
            "420117",
            A("阳逻", 30.6900, 114.5600, 9000, 2005, 2022, 5),
            A("邾城", 30.8400, 114.8000, 7500, 2000, 2021, 4),
        ),
    ),
)
