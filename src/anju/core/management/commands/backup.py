"""``anju backup FILE``: the database, the uploaded files and a manifest with checksums, in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anju.core.backup import backup_create
from anju.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "备份数据库、上传的文件和清单（含 SHA-256 校验值与数据库迁移版本）到一个 tar 文件；网站可照常运行。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="备份文件，例如 anju-2026-12-06.tar")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            result = backup_create(
                path=path, data_dir=Path(settings.DATA_DIR), progress=not options["no_progress"]
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {path}：数据库（{result.engine}，{result.migrations} 个迁移）和 "
                f"{result.members - 1} 个文件，共 {result.bytes:,} 字节。"
            )
        )
