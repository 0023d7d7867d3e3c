"""``anju worker``: the background job consumer (Huey). Run one per machine, as many machines as needed."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行后台任务进程（Huey 消费者）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", "-w", type=int, default=None, help="并发工作线程数")

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--workers", str(options["workers"])] if options["workers"] else []
        call_command("run_huey", *extra)
