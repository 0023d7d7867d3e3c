"""The import framework: malformed files, spreadsheet extents, dead workers, checks and writes."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from anju.clients.models import Client
from tests.imports.conftest import CLIENT_HEADER


def write(path, lines, encoding="utf-8"):
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_an_unterminated_quote_is_a_bad_row_with_skip_bad_and_the_rows_after_it_come_in(
    tmp_path, agent, capsys
):
    # given: 20 clients; the 5th opens a quote in its note and never closes it
    lines = [CLIENT_HEADER] + [f"客户{n},1381111{n:04d},,,备注" for n in range(2, 22)]
    lines[4] = '客户5,13811110005,,,"南北通透'
    file = write(tmp_path / "客户.csv", lines)
    report = tmp_path / "问题.csv"
    # when
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
    # then: 19 rows written, the 5th reported at its line with the reason
    out = capsys.readouterr().out
    assert "第 5 行：此行的引号没有闭合" in out
    assert "共 20 行，没有问题的 19 行，有问题的 1 行" in out
    assert Client.objects.count() == 19
    assert not Client.objects.filter(name="客户5").exists()
    assert Client.objects.filter(name="客户21").exists()
    assert "5,此行的引号没有闭合" in report.read_text(encoding="utf-8-sig")


def test_an_unterminated_quote_without_skip_bad_refuses_the_file(tmp_path, agent, capsys):
    lines = [CLIENT_HEADER, "张三,13811112222,,,", '李四,13811113333,,,"备注', "王五,13811114444,,,"]
    file = write(tmp_path / "客户.csv", lines)
    with pytest.raises(Exception, match="1 行有问题，没有写入任何数据"):
        call_command("import", "clients", str(file), "--as", "zhangwei", "--no-progress")
    assert "第 3 行：此行的引号没有闭合" in capsys.readouterr().out
    assert not Client.objects.exists()
