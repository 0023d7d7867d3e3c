"""``anju export clients|listings FILE.xlsx --as USERNAME``: what that employee may see, to Excel."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from anju.core.errors import ApplicationError
from anju.imports.exports import export_kind
from anju.imports.selectors import agent_by_username


class Command(BaseCommand):
    help = "导出客户或房源到 Excel（.xlsx）：只含该员工可见的记录，号码按其权限打码。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["clients", "listings"], help="clients 客户 / listings 房源")
        parser.add_argument("file", type=Path, help="要写入的 .xlsx 文件")
        parser.add_argument(
            "--as", dest="username", required=True, help="以哪位员工的身份导出（决定可见范围）"
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if path.suffix.lower() != ".xlsx":
            raise CommandError("导出文件名应以 .xlsx 结尾。")
        try:
            viewer = agent_by_username(options["username"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        with tqdm(
            desc="导出", unit="行", file=sys.stderr, disable=options["no_progress"], dynamic_ncols=True
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            count = export_kind(options["kind"])(viewer=viewer, out=path, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 行到 {path}。"))
