"""Finding a community by name, alias or pinyin initials, best match first, fast at any size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.core.pagination import keyset_page
from anju.geo.selectors import COMMUNITY_ORDER, community_search, prefix_upper_bound, with_aliases
from tests.factories import CommunityFactory
from tests.geo.factories import AliasFactory


def names(viewer, q="", **filters) -> list[str]:
    return [c.name for c in community_search(viewer, q=q, **filters).order_by(*COMMUNITY_ORDER)]


@pytest.fixture
def dictionary(company, guanggu, zhongbeilu, vanke):
    CommunityFactory(company=company, business_area=guanggu, name="万科城市之光")
    CommunityFactory(company=company, business_area=zhongbeilu, name="中北路万科城市花园")
    yuyang = CommunityFactory(company=company, business_area=zhongbeilu, name="融创御央首府")
    AliasFactory(community=yuyang, name="御央首府")
    return vanke


def test_pinyin_initials_find_the_community(agent, dictionary):
    assert names(agent, "wkcshy") == ["万科城市花园", "中北路万科城市花园"]


def test_initials_are_matched_as_a_prefix_first_then_inside(agent, dictionary):
    # wkcs starts 万科城市花园 and 万科城市之光, and is inside zblwkcshy (中北路万科城市花园)
    assert names(agent, "WKCS") == ["万科城市花园", "万科城市之光", "中北路万科城市花园"]


def test_name_matches_exact_first_then_prefix_then_inside(agent, dictionary):
    assert names(agent, "万科城市花园") == ["万科城市花园", "中北路万科城市花园"]
    assert names(agent, "城市") == ["万科城市花园", "万科城市之光", "中北路万科城市花园"]


def test_an_alias_finds_its_community(agent, dictionary):
    assert names(agent, "御央") == ["融创御央首府"]
    assert names(agent, "yy") == ["融创御央首府"]


def test_filters_by_district_and_business_area(agent, dictionary, wuchang, guanggu):
    assert names(agent, "万科", district_id=wuchang.pk) == ["中北路万科城市花园"]
    assert names(agent, business_area_id=guanggu.pk) == ["万科城市花园", "万科城市之光"]


def test_without_a_query_the_whole_dictionary_in_pinyin_order(agent, dictionary):
    assert names(agent) == ["融创御央首府", "万科城市花园", "万科城市之光", "中北路万科城市花园"]


def test_another_companys_communities_are_never_found(agent, stranger, guanggu):
    CommunityFactory(company=agent.company, business_area=guanggu, name="自家的万科城市花园")
    CommunityFactory(company=stranger.company, business_area=guanggu, name="别家的万科城市花园")
    assert names(agent, "万科") == ["自家的万科城市花园"]


def test_nothing_matches_nonsense(agent, dictionary, company, guanggu):
    # what "100%_" would find if % and _ were wildcards
    CommunityFactory(company=company, business_area=guanggu, name="金地1000公寓")
    assert names(agent, "zzzz") == []
    assert names(agent, "100%_") == []
    assert names(agent, "1000") == ["金地1000公寓"]  # the same search finds what is there


def test_prefix_bound():
    assert prefix_upper_bound("wkcs") == "wkct"
    assert prefix_upper_bound("a9") == "a:"


def test_keyset_pages_of_a_ranked_search_neither_repeat_nor_skip(agent, company, guanggu):
    # given 25 matches of three ranks
    CommunityFactory(company=company, business_area=guanggu, name="花园")
    for i in range(12):
        CommunityFactory(company=company, business_area=guanggu, name=f"花园{i:02d}号")
        CommunityFactory(company=company, business_area=guanggu, name=f"第{i:02d}花园")
    qs = community_search(agent, q="花园")
    # when
    seen, cursor = [], None
    while True:
        rows, cursor = keyset_page(qs, order=COMMUNITY_ORDER, cursor=cursor, limit=7)
        seen += [r.name for r in rows]
        if not cursor:
            break
    # then
    assert len(seen) == len(set(seen)) == 25
    assert seen[0] == "花园"
    assert seen == names(agent, "花园")


def test_search_costs_one_query_at_300_communities(agent, company, guanggu, zhongbeilu):
    # given a company with 320 communities, most with an alias
    for i in range(320):
        community = CommunityFactory(
            company=company, business_area=guanggu if i % 2 else zhongbeilu, name=f"测试花园{i:03d}号"
        )
        if i % 3:
            AliasFactory(community=community, name=f"别名{i:03d}")
    for q in ["cshy", "测试花园1", "别名", ""]:
        # when
        with CaptureQueriesContext(connection) as queries:
            rows, _cursor = keyset_page(
                with_aliases(community_search(agent, q=q)), order=COMMUNITY_ORDER, cursor=None, limit=50
            )
            aliases = [a.name for c in rows for a in c.aliases.all()]
        # then: the page and its aliases, however many communities there are
        assert len(rows) == 50
        assert aliases
        assert len(queries) == 2, [q["sql"] for q in queries.captured_queries]
