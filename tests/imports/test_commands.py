"""``anju import`` and ``anju export`` on the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from anju.clients.models import Client
from anju.listings.models import Listing
from tests.factories import ClientFactory
from tests.imports.conftest import CLIENT_HEADER, LISTING_HEADER, listing_line


def write(path, lines, encoding="utf-8"):
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_import_prints_every_bad_row_and_fails_without_writing(tmp_path, agent, community, capsys):
    # given
    file = write(
        tmp_path / "房源.csv", [LISTING_HEADER, listing_line(room="1"), listing_line(room="2", price="面议")]
    )
    # when
    with pytest.raises(CommandError, match="1 行有问题，没有写入任何数据") as failure:
        call_command("import", "listings", str(file), "--as", "zhangwei", "--no-progress")
    # then
    assert failure.value.returncode == 1
    out = capsys.readouterr().out
    assert "第 3 行：价格“面议”不是数字" in out
    assert "共 2 行，没有问题的 1 行，有问题的 1 行；未写入。" in out
    assert not Listing.objects.exists()


def test_import_with_skip_bad_writes_the_good_rows_and_a_report(tmp_path, agent, capsys):
    file = write(tmp_path / "客户.csv", [CLIENT_HEADER, "张三,13811112222,,,", "李四,123,,,"], encoding="gbk")
    report = tmp_path / "问题.csv"
    call_command(
        "import",
        "clients",
        str(file),
        "--as",
        "zhangwei",
        "--skip-bad",
        "--report",
        str(report),
        "--no-progress",
    )
    assert "已写入 1 行" in capsys.readouterr().out
    assert list(Client.objects.values_list("name", flat=True)) == ["张三"]
    assert report.read_text(encoding="utf-8-sig").splitlines() == [
        "行号,问题," + CLIENT_HEADER,
        "3,手机号“123”无效,李四,123,,,",
    ]


def test_import_dry_run_writes_nothing(tmp_path, agent, capsys):
    file = write(tmp_path / "客户.csv", [CLIENT_HEADER, "张三,13811112222,,,"])
    call_command("import", "clients", str(file), "--as", "zhangwei", "--dry-run", "--no-progress")
    # the file was read and checked
    assert "共 1 行，没有问题的 1 行，有问题的 0 行（只检查，未写入）。" in capsys.readouterr().out
    assert not Client.objects.exists()


def test_import_with_a_mapping_file(tmp_path, agent):
    file = write(tmp_path / "c.csv", ["Name,Tel", "张三,13811112222"])
    mapping = tmp_path / "map.json"
    mapping.write_text('{"Name": "姓名", "Tel": "手机"}', encoding="utf-8")
    call_command(
        "import", "clients", str(file), "--as", "zhangwei", "--mapping", str(mapping), "--no-progress"
    )
    assert Client.objects.get().name == "张三"


@pytest.mark.parametrize(
    ("username", "message"),
    [("nobody", "没有用户名为“nobody”的在职员工。"), ("zhangwei", "缺少必需的列：手机。")],
)
def test_import_refuses_unknown_employees_and_unreadable_files(tmp_path, agent, username, message):
    file = write(tmp_path / "c.csv", ["姓名", "张三"])
    with pytest.raises(CommandError, match=message):
        call_command("import", "clients", str(file), "--as", username, "--no-progress")


def test_export_writes_what_the_employee_may_see(tmp_path, agent, colleague, capsys):
    # given
    ClientFactory(owner=agent, name="自己的", mobile="13800001111")
    ClientFactory(owner=colleague, name="同事的", mobile="13800002222")
    ClientFactory(owner=None, store=None, company=agent.company, name="公客", mobile="13900003333")
    out = tmp_path / "clients.xlsx"
    # when
    call_command("export", "clients", str(out), "--as", "zhangwei", "--no-progress")
    # then
    assert "已导出 2 行" in capsys.readouterr().out
    rows = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert sorted((row[0], row[1]) for row in rows[1:]) == [
        ("公客", "139****3333"),
        ("自己的", "13800001111"),
    ]


def test_export_wants_an_xlsx_file_name(tmp_path, agent):
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("export", "listings", str(tmp_path / "a.csv"), "--as", "zhangwei")
