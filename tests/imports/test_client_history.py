"""Clients from another system with their history: several phones in a cell, the owner by name,
the old system's clocks, and their follow-ups from a second file, so the timeline and the
public-pool clock start where the old system left them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from anju.clients.models import Client, Interaction
from anju.clients.services import clients_return_to_pool
from anju.imports.clients import clients_import, follow_ups_import, parse_moment, split_phones
from tests.factories import AgentFactory, DistrictFactory
from tests.imports.conftest import csv_file, xlsx_file

CLIENTS = "姓名,手机,经纪人,录入日期,最近跟进,备注"
FOLLOW_UPS = "手机,跟进时间,跟进人,跟进方式,跟进内容"


def reasons(result) -> dict[int, str]:
    return {bad.line: "；".join(bad.reasons) for bad in result.bad_rows}


def test_phones_in_one_cell_split_as_old_systems_write_them():
    assert split_phones("13812345678 / 13987654321") == ["13812345678", "13987654321"]
    assert split_phones("13812345678；027-87654321、13700000001") == [
        "13812345678",
        "027-87654321",
        "13700000001",
    ]
    assert split_phones("138 1234 5678") == ["138 1234 5678"]  # one number written in groups


def test_moments_read_with_or_without_a_time_and_never_in_the_future():
    now = timezone.now()
    zone = timezone.get_current_timezone()
    assert parse_moment("2024-05-01 14:30", "时间", now=now) == dt.datetime(2024, 5, 1, 14, 30, tzinfo=zone)
    assert parse_moment("2024/5/1", "时间", now=now) == dt.datetime(2024, 5, 1, tzinfo=zone)
    assert parse_moment("2024年5月1日", "时间", now=now) == dt.datetime(2024, 5, 1, tzinfo=zone)


def test_clients_come_in_with_their_phones_owner_by_name_and_old_clocks(manager, agent):
    # given: a client with three phones, owned by 张伟 (named, not by account), last contacted long ago
    lines = [
        CLIENTS,
        "刘洋,13812345678 / 027-87654321 / 13987654321,张伟,2023-03-01,2024-01-15 10:00,老客户",
        "陈静,13700000001,,2025-06-01,,",
    ]
    # when
    result = clients_import(importer=manager, source=csv_file(lines), filename="客户.csv")
    # then
    assert result.bad_rows == []
    liu = Client.objects.get(name="刘洋")
    zone = timezone.get_current_timezone()
    assert (liu.mobile, liu.second_phone) == ("13812345678", "027-87654321")
    assert liu.notes == "老客户\n其他电话：13987654321"
    assert liu.owner == agent
    assert liu.created_at == dt.datetime(2023, 3, 1, tzinfo=zone)
    assert liu.last_contact_at == dt.datetime(2024, 1, 15, 10, 0, tzinfo=zone)
    chen = Client.objects.get(name="陈静")
    assert chen.owner == manager and chen.last_contact_at is None


def test_follow_up_history_joins_the_timeline_and_the_pool_clock_starts_from_it(manager, agent):
    # given: two clients imported from the old system; their history in a second workbook, by a
    # former colleague too
    former = AgentFactory(store=agent.store, company=agent.company, name="离职的李明", is_active=False)
    clients_import(
        importer=manager,
        source=csv_file(
            [CLIENTS, "刘洋,13812345678,张伟,2023-03-01,,", "陈静,13700000001,张伟,2023-03-01,,"]
        ),
        filename="客户.csv",
    )
    recent = timezone.localtime() - dt.timedelta(days=2)
    history = xlsx_file(
        [
            FOLLOW_UPS.split(","),
            ["13812345678", "2023-03-02 09:30", "离职的李明", "电话", "首次来电，看光谷两房"],
            ["138 1234 5678", recent.strftime("%Y-%m-%d %H:%M"), "zhangwei", "带看", "带看万科城市花园"],
            ["13700000001", "2023-04-01", "张伟", "", "微信沟通预算"],
            ["13900000009", "2023-04-01", "张伟", "电话", "不是客户的号码"],
            ["13700000001", "2023-04-02", "王小二", "电话", "没有这个经纪人"],
        ]
    )
    # when
    result = follow_ups_import(importer=manager, source=history, filename="跟进.xlsx", skip_bad=True)
    # then
    assert reasons(result) == {
        5: "手机号 139****0009 不是本公司的客户，请先导入客户",
        6: "经纪人“王小二”不存在",
    }
    assert result.written == 3
    liu = Client.objects.get(name="刘洋")
    timeline = list(Interaction.objects.filter(client=liu).order_by("happened_at"))
    assert [(i.agent, i.kind, i.summary) for i in timeline] == [
        (former, "call", "首次来电，看光谷两房"),
        (agent, "showing", "带看万科城市花园"),
    ]
    assert liu.last_contact_at == recent.replace(second=0, microsecond=0)
    chen = Client.objects.get(name="陈静")
    assert chen.interactions.get().kind == "note"
    # when: the nightly pool job runs
    clients_return_to_pool()
    # then: the client followed up two days ago stays private; the one last seen in 2023 goes to the pool
    liu.refresh_from_db()
    chen.refresh_from_db()
    assert liu.owner == agent
    assert chen.owner is None


def test_needs_come_in_one_row_or_several_per_client(manager, agent, hongshan):
    # given: 刘洋 wants to buy (two rows: two needs), 陈静 to rent; 周敏 has no need
    DistrictFactory(name="武昌区", code="420106", city=hongshan.city)
    lines = [
        "姓名,手机,经纪人账号,需求类型,预算,意向户型,意向面积,意向区域",
        "刘洋,13812345678,zhangwei,买房,150-200万,3室,90以上,洪山、武昌",
        "刘洋,13812345678,zhangwei,买房,300万以内,4室,,武昌",
        "陈静,13700000001,zhangwei,租房,3000-4000,2-3室,,洪山区",
        "周敏,13700000002,zhangwei,,,,,",
        "吴昊,13700000003,zhangwei,,200万,,,",  # a budget without saying buy or rent
    ]
    # when
    result = clients_import(importer=manager, source=csv_file(lines), filename="客户.csv", skip_bad=True)
    # then
    assert reasons(result) == {6: "填写了需求，请同时填写需求类型（买房或租房）"}
    assert result.notes == ["导入需求 3 条"]
    assert Client.objects.filter(mobile="13812345678").count() == 1
    liu = Client.objects.get(name="刘洋")
    needs = sorted(liu.needs.all(), key=lambda n: n.budget_max)
    assert [(n.kind, n.budget_min, n.budget_max, n.rooms_min, n.rooms_max) for n in needs] == [
        ("buy", Decimal("1500000.00"), Decimal("2000000.00"), 3, 3),
        ("buy", None, Decimal("3000000.00"), 4, 4),
    ]
    assert needs[0].area_min == Decimal("90.00") and needs[0].area_max is None
    assert sorted(d.name for d in needs[0].districts.all()) == ["武昌区", "洪山区"]
    chen = Client.objects.get(name="陈静").needs.get()
    assert (chen.kind, chen.budget_min, chen.budget_max, chen.rooms_min, chen.rooms_max) == (
        "rent",
        Decimal("3000.00"),
        Decimal("4000.00"),
        2,
        3,
    )
    assert not Client.objects.get(name="周敏").needs.exists()
