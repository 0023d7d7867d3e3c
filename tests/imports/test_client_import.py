"""Importing clients: one mobile is one client per company, owners within the importer's scope."""

from __future__ import annotations

import datetime as dt

import pytest

from anju.clients.models import Client, OwnershipChange
from anju.core.tabular import read_mapping
from anju.imports.clients import COLUMNS, clients_import, parse_row
from tests.factories import AgentFactory, ClientFactory
from tests.imports.conftest import CLIENT_HEADER, csv_file, xlsx_file


def run(agent, file, filename="客户.csv", **options):
    return clients_import(importer=agent, source=file, filename=filename, **options)


def reasons(result) -> dict[int, str]:
    return {bad.line: "；".join(bad.reasons) for bad in result.bad_rows}


def test_a_file_with_bad_rows_is_rejected_with_every_line_and_reason_and_changes_nothing(agent):
    # given
    ClientFactory(owner=agent, name="老客户", mobile="13900000000")
    before = Client.objects.count()
    file = csv_file(
        [
            CLIENT_HEADER,
            "张三,13812345678,男,门店到访,",
            "李四,138 1234 5678,女,,同一个号码",  # the same mobile, written differently
            "王五,123,男,,",
            "赵六,13900000000,女,,",  # already the agent's client
            "钱七,13700000001".encode(),  # shifted: cells missing
            "孙八,13700000002,女,,备注".encode("gbk"),  # a GBK line in a UTF-8 file
            "周九,13700000003,不男不女,,",
        ]
    )
    # when
    result = run(agent, file)
    # then
    assert result.rejected
    assert reasons(result) == {
        3: "手机号 138****5678 与第 2 行重复",
        4: "手机号“123”无效",
        5: "手机号 139****0000 已是您的客户“老客户”",
        6: "本行有 2 列，表头有 5 列（列错位或少了分隔符）",
        7: reasons(result)[7],
        8: "性别“不男不女”无效，可填：未知、男、女",
    }
    assert reasons(result)[7].startswith("编码错误")
    assert Client.objects.count() == before
    assert not OwnershipChange.objects.exists()


def test_a_duplicate_of_a_colleagues_client_names_the_owner_but_not_the_client(agent, colleague, manager):
    # given
    ClientFactory(owner=colleague, name="同事的客户", mobile="13811112222")
    ClientFactory(owner=None, store=None, company=agent.company, name="池子里的", mobile="13833334444")
    file = csv_file([CLIENT_HEADER, "甲,13811112222,,,", "乙,13833334444,,,"])
    # when
    as_agent = reasons(run(agent, file, dry_run=True))
    file.seek(0)
    as_manager = reasons(run(manager, file, dry_run=True))
    # then
    assert as_agent == {
        2: f"手机号 138****2222 已是{colleague.name}（{colleague.store.name}）的私客",
        3: "手机号 138****4444 已是公客池中的客户“池子里的”，可直接认领",
    }
    assert (
        as_manager[2]
        == f"手机号 138****2222 已是{colleague.name}（{colleague.store.name}）的私客“同事的客户”"
    )


def test_another_companys_client_with_the_same_mobile_is_no_duplicate(agent, stranger):
    ClientFactory(owner=stranger, mobile="13811112222")
    result = run(agent, csv_file([CLIENT_HEADER, "甲,13811112222,,,"]))
    assert result.written == 1


def test_imported_clients_are_the_importers_private_clients_with_an_intake_record(agent):
    # given
    file = csv_file(
        [CLIENT_HEADER + ",身份证号,生日", "张三,+86 138-1234-5678,,网络,老乡,420102199001011236,1990-01-01"]
    )
    # when
    result = run(agent, file)
    # then
    assert result.written == 1
    client = Client.objects.get()
    assert (client.owner, client.store, client.company) == (agent, agent.store, agent.company)
    assert (client.mobile, client.source, client.notes) == ("13812345678", "online", "老乡")
    assert client.gender == "m"  # from the ID number
    assert (client.birthday_calendar, client.birthday) == ("solar", dt.date(1990, 1, 1))
    change = OwnershipChange.objects.get(client=client)
    assert (change.reason, change.to_agent, change.by, change.from_agent) == ("intake", agent, agent, None)
    assert change.note == "导入：客户.csv"


def test_skip_bad_writes_only_the_good_rows_and_dry_run_nothing(agent):
    file = csv_file([CLIENT_HEADER, "甲,13811112222,,,", "乙,123,,,"])
    assert run(agent, file, dry_run=True).written == 0
    assert not Client.objects.exists()
    file.seek(0)
    result = run(agent, file, skip_bad=True)
    assert (result.written, [b.line for b in result.bad_rows]) == (1, [3])
    assert list(Client.objects.values_list("name", flat=True)) == ["甲"]


def test_a_gbk_file_as_excel_saves_it_in_china(agent):
    file = csv_file([CLIENT_HEADER, "张三,13811112222,男,电话,喜欢南北通透"], encoding="gbk")
    result = run(agent, file)
    assert result.encoding == "gb18030"
    client = Client.objects.get()
    assert (client.name, client.source, client.notes) == ("张三", "phone", "喜欢南北通透")


