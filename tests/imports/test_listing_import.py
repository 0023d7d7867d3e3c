"""Importing listings: every row checked, every bad row reported by line, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anju.core.errors import ApplicationError
from anju.imports.listings import listings_import, parse_row
from anju.listings.models import Listing, Property
from tests.factories import AgentFactory, ListingFactory, PropertyFactory
from tests.imports.conftest import LISTING_HEADER, csv_file, listing_line


def run(agent, file, **options):
    return listings_import(importer=agent, source=file, filename="房源.csv", **options)


def reasons(result) -> dict[int, str]:
    return {bad.line: "；".join(bad.reasons) for bad in result.bad_rows}


def test_a_file_with_bad_rows_is_rejected_with_every_line_and_reason_and_changes_nothing(agent, community):
    # given: the bad rows agencies' files really have, among good ones
    file = csv_file(
        [
            LISTING_HEADER,
            listing_line(room="101"),
            listing_line(room="102")
            .replace("万科城市花园", "万科城市花园")
            .encode("gbk"),  # a GBK line in UTF-8
            "万科城市花园,洪山区,3栋,1,103,15,18,3室2厅1卫,89.5,南北,精装",  # a cell short: shifted
            listing_line(room="104", price="面议"),
            listing_line(room="105", area="0"),
            listing_line(room="106", layout="三房"),
            listing_line(room="107"),
        ]
    )
    # when
    result = run(agent, file)
    # then
    assert result.rejected
    assert result.written == 0
    found = reasons(result)
    assert sorted(found) == [3, 4, 5, 6, 7]
    assert found[3].startswith("编码错误")
    assert "本行有 11 列，表头有 12 列" in found[4]
    assert found[5] == "价格“面议”不是数字"
    assert found[6] == "建筑面积必须大于 0"
    assert found[7] == "户型“三房”应为“3室2厅1卫”格式"
    assert result.good == 2
    assert not Listing.objects.exists()
    assert not Property.objects.exists()


def test_skip_bad_writes_the_good_rows_only(agent, community):
    # given
    file = csv_file([LISTING_HEADER, listing_line(room="101"), listing_line(room="102", price="面议")])
    # when
    result = run(agent, file, skip_bad=True)
    # then
    assert result.written == 1
    assert [bad.line for bad in result.bad_rows] == [3]
    listing = Listing.objects.select_related("property").get()
    assert listing.property.room_number == "101"
    assert listing.price == Decimal("3200000.00")
    assert listing.unit_price == Decimal("35754.19")
    assert (listing.agent, listing.store, listing.community, listing.district) == (
        agent,
        agent.store,
        community,
        community.district,
    )
    assert listing.property.layout == "3室2厅1卫"
    assert listing.property.building == "3"  # "3栋" as the pages keep it


def test_dry_run_checks_and_writes_nothing(agent, community):
    result = run(agent, csv_file([LISTING_HEADER, listing_line()]), dry_run=True)
    assert (result.good, result.written, result.bad_rows) == (1, 0, [])
    assert not Listing.objects.exists()


def test_a_community_is_found_by_alias_and_unknown_or_misplaced_ones_are_bad_rows(
    agent, community, other_community
):
    # given
    file = csv_file(
        [
            LISTING_HEADER,
            listing_line("城市花园", room="1"),
            listing_line("不存在的小区", room="2"),
            listing_line("万科城市花园", room="3", district="江夏区"),
            listing_line("万科城市花园", room="4", district="火星区"),
            listing_line("万科城市花园", room="5", district="洪山"),
        ]
    )
    # when
    result = run(agent, file, skip_bad=True)
    # then
    found = reasons(result)
    assert "不在本公司的楼盘字典中" in found[3]
    assert found[4] == "小区“万科城市花园”不在江夏区（楼盘字典中它在：洪山区）"
    assert found[5] == "区县“火星区”不存在"
    assert Listing.objects.filter(community=community).count() == 2


def test_two_communities_of_one_name_need_the_district(agent, community, other_community):
    other_community.name = "万科城市花园"
    other_community.save()
    result = run(agent, csv_file([LISTING_HEADER, listing_line(district="")]), dry_run=True)
    assert reasons(result) == {2: "小区“万科城市花园”在多个区县都有（洪山区、江夏区），请填写“区县”列"}


def test_another_companys_community_is_unknown(agent, stranger):
    from tests.factories import CommunityFactory

    CommunityFactory(company=stranger.company, name="别家小区")
    result = run(agent, csv_file([LISTING_HEADER, listing_line("别家小区", district="")]))
    assert "不在本公司的楼盘字典中" in reasons(result)[2]


def test_the_same_flat_twice_in_a_file_and_a_flat_already_on_the_market_are_bad_rows(
    agent, colleague, community
):
    # given
    on_market = ListingFactory(
        agent=colleague,
        property=PropertyFactory(company=agent.company, community=community, building="3", room_number="9"),
    )
    file = csv_file([LISTING_HEADER, listing_line(room="1"), listing_line(room="1"), listing_line(room="9")])
    # when
    result = run(agent, file)
    # then
    found = reasons(result)
    assert found[3] == "与第 2 行是同一套房屋"
    assert found[4] == f"该房屋已有出售房源在市场上（编号 {on_market.pk}，{colleague.name}，在售/在租）"


def test_a_flat_already_in_the_dictionary_is_reused_and_takes_the_new_facts(agent, community):
    # given: the flat was sold before; now it is listed again
    flat = PropertyFactory(
        company=agent.company,
        community=community,
        building="3",
        unit="1",
        room_number="1502",
        area=Decimal("88"),
    )
    ListingFactory(agent=agent, property=flat, status="sold")
    # when
    result = run(agent, csv_file([LISTING_HEADER, listing_line(room="1502", area="89.5")]))
    # then
    assert result.written == 1
    assert Property.objects.count() == 1
    flat.refresh_from_db()
    assert flat.area == Decimal("89.50")
    assert Listing.objects.filter(property=flat, status="active").count() == 1


def test_prices_in_wan_and_rents_read_as_agents_write_them(agent, community):
    # given
    file = csv_file(
        [
            "小区,楼栋,门牌号,所在楼层,总楼层,户型,面积,朝向,装修,类型,挂牌价（万元）,挂牌日期",
            "万科城市花园,1,101,1,6,2室1厅1卫,60㎡,南,简装,出售,150.5,2024/5/1",
            "万科城市花园,1,102,1,6,2室1厅1卫,60平米,南,简装,出售,150,2024年5月2日",
        ]
    )
    # when
    result = run(agent, file)
    # then
    assert result.bad_rows == []
    prices = sorted(Listing.objects.values_list("price", flat=True))
    assert prices == [Decimal("1500000.00"), Decimal("1505000.00")]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"price": "320"}, "售价 320.00 元只合每平方米 3.58 元，是否漏写了“万”？"),
        ({"floor": "20"}, "所在楼层不能高于总楼层（20 层，总 18 层）"),
        ({"floor": "0"}, "所在楼层不能为 0（地下层请填负数）"),
        ({"orientation": "朝天"}, "朝向“朝天”无效，可填：南、南北、东、西、北、东南、西南、东西、西北、东北"),
        ({"price": "-5"}, "价格必须大于 0"),
        ({"status": "已租"}, "出售房源的状态不能是“已租”"),
        ({"listed_on": "2099-01-01"}, "挂牌日期不能晚于今天"),
        ({"area": "八十"}, "面积“八十”不是数字"),
        ({"room_number": ""}, "门牌号不能为空（楼栋和门牌号都不填时，地址标为待补全）"),
    ],
)
def test_parse_row_explains_each_bad_cell(cells, reason):
    raw = {
        "community": "万科城市花园",
        "building": "3",
        "room_number": "1502",
        "floor": "15",
        "total_floors": "18",
        "layout": "3室2厅1卫",
        "area": "89.5",
        "orientation": "南北",
        "decoration": "精装",
        "price": "320万",
    }
    outcome = parse_row(raw | cells)
    assert outcome == [reason]


def test_an_agent_cannot_import_listings_for_another_agent(agent, colleague, community):
    # given
    file = csv_file([LISTING_HEADER + ",经纪人账号", listing_line() + f",{colleague.user.username}"])
    # when
    result = run(agent, file)
    # then
    assert reasons(result) == {2: f"只能导入到自己名下，不能指定经纪人“{colleague.user.username}”"}
    assert not Listing.objects.exists()


def test_a_manager_imports_for_the_agents_of_the_store_but_not_of_another(
    manager, agent, other_store, community
):
    # given
    elsewhere = AgentFactory(
        store=other_store, company=other_store.company, name="外店", user__username="waidian"
    )
    file = csv_file(
        [
            LISTING_HEADER + ",经纪人账号",
            listing_line(room="1") + ",zhangwei",
            listing_line(room="2") + ",waidian",
        ]
    )
    # when
    result = run(manager, file, skip_bad=True)
    # then
    assert reasons(result) == {3: "经纪人“waidian”不在您管理的范围内"}
    assert Listing.objects.get().agent == agent
    assert elsewhere.listings.count() == 0


def test_an_administrator_without_a_store_must_name_the_agent(admin_agent, agent, community):
    file = csv_file(
        [LISTING_HEADER + ",经纪人", listing_line(room="1") + ",", listing_line(room="2") + ",张伟"]
    )
    result = run(admin_agent, file, skip_bad=True)
    assert reasons(result) == {2: "您不属于任何门店，请在“经纪人账号”列填写房源归属的经纪人"}
    assert Listing.objects.get().agent == agent


def test_a_file_without_the_price_column_is_refused_as_a_whole(agent, community):
    header = LISTING_HEADER.removesuffix(",挂牌价")
    with pytest.raises(ApplicationError, match="缺少必需的列：挂牌价"):
        run(agent, csv_file([header, listing_line().rsplit(",", 1)[0]]))


def test_a_row_that_does_not_parse_still_reports_its_unknown_community(agent, community):
    result = run(agent, csv_file([LISTING_HEADER, listing_line("不存在的小区", price="面议")]))
    assert reasons(result) == {
        2: "价格“面议”不是数字；小区“不存在的小区”不在本公司的楼盘字典中，请先添加该小区或检查名称"
    }


def test_a_listing_row_with_a_control_character_is_reported_by_line(agent, community):
    # given
    file = csv_file([LISTING_HEADER, listing_line(room="101"), listing_line(room="1\x0102")])
    # when
    result = run(agent, file)
    # then
    assert result.rejected
    assert reasons(result) == {3: "门牌号含有无法显示的控制字符"}
    assert not Listing.objects.exists()
