"""Importing the building dictionary in bulk, and listings that create the communities they name:
the dictionary's look-alike check holds for the whole file, and nothing is made up."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from anju.core.errors import ApplicationError
from anju.geo.models import BusinessArea, Community, CommunityAlias
from anju.imports.communities import communities_import
from anju.imports.listings import listings_import
from anju.listings.models import Listing
from tests.imports.conftest import csv_file

HEADER = "小区名称,别名,区域,地址,建成年代,纬度,经度"


def run(importer, lines, **options):
    return communities_import(importer=importer, source=csv_file(lines), filename="小区.csv", **options)


def reasons(result) -> dict[int, str]:
    return {bad.line: "；".join(bad.reasons) for bad in result.bad_rows}


def test_communities_and_their_business_areas_come_in_with_or_without_coordinates(manager, community):
    # given: one 板块 on file (光谷), one new (关山)
    lines = [
        HEADER,
        "保利中央公馆,保利公馆、中央公馆,洪山-光谷,珞喻路 1 号,2015年建,30.507,114.402",
        "金地太阳城,,洪山-关山,,2008,,",
    ]
    # when
    result = run(manager, lines)
    # then
    assert result.bad_rows == []
    assert result.written == 2
    assert result.notes == ["新建小区 2 个", "新建板块 1 个"]
    poly = Community.objects.get(name="保利中央公馆")
    assert (poly.business_area.name, poly.district.name, poly.build_year) == ("光谷", "洪山区", 2015)
    assert sorted(poly.aliases.values_list("name", flat=True)) == ["中央公馆", "保利公馆"]
    assert poly.address == "珞喻路 1 号"
    sun = Community.objects.get(name="金地太阳城")
    assert (sun.latitude, sun.longitude) == (None, None)
    assert sun.business_area == BusinessArea.objects.get(name="关山")


def test_a_row_like_a_community_on_file_or_like_another_row_is_reported_and_nothing_is_written(
    manager, community
):
    # given: 万科城市花园 is on file (alias 城市花园)
    lines = [
        HEADER,
        "万科城市花园小区,,洪山-光谷,,,,",  # like the one on file
        "南湖山庄,,洪山-南湖,,,,",
        "南湖山庄小区,,洪山-南湖,,,,",  # like row 3
        "南湖山庄,,洪山-南湖,,,,",  # the same as row 3
        "未来城,,黄陂-盘龙,,,,",  # no such district
    ]
    # when
    result = run(manager, lines)
    # then
    assert result.rejected and result.written == 0
    found = reasons(result)
    assert sorted(found) == [2, 4, 5, 6]
    assert found[2].startswith("与已有小区“万科城市花园”（洪山区·光谷）相似（名称相同或相近）")
    assert "在“相似时”列填“别名”" in found[2]
    assert found[4].startswith("与第 3 行的“南湖山庄”相似")
    assert found[5] == "与第 3 行是同一小区（同区同名）"
    assert found[6] == "区县“黄陂”不存在"
    assert not Community.objects.exclude(pk=community.pk).exists()


def test_add_as_alias_records_a_look_alike_as_another_name_of_the_community(manager, community):
    # given
    lines = [HEADER + ",相似时", "万科城市花园小区,万科城花,洪山-光谷,,,,,别名", "南湖山庄,,洪山-南湖,,,,,"]
    # when
    result = run(manager, lines)
    # then
    assert result.bad_rows == []
    assert result.notes == ["新建小区 1 个", "新建板块 1 个", "添加别名 2 个"]
    assert sorted(CommunityAlias.objects.filter(community=community).values_list("name", flat=True)) == [
        "万科城市花园小区",
        "万科城花",
        "城市花园",
    ]
    assert sorted(Community.objects.values_list("name", flat=True)) == ["万科城市花园", "南湖山庄"]


def test_only_managers_and_administrators_import_the_dictionary(agent, community):
    with pytest.raises(ApplicationError) as refused:
        run(agent, [HEADER, "南湖山庄,,洪山-南湖,,,,"])
    assert refused.value.code == "dictionary_edit_forbidden"


PORTAL = "小区,区域,户型,建筑面积,朝向,装修,楼层,总价"


def test_a_listing_import_creates_the_communities_it_names_when_allowed(agent, community):
    # given: two rows of a community the dictionary lacks, one of a look-alike, one without 板块
    lines = [
        PORTAL,
        "光谷天地,洪山-光谷,2室1厅1卫,89,南,精装,中楼层(共18层),198",
        "光谷天地,洪山-光谷,3室2厅1卫,120,南北,其他,高楼层/18,260",
        "万科城市花园小区,洪山-光谷,3室2厅1卫,120,南北,其他,高楼层/18,260",
        "南湖花城,洪山,3室2厅1卫,120,南北,其他,低楼层/6,150",
        "万科城市花园,洪山-光谷,3室2厅1卫,120,南北,其他,高楼层/18,260",
    ]
    # when
    result = listings_import(
        importer=agent, source=csv_file(lines), filename="房源.csv", create_communities=True, skip_bad=True
    )
    # then
    found = reasons(result)
    assert sorted(found) == [4, 5]
    assert found[4].startswith("小区“万科城市花园小区”不在楼盘字典中，没有新建：与已有小区“万科城市花园”")
    assert found[4].endswith("如是同一小区，请先把“万科城市花园小区”添加为它的别名")
    assert found[5] == "小区“南湖花城”不在楼盘字典中；要新建它，须有板块（如“区域”列写“洪山-光谷”）"
    assert result.written == 3
    assert result.notes == ["新建小区 1 个"]
    created = Community.objects.get(name="光谷天地")
    assert (created.district, created.business_area) == (community.district, community.business_area)
    assert Listing.objects.filter(community=created).count() == 2


def test_without_the_option_an_unknown_community_is_reported_not_created(agent, community):
    lines = [PORTAL, "光谷天地,洪山-光谷,2室1厅1卫,89,南,精装,中楼层(共18层),198"]
    result = listings_import(importer=agent, source=csv_file(lines), filename="房源.csv")
    assert reasons(result) == {2: "小区“光谷天地”不在本公司的楼盘字典中，请先添加该小区或检查名称"}
    assert not Community.objects.filter(name="光谷天地").exists()


def test_the_command_imports_communities_and_reports_what_it_created(manager, community, tmp_path, capsys):
    # given
    path = tmp_path / "小区.csv"
    path.write_bytes(csv_file([HEADER, "南湖山庄,,洪山-南湖,,,,"]).getvalue())
    # when
    call_command("import", "communities", str(path), "--as", manager.user.username, "--no-progress")
    # then
    out = capsys.readouterr().out
    assert "新建小区 1 个；新建板块 1 个。" in out
    assert Community.objects.filter(name="南湖山庄").exists()


def test_a_dry_run_says_which_communities_it_would_create_and_creates_none(agent, community):
    lines = [PORTAL, "光谷天地,洪山-光谷,2室1厅1卫,89,南,精装,中楼层(共18层),198"]
    result = listings_import(
        importer=agent, source=csv_file(lines), filename="房源.csv", create_communities=True, dry_run=True
    )
    assert (result.good, result.written, result.bad_rows) == (1, 0, [])
    assert result.notes == ["将新建小区 1 个"]
    assert not Community.objects.filter(name="光谷天地").exists()
    assert Community.objects.filter(name="万科城市花园").exists()