def test_a_utf8_file_with_bom_and_a_title_line_above_the_header(agent):
    file = csv_file(["\ufeff客户名单（2024年）,,,,", CLIENT_HEADER, "张三,13811112222,,,"])
    result = run(agent, file)
    assert (result.written, result.bad_rows) == (1, [])


def test_an_xlsx_file_with_numbers_for_mobiles_and_dates_for_birthdays(agent):
    # given: Excel keeps a mobile typed in as a number, and a birthday as a date
    file = xlsx_file(
        [
            ["姓名", "手机", "生日", "备注"],
            ["张三", 13811112222, dt.date(1990, 5, 1), "XLSX"],
            [None, None, None, None],
            ["李四", "13811112222", None, None],
        ]
    )
    # when
    result = run(agent, file, filename="客户.xlsx", skip_bad=True)
    # then
    assert reasons(result) == {4: "手机号 138****2222 与第 2 行重复"}
    client = Client.objects.get()
    assert (client.mobile, client.birthday, client.notes) == ("13811112222", dt.date(1990, 5, 1), "XLSX")


def test_a_mapping_file_names_other_headers(agent):
    # given
    mapping = read_mapping(
        "源列名,标准列名\n客户,姓名\nTel,手机\n".encode(), filename="map.csv", columns=COLUMNS
    )
    file = csv_file(["客户,Tel,Remark", "张三,13811112222,x"])
    # when
    result = run(agent, file, mapping=mapping)
    # then
    assert result.written == 1
    assert result.ignored_columns == ["Remark"]


def test_an_agent_cannot_import_clients_as_another_agent(agent, colleague):
    file = csv_file([CLIENT_HEADER + ",经纪人", f"张三,13811112222,,,,{colleague.name}"])
    result = run(agent, file)
    assert reasons(result) == {2: f"只能导入到自己名下，不能指定经纪人“{colleague.name}”"}
    assert not Client.objects.exists()


def test_a_manager_assigns_imported_clients_within_the_store(manager, agent, other_store):
    # given
    AgentFactory(store=other_store, company=other_store.company, user__username="waidian")
    file = csv_file(
        [
            CLIENT_HEADER + ",经纪人账号",
            "张三,13811112222,,,,zhangwei",
            "李四,13811113333,,,,waidian",
            "王五,13811114444,,,,nobody",
        ]
    )
    # when
    result = run(manager, file, skip_bad=True)
    # then
    assert reasons(result) == {3: "经纪人“waidian”不在您管理的范围内", 4: "经纪人“nobody”不存在或已离职"}
    client = Client.objects.get()
    assert (client.owner, client.store) == (agent, agent.store)
    assert OwnershipChange.objects.get().by == manager


def test_an_administrator_without_a_store_fills_the_pool_unless_naming_an_agent(admin_agent, agent):
    file = csv_file([CLIENT_HEADER + ",经纪人账号", "张三,13811112222,,,,", "李四,13811113333,,,,zhangwei"])
    result = run(admin_agent, file)
    assert result.written == 2
    assert Client.objects.get(name="张三").owner is None
    assert Client.objects.get(name="李四").owner == agent


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"mobile": "138****5678"}, "手机号“138****5678”已打码，无法导入（导出文件只含您可见的号码）"),
        ({"mobile": "027-87654321"}, "手机号“027-87654321”不是手机号码（座机请填在备用电话）"),
        ({"mobile": ""}, "手机号不能为空"),
        ({"id_number": "420102199001011234"}, "身份证号校验位不正确，请核对"),
        ({"id_number": "420102199001011236", "gender": "女"}, "性别与身份证号不符"),
        ({"birthday": "2099-01-01"}, "生日“2099-01-01”不在合理范围内"),
        ({"name": "张" * 31}, "姓名太长（31 个字），最多 30 个字"),
    ],
)
def test_parse_row_explains_each_bad_cell(cells, reason):
    assert parse_row({"name": "张三", "mobile": "13812345678"} | cells) == [reason]


def test_parse_row_normalises_numbers():
    row = parse_row({"name": "张三", "mobile": "138-1234-5678", "second_phone": "02787654321"})
    assert not isinstance(row, list)
    assert (row.mobile, row.second_phone) == ("13812345678", "027-87654321")


def test_a_row_with_a_control_character_is_reported_by_line_and_nothing_is_written(agent):
    # given: a tab in a name, NUL in a note; a line break inside a quoted note is allowed
    file = csv_file(
        [
            CLIENT_HEADER,
            '张三,13812345678,男,,"第一行\n第二行"',
            "李\t四,13812345679,男,,",
            "王五,13812345670,男,,备\x00注",
        ]
    )
    # when
    result = run(agent, file)
    # then
    assert result.rejected
    assert reasons(result) == {
        4: "姓名含有无法显示的控制字符",
        5: "备注含有无法显示的控制字符",
    }  # lines of the file
    assert not Client.objects.exists()
    # and the good row alone is imported with its line break
    run(agent, csv_file([CLIENT_HEADER, '张三,13812345678,男,,"第一行\n第二行"']))
    assert Client.objects.get().notes == "第一行\n第二行"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("\u200b\ufeff", "姓名不能为空"),
        ("张\u202e三", "姓名含有改变文字方向的字符，请删除后再保存"),
    ],
)
def test_a_name_that_shows_nothing_or_reads_backwards_is_refused(name, reason):
    assert parse_row({"name": name, "mobile": "13812345678"}) == [reason]
