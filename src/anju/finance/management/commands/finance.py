"""``anju finance rules list [--city 武汉] [--as-of 2026-01-02] [--all]`` and ``anju finance rules check FILE``.

The tax, fee and rate rules are files (``docs/decisions/0007-finance-rules.md``). ``list`` shows
the versions in force on a day (for a city: exactly what its calculations use); ``check`` reads a
file an administrator wrote, on its own and as it would sit among the rules in use, and names
every problem before it is copied into the ``finance-rules`` folder of the data directory.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anju.core.errors import ApplicationError
from anju.core.formats import format_date
from anju.finance.rules import (
    OVERLAY_DIRNAME,
    Rule,
    RuleBook,
    RuleFileError,
    check_file,
    item_label,
    rule_book,
)


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期应写成 2026-01-02：{value}") from exc


def _line(rule: Rule) -> str:
    ends = f"至 {rule.ends.isoformat()}" if rule.ends else "起"
    badge = (
        ""
        if rule.verified and not rule.unverified
        else ("  [未核实]" if not rule.verified else "  [部分参数未核实]")
    )
    return (
        f"{rule.scope_label}\t{item_label(rule.item)}\t{rule.id}\t{rule.effective_from.isoformat()} {ends}\t"
        f"{rule.name}；出处：{rule.source}（{rule.file}）{badge}"
    )


class Command(BaseCommand):
    help = "税费与利率规则：查看生效的规则版本，检查管理员编写的规则文件。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="topic", required=True)
        rules = sub.add_parser("rules", help="税费与利率规则")
        actions = rules.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="列出某日生效的规则版本")
        listing.add_argument("--city", help="城市，如 武汉：列出该城市计算时实际使用的规则")
        listing.add_argument("--as-of", dest="as_of", help="日期，默认今天，如 2026-01-02")
        listing.add_argument("--all", action="store_true", help="列出所有版本，不限日期")
        check = actions.add_parser("check", help=f"检查一个规则文件（放入数据目录 {OVERLAY_DIRNAME}/ 之前）")
        check.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self._check(options["file"])
        else:
            self._list(options.get("city"), options.get("as_of"), options.get("all", False))

    def _check(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        try:
            book = check_file(path)
        except RuleFileError as exc:
            raise CommandError("规则文件有问题，未被接受：\n" + "\n".join(exc.problems)) from exc
        mine = [r for r in book.rules if r.file == path.name]
        self.stdout.write(
            f"{path.name}：{len(mine)} 条规则，检查通过，可以放入数据目录的 {OVERLAY_DIRNAME}/ 中。"
        )
        for rule in mine:
            self.stdout.write(_line(rule))

    def _list(self, city: str | None, as_of: str | None, everything: bool) -> None:
        try:
            book = rule_book()
            chosen = self._chosen(book, city, _day(as_of) if as_of else timezone.localdate(), everything)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for rule in chosen:
            self.stdout.write(_line(rule))
        self.stdout.write(f"已有规则的城市：{'、'.join(book.cities())}")

    def _chosen(self, book: RuleBook, city: str | None, day: dt.date, everything: bool) -> list[Rule]:
        name = book.city(city) if city else None
        if everything:
            return book.versions(city=name)
        if name is not None:
            self.stdout.write(f"{format_date(day)} {name} 的计算使用以下规则：")
            return book.all_in_force(city=name, on=day)
        self.stdout.write(f"{format_date(day)} 生效的规则（全国及各城市）：")
        return [r for r in book.versions() if r.in_force_on(day)]
