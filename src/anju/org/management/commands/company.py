"""``anju company create NAME --admin USERNAME``: a new agency and its first administrator."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from anju.core.errors import ApplicationError
from anju.org.services import company_create


class Command(BaseCommand):
    help = "创建一家经纪公司及其第一位管理员。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="创建公司")
        create.add_argument("name", help="公司名称")
        create.add_argument("--city", default="", help="所在城市，例如 武汉")
        create.add_argument("--admin", required=True, help="管理员用户名")
        create.add_argument("--admin-name", default="管理员", help="管理员姓名")

    def handle(self, *args: Any, **options: Any) -> None:
        # The password comes from the environment (scripts) or an interactive prompt, never argv.
        password = os.environ.get("ANJU_ADMIN_PASSWORD") or getpass.getpass("管理员密码：")
        if len(password) < 8:
            raise CommandError("密码至少需要 8 个字符。")
        try:
            agent = company_create(
                name=options["name"],
                city=options["city"],
                admin_username=options["admin"],
                admin_password=password,
                admin_name=options["admin_name"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已创建公司“{agent.company.name}”，管理员 {agent.user.get_username()} 可以登录了。"
        )
