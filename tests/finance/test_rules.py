"""Rule files: versions by date, city over nation, overlays from the data directory, and files refused with reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from textwrap import dedent

import pytest

from anju.finance.rules import NATIONAL, RuleFileError, UnknownCity, check_file, parse_text, rule_book

VAT_2026 = """
[[rules]]
id = "{id}"
name = "增值税"
item = "vat"
effective_from = {start}
{end}
source = "测试文件"
verified = true
[rules.params]
rate = {rate}
exempt_after_years = 2
"""


def vat_rule(rule_id: str, start: str, *, end: str | None = None, rate: str = "0.03") -> str:
    return VAT_2026.format(id=rule_id, start=start, end=f"effective_to = {end}" if end else "", rate=rate)


def test_the_version_in_force_on_a_day_is_used(book):
    # when
    before = book.in_force("vat", city="武汉", on=dt.date(2025, 12, 31))
    after = book.in_force("vat", city="武汉", on=dt.date(2026, 1, 2))
    # then
    assert (before.id, before.rate("rate")) == ("vat.2024-12", Decimal("0.05"))
    assert (after.id, after.rate("rate")) == ("vat.2026-01", Decimal("0.03"))


def test_a_citys_version_wins_over_the_national_one(book):
    # when
    shanghai = book.in_force("down_payment", city="上海", on=dt.date(2026, 1, 2))
    wuhan = book.in_force("down_payment", city="武汉", on=dt.date(2026, 1, 2))
    # then
    assert shanghai.rate("commercial_second") == Decimal("0.25")
    assert wuhan.city == NATIONAL
    assert wuhan.rate("commercial_second") == Decimal("0.15")


def test_a_version_without_an_end_lasts_until_the_next_one_begins(book):
    # when
    earlier = book.in_force("lpr", city=NATIONAL, on=dt.date(2025, 5, 19))
    # then
    assert earlier.id == "lpr.2024-10-21"
    assert earlier.ends == dt.date(2025, 5, 19)
    assert book.in_force("lpr", city=NATIONAL, on=dt.date(2025, 5, 20)).id == "lpr.2025-05-20"


def test_a_rule_checked_only_up_to_a_day_is_unverified_after_it(book):
    # given
    lpr = book.in_force("lpr", city=NATIONAL, on=dt.date(2026, 8, 1))
    # then
    assert lpr.ref(dt.date(2026, 7, 31), {"five_year"}).verified
    assert not lpr.ref(dt.date(2026, 8, 1), {"five_year"}).verified


def test_an_unknown_city_is_refused_with_the_cities_that_have_rules(book):
    # when
    with pytest.raises(UnknownCity) as error:
        book.city("北京")
    # then
    assert error.value.message == "暂无“北京”的税费规则。已有规则的城市：上海、武汉。"
    assert error.value.extra == {"cities": ["上海", "武汉"]}
    assert book.city("武汉市") == "武汉"


def test_overlapping_versions_of_one_item_in_one_file_are_refused(overlay):
    # given: the second version starts before the first one's stated end
    (overlay / "broken.toml").write_text(
        vat_rule("vat.a", "2026-03-01", end="2026-12-31") + vat_rule("vat.b", "2026-06-01"), encoding="utf-8"
    )
    # when
    with pytest.raises(RuleFileError) as error:
        rule_book()
    # then: the error names the file, the rule and the problem
    assert error.value.problems == [
        "规则文件 finance-rules/broken.toml，规则 vat.b：与规则 vat.a（finance-rules/broken.toml）的生效期间重叠："
        "同一范围（全国）的增值税同一天只能有一个版本生效，请给前一版本设置更早的 effective_to。"
    ]


def test_a_rate_out_of_range_and_reversed_dates_are_refused_with_reasons():
    # when
    rules, problems = parse_text(vat_rule("vat.x", "2026-03-01", end="2026-01-01", rate="1.5"), "bad.toml")
    # then
    assert rules == []
    assert problems == [
        "规则文件 bad.toml，规则 vat.x：失效日期 2026-01-01 早于生效日期 2026-03-01。",
        "规则文件 bad.toml，规则 vat.x：参数 rate=1.5 超出 0～1 的范围（费率写小数，如 3% 写 0.03）。",
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('item = "vat"', 'item = "stamp_duty"'), "未知的项目 item='stamp_duty'"),
        (('source = "测试文件"', 'source = ""'), "缺少 source（出处）"),
        (("rate = 0.03", 'rate = "三个点"'), "参数 rate='三个点' 不是数字"),
        (("exempt_after_years = 2", "exempt_after_years = 2\nextra = 1"), "项目 vat 没有参数 extra"),
        (
            ("verified = true", 'verified = true\nunverified = ["rat"]'),
            "unverified 中的 rat 不是本项目的参数",
        ),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused_naming_it(change, problem):
    # given
    text = vat_rule("vat.x", "2026-03-01").replace(*change)
    # when
    _rules, problems = parse_text(text, "bad.toml")
    # then
    assert len(problems) == 1
    assert problems[0].startswith("规则文件 bad.toml，规则 vat.x：")
    assert problem in problems[0]


def test_a_file_that_is_not_toml_is_refused():
    _rules, problems = parse_text("[[rules]\nid = ", "bad.toml")
    assert problems[0].startswith("规则文件 bad.toml：不是有效的 TOML：")


def test_an_overlay_adds_a_city(overlay):
    # given
    (overlay / "chengdu.toml").write_text(
        dedent(
            """
            city = "成都"
            [[rules]]
            id = "chengdu.income_tax"
            name = "成都个税核定"
            item = "income_tax"
            effective_from = 2020-01-01
            source = "测试出处"
            verified = false
            [rules.params]
            gain_rate = 0.2
            assessed_rate = 0.015
            exempt_after_years = 5
            method_when_original_known = "assessed"
            base_excludes_vat = true
            """
        ),
        encoding="utf-8",
    )
    # when
    book = rule_book()
    # then
    assert book.cities() == ["上海", "成都", "武汉"]
    rule = book.in_force("income_tax", city="成都", on=dt.date(2026, 1, 2))
    assert (rule.id, rule.rate("assessed_rate"), rule.file) == (
        "chengdu.income_tax",
        Decimal("0.015"),
        "finance-rules/chengdu.toml",
    )


def test_an_overlay_adds_a_new_version_without_touching_the_packaged_files(overlay):
    # given: a new national VAT version from 2026-07-01
    (overlay / "vat-2026-07.toml").write_text(
        vat_rule("vat.2026-07", "2026-07-01", rate="0.01"), encoding="utf-8"
    )
    # when
    book = rule_book()
    # then: the packaged 2026 version now ends the day before
    assert book.in_force("vat", city="武汉", on=dt.date(2026, 6, 30)).id == "vat.2026-01"
    assert book.in_force("vat", city="武汉", on=dt.date(2026, 7, 1)).rate("rate") == Decimal("0.01")


def test_an_overlay_rule_with_a_packaged_id_replaces_it(overlay):
    # given
    (overlay / "vat.toml").write_text(vat_rule("vat.2026-01", "2026-01-01", rate="0.02"), encoding="utf-8")
    # when
    rule = rule_book().in_force("vat", city="武汉", on=dt.date(2026, 1, 2))
    # then
    assert (rule.rate("rate"), rule.file) == (Decimal("0.02"), "finance-rules/vat.toml")


def test_check_names_the_conflict_with_the_rules_in_use(overlay, tmp_path):
    # given: a file that would start a second national VAT version on the same day as a packaged one
    candidate = tmp_path / "candidate.toml"
    candidate.write_text(vat_rule("vat.mine", "2026-01-01"), encoding="utf-8")
    # when
    with pytest.raises(RuleFileError) as error:
        check_file(candidate)
    # then
    assert (
        "规则文件 candidate.toml，规则 vat.mine：与规则 vat.2026-01（national.toml）的生效期间重叠"
        in error.value.message
    )


def test_every_packaged_rule_cites_a_source_and_a_start(book):
    for rule in book.rules:
        assert rule.source
        assert rule.effective_from <= dt.date(2026, 1, 1)
