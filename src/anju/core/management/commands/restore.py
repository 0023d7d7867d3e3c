"""``anju restore FILE``: load a backup into an empty database and data directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from anju.core.backup import backup_restore
from anju.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "从 anju backup 的备份文件恢复到空的数据库和数据目录；"
        "备份损坏（校验值不符）、来自更新的版本或目标不是空的时拒绝，不写入任何数据。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="anju backup 写的备份文件")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        connections.close_all()
        try:
            manifest = backup_restore(
                path=Path(options["file"]),
                database=dict(settings.DATABASES["default"]),
                data_dir=Path(settings.DATA_DIR),
                progress=not options["no_progress"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        checked = len(manifest["files"])
        summary = f"已恢复 {options['file']}（备份于 {manifest['created_at']}，{checked} 个成员均已校验）。"
        self.stdout.write(self.style.SUCCESS(summary + "请运行 anju migrate，然后启动安居。"))
