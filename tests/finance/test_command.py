"""``anju finance rules list`` and ``anju finance rules check FILE``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.finance.test_rules import vat_rule


def run(*args: str) -> str:
    out = StringIO()
    call_command("finance", *args, stdout=out)
    return out.getvalue()


def test_list_shows_what_a_citys_calculation_uses_on_a_day(book):
    # when
    before = run("rules", "list", "--city", "武汉", "--as-of", "2025-12-31")
    after = run("rules", "list", "--city", "武汉", "--as-of", "2026-01-02")
    # then
    assert "2025年12月31日 武汉 的计算使用以下规则：" in before
    assert "vat.2024-12" in before and "vat.2026-01" not in before
    assert "vat.2026-01" in after and "vat.2024-12" not in after
    assert "wuhan.income_tax.2006-08" in after
    assert "六税两费减半征收；出处：财政部 税务总局公告2023年第12号（national.toml）  [未核实]" in after
    assert "已有规则的城市：上海、武汉" in after


def test_list_all_shows_every_version(book):
    listing = run("rules", "list", "--all")
    assert (
        "vat.2024-12" in listing and "vat.2026-01" in listing and "shanghai.down_payment.2024-10" in listing
    )


def test_list_for_a_city_without_rules_says_which_cities_have_them(book):
    with pytest.raises(CommandError, match="暂无“北京”的税费规则。已有规则的城市：上海、武汉。"):
        run("rules", "list", "--city", "北京")


def test_check_accepts_a_good_file(overlay, tmp_path):
    # given
    good = tmp_path / "vat-2026-07.toml"
    good.write_text(vat_rule("vat.2026-07", "2026-07-01", rate="0.01"), encoding="utf-8")
    # when
    output = run("rules", "check", str(good))
    # then
    assert "vat-2026-07.toml：1 条规则，检查通过" in output
    assert "vat.2026-07\t2026-07-01 起" in output


def test_check_refuses_a_broken_file_naming_each_problem(overlay, tmp_path):
    # given
    bad = tmp_path / "bad.toml"
    bad.write_text(vat_rule("vat.x", "2026-03-01", end="2026-01-01", rate="1.5"), encoding="utf-8")
    # when
    with pytest.raises(CommandError) as error:
        run("rules", "check", str(bad))
    # then
    message = str(error.value)
    assert "规则文件 bad.toml，规则 vat.x：失效日期 2026-01-01 早于生效日期 2026-03-01。" in message
    assert "规则文件 bad.toml，规则 vat.x：参数 rate=1.5 超出 0～1 的范围" in message
