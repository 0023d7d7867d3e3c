"""``anju demo [--seed N] [--listings N] [--clients N] [--needs N] [--companies N] [--if-empty] [--reset]``: the demo agency.

``make run`` calls it with ``--if-empty`` on every start; the data is only ever created once.
"""

from __future__ import annotations

import argparse
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from anju.core.errors import ApplicationError
from anju.core.health import unapplied_migrations
from anju.demo.generate import (
    DEFAULT_CLIENTS,
    DEFAULT_LISTINGS,
    DEFAULT_SEED,
    DemoLogin,
    DemoResult,
    demo_database_has_data,
    demo_generate,
    demo_logins,
    demo_logins_exist,
)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 0:
        raise argparse.ArgumentTypeError("不能为负数")
    return value


class Command(BaseCommand):
    help = "生成演示数据：武汉一家经纪公司（门店、员工、小区、房源、客户、需求与跟进）；同一种子、同一天生成的数据完全相同。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子，默认 {DEFAULT_SEED}")
        parser.add_argument("--listings", type=_count, default=DEFAULT_LISTINGS, help="房源数")
        parser.add_argument("--clients", type=_count, default=DEFAULT_CLIENTS, help="客户数")
        parser.add_argument(
            "--needs",
            type=_count,
            default=None,
            help="购房、租房需求数，默认为客户数的三分之二；最多为客户数的两倍",
        )
        parser.add_argument(
            "--companies",
            type=_count,
            default=1,
            help="生成几家公司（同一数据库、同样规模、各自的数据与账号前缀），默认 1",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="已有公司数据时什么也不做（make run 使用）"
        )
        parser.add_argument("--reset", action="store_true", help="先删除演示公司及其全部数据，再重新生成")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and options["reset"]:
            raise CommandError("--if-empty 与 --reset 不能同时使用。")
        if missing := unapplied_migrations():
            raise CommandError(f"数据库还有 {len(missing)} 个迁移未执行，请先运行 anju migrate。")
        if options["if_empty"] and demo_database_has_data():
            self.stdout.write("数据库中已有公司数据，跳过演示数据生成。")
            if demo_logins_exist():
                self._print_logins(demo_logins())
            return
        try:
            result = demo_generate(
                seed=options["seed"],
                listings=options["listings"],
                clients=options["clients"],
                needs=options["needs"],
                companies=options["companies"],
                reset=options["reset"],
                progress=not options["no_progress"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self._print_summary(result)
        self._print_logins(result.logins)

    def _print_summary(self, result: DemoResult) -> None:
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成，用时 {result.seconds:.1f} 秒："))
        self.stdout.write("  " + "，".join(f"{label} {count:,}" for label, count in result.counts.items()))
        self.stdout.write(
            "  各阶段用时："
            + "，".join(f"{label} {seconds:.1f} 秒" for label, seconds in result.phase_seconds.items())
        )

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        self.stdout.write("")
        self.stdout.write("演示账号（所有账号密码相同）：")
        rows = [("用户名", "姓名", "角色", "门店", "密码")]
        rows += [(x.username, x.name, x.role, x.store, x.password) for x in logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  " + "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True))
            )


def _width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
