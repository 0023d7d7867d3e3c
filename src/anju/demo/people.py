"""People for the demo: Chinese names as they are distributed, and mobiles that never repeat."""

from __future__ import annotations

import hashlib
import random

from anju.demo.weighted import Weighted

# The hundred most common surnames, with their approximate share of the population in per
# mille (after the household register's 2020 name report); rarer surnames are left out.
_SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71.5),
    ("李", 71.4),
    ("张", 68.6),
    ("刘", 54.1),
    ("陈", 46.1),
    ("杨", 31.6),
    ("黄", 23.3),
    ("赵", 20.6),
    ("吴", 19.8),
    ("周", 19.4),
    ("徐", 13.9),
    ("孙", 13.1),
    ("马", 12.5),
    ("朱", 12.2),
    ("胡", 11.7),
    ("郭", 11.6),
    ("何", 10.9),
    ("林", 10.5),
    ("高", 10.4),
    ("罗", 10.0),
    ("郑", 9.3),
    ("梁", 8.8),
    ("谢", 7.7),
    ("宋", 7.0),
    ("唐", 6.8),
    ("许", 6.4),
    ("韩", 6.2),
    ("邓", 6.1),
    ("冯", 6.1),
    ("曹", 5.9),
    ("彭", 5.7),
    ("曾", 5.6),
    ("肖", 5.5),
    ("田", 5.2),
    ("董", 5.0),
    ("潘", 4.8),
    ("袁", 4.8),
    ("蔡", 4.7),
    ("蒋", 4.6),
    ("余", 4.5),
    ("于", 4.5),
    ("杜", 4.3),
    ("叶", 4.2),
    ("程", 4.1),
    ("魏", 3.9),
    ("苏", 3.9),
    ("吕", 3.7),
    ("丁", 3.6),
    ("任", 3.5),
    ("卢", 3.4),
    ("姚", 3.3),
    ("沈", 3.2),
    ("钟", 3.2),
    ("姜", 3.1),
    ("崔", 3.0),
    ("谭", 3.0),
    ("陆", 2.9),
    ("范", 2.8),
    ("汪", 2.8),
    ("廖", 2.7),
    ("石", 2.7),
    ("金", 2.6),
    ("韦", 2.5),
    ("贾", 2.5),
    ("夏", 2.4),
    ("付", 2.4),
    ("方", 2.4),
    ("邹", 2.3),
    ("熊", 2.3),
    ("白", 2.2),
    ("孟", 2.2),
    ("秦", 2.1),
    ("邱", 2.1),
    ("侯", 2.0),
    ("江", 2.0),
    ("尹", 2.0),
    ("薛", 1.9),
    ("闫", 1.9),
    ("段", 1.8),
    ("雷", 1.8),
    ("龙", 1.7),
    ("黎", 1.7),
    ("史", 1.7),
    ("陶", 1.6),
    ("贺", 1.6),
    ("毛", 1.5),
    ("郝", 1.5),
    ("顾", 1.5),
    ("龚", 1.5),
    ("邵", 1.4),
    ("万", 1.4),
    ("覃", 1.3),
    ("武", 1.3),
    ("钱", 1.3),
    ("戴", 1.3),
    ("严", 1.3),
    ("莫", 1.2),
    ("孔", 1.2),
    ("向", 1.2),
    ("常", 1.2),
)
SURNAMES = Weighted((name for name, _ in _SURNAMES), (share for _, share in _SURNAMES))

# Characters seen in given names of people born between the 1950s and the 2000s.
_MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林晨阳博文建国志海峰然轩鸣远宏亮"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英慧莹雪琳晶婷颖倩洁萍红梅兰凤琴云月燕丹蕾薇雅欣怡佳悦诗涵梓萱紫嘉馨"


def person_name(rng: random.Random, gender: str) -> str:
    """A full name: a surname by frequency, then one or (more often) two given characters."""
    surname = SURNAMES.pick(rng.random)
    chars = _FEMALE_CHARS if gender == "f" else _MALE_CHARS if gender == "m" else _MALE_CHARS + _FEMALE_CHARS
    given = rng.choice(chars)
    if rng.random() < 0.7:
        given += rng.choice(chars)
    return surname + given


# Real mainland mobile prefixes of the three carriers (移动, 联通, 电信).
MOBILE_PREFIXES: tuple[str, ...] = (
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "178",
    "182",
    "183",
    "187",
    "188",
    "198",
    "130",
    "131",
    "132",
    "155",
    "156",
    "166",
    "175",
    "176",
    "185",
    "186",
    "133",
    "153",
    "173",
    "177",
    "180",
    "181",
    "189",
    "191",
    "199",
)
_SUFFIXES = 100_000_000  # the eight digits after the prefix


class MobileNumbers:
    """Distinct, random-looking mobiles for a numbered sequence of people, in constant memory.

    A keyed Feistel permutation of ``[0, prefixes × 10⁸)`` maps the n-th person to a number
    no other index can reach, so a million clients get a million different mobiles without a
    set of every number issued so far, and the same seed gives the same number to the same
    person.
    """

    _HALF_BITS = 16
    _HALF_MASK = (1 << _HALF_BITS) - 1
    _ROUNDS = 4

    def __init__(self, seed: str) -> None:
        digest = hashlib.sha256(seed.encode()).digest()
        self._keys = [int.from_bytes(digest[i * 4 : i * 4 + 4], "big") for i in range(self._ROUNDS)]
        self._size = len(MOBILE_PREFIXES) * _SUFFIXES
        if self._size > 1 << (2 * self._HALF_BITS):
            raise ValueError("mobile space larger than the permutation")

    def _permute(self, value: int) -> int:
        left, right = value >> self._HALF_BITS, value & self._HALF_MASK
        for key in self._keys:
            mixed = ((right * 0x9E3779B1) ^ key) & 0xFFFFFFFF
            mixed ^= mixed >> 15
            left, right = right, left ^ (mixed & self._HALF_MASK)
        return (left << self._HALF_BITS) | right

    def number(self, index: int) -> str:
        if not 0 <= index < self._size:
            raise IndexError(index)
        # Cycle-walking keeps a permutation of the 32-bit space inside the smaller mobile space.
        value = self._permute(index)
        while value >= self._size:
            value = self._permute(value)
        prefix, suffix = divmod(value, _SUFFIXES)
        return f"{MOBILE_PREFIXES[prefix]}{suffix:08d}"
