"""One community, one record: which names are the same place (pure, no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anju.geo.similarity import (
    ALIAS,
    SAME_INITIALS,
    SAME_NAME,
    KnownCommunity,
    alike,
    chinese_number,
    find_similar,
    name_key,
)

WUHAN = ("武汉", "武汉市")


def same_place(a: str, b: str) -> str | None:
    return alike(name_key(a, place_prefixes=WUHAN), name_key(b, place_prefixes=WUHAN))


@pytest.mark.parametrize(
    "other",
    [
        "万科城市花园小区",
        "万科城市花园",
        "万科·城市花园",
        "万科 城市花园",
        "武汉万科城市花园",
        "武汉市万科城市花园小区",
        "万科城市",
        "万科城市花园住宅小区",
    ],
)
def test_the_same_community_written_another_way_matches(other):
    assert same_place("万科城市花园", other) == SAME_NAME


@pytest.mark.parametrize("other", ["万科城市之光", "万科城市家园", "保利城市花园", "城市花园", "万科花园"])
def test_a_different_community_does_not_match(other):
    assert same_place("万科城市花园", other) is None


def test_a_phase_may_be_the_same_estate_but_two_phases_are_two_records():
    assert same_place("万科城市花园", "万科城市花园二期") == SAME_NAME
    assert same_place("万科城市花园（二期）", "万科城市花园第2期") == SAME_NAME
    assert same_place("万科城市花园二期", "万科城市花园三期") is None
    assert same_place("常青花园十四区", "常青花园十五区") is None
    assert same_place("常青花园十四区", "常青花园14区") == SAME_NAME


def test_same_pinyin_initials_catch_a_wrong_character():
    assert same_place("万科城市花园", "万客城市花园") == SAME_INITIALS


def test_short_initials_alone_are_not_enough():
    # 金地 and 建德 are both "jd": two letters are too few to say anything
    assert same_place("金地小区", "建德小区") is None


def test_full_width_letters_and_case_do_not_matter():
    assert same_place("ＳＯＨＯ国际", "soho国际") == SAME_NAME


def test_generic_words_alone_are_left_as_the_name():
    assert name_key("花园小区").core == "花园"
    assert name_key("小区").core == "小区"


@pytest.mark.parametrize(
    ("text", "number"),
    [("二", 2), ("两", 2), ("十", 10), ("十四", 14), ("二十", 20), ("二十三", 23), ("一百", 100), ("12", 12)],
)
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


def test_chinese_number_refuses_words():
    assert chinese_number("东") is None
    assert chinese_number("") is None


KNOWN = [
    KnownCommunity(id=1, name="万科城市花园小区"),
    KnownCommunity(id=2, name="万科城市之光"),
    KnownCommunity(id=3, name="金地格林小镇", aliases=("金地格林",)),
    KnownCommunity(id=4, name="万客城市花园三期"),
]


def test_find_similar_gives_the_reason_and_the_best_match_first():
    found = find_similar("万科城市花园", KNOWN, place_prefixes=WUHAN)
    assert [(s.id, s.reason) for s in found] == [(1, SAME_NAME), (4, SAME_INITIALS)]


def test_find_similar_looks_at_aliases_of_known_communities():
    found = find_similar("金地格林", KNOWN)
    assert [(s.id, s.reason, s.matched) for s in found] == [(3, ALIAS, "金地格林")]


def test_find_similar_looks_at_the_aliases_of_the_new_community():
    found = find_similar("格林小镇", KNOWN, aliases=["金地格林小镇"])
    assert [(s.id, s.reason) for s in found] == [(3, ALIAS)]


def test_find_similar_is_empty_for_a_new_name():
    assert find_similar("融创御央首府", KNOWN) == []
    # and the same name is found once it is known
    known = [*KNOWN, KnownCommunity(id=5, name="融创御央首府")]
    assert [s.id for s in find_similar("融创御央首府", known)] == [5]


names = st.text(alphabet="万科城市花园保利中海金地锦绣天悦湖畔御景小区期二三一", min_size=2, max_size=10)


@given(names)
def test_every_name_is_like_itself(name):
    key = name_key(name)
    assert alike(key, key) in {SAME_NAME, None}
    if key.core:
        assert alike(key, key) == SAME_NAME


@given(names, names)
def test_likeness_is_symmetric(a, b):
    assert same_place(a, b) == same_place(b, a)
