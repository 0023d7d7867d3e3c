"""The dictionary reads the pages offer choices from (decision 0013: pages hold no queries)."""

from __future__ import annotations

from anju.geo.selectors import communities_by_name, districts_for_city_name
from tests.factories import CityFactory, CommunityFactory, CompanyFactory, DistrictFactory
from tests.geo.factories import AliasFactory


def test_a_name_finds_its_community_and_an_alias_finds_the_community_it_names(company):
    # given
    garden = CommunityFactory(company=company, name="万科城市花园")
    light = CommunityFactory(company=company, name="万科城市之光")
    AliasFactory(community=light, name="城市之光")
    # when
    found = communities_by_name(company_id=company.pk, names=["万科城市花园", "城市之光", "没有这个小区"])
    # then
    assert found == {"万科城市花园": garden.pk, "城市之光": light.pk}


def test_a_name_wins_over_another_communitys_alias_that_reads_the_same(company):
    # given one community is called what another lists as its alias
    named = CommunityFactory(company=company, name="金地格林")
    aliased = CommunityFactory(company=company, name="金地格林小城")
    AliasFactory(community=aliased, name="金地格林")
    # when
    found = communities_by_name(company_id=company.pk, names=["金地格林"])
    # then
    assert found == {"金地格林": named.pk}


def test_another_companys_community_is_not_found_by_its_name(company):
    # given
    CommunityFactory(company=CompanyFactory(name="别家地产"), name="别家花园")
    mine = CommunityFactory(company=company, name="自家花园")
    # when
    found = communities_by_name(company_id=company.pk, names=["别家花园", "自家花园"])
    # then
    assert found == {"自家花园": mine.pk}


def test_districts_of_the_companys_city_come_in_code_order(db):
    # given
    wuhan, shanghai = CityFactory(name="武汉"), CityFactory(name="上海", code="310100")
    later = DistrictFactory(city=wuhan, name="洪山区", code="420111")
    first = DistrictFactory(city=wuhan, name="江岸区", code="420102")
    DistrictFactory(city=shanghai, name="浦东新区", code="310115")
    # when
    districts = districts_for_city_name("武汉")
    # then
    assert districts == [first, later]


def test_a_city_the_dictionary_does_not_know_offers_every_district(db):
    # given
    wuhan, shanghai = CityFactory(name="武汉"), CityFactory(name="上海", code="310100")
    pudong = DistrictFactory(city=shanghai, name="浦东新区", code="310115")
    hongshan = DistrictFactory(city=wuhan, name="洪山区", code="420111")
    # when / then
    assert districts_for_city_name("成都") == [pudong, hongshan]
    assert districts_for_city_name("") == [pudong, hongshan]
