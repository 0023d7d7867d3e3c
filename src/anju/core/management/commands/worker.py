"""``anju worker``: the background job consumer (Huey). Run one per machine, as many machines as needed.

Before it takes jobs it sends again the pending jobs that are due (decision 0025): those whose send
failed while the queue was down, and those a worker that died was running.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from anju.core.jobs import pending_jobs_resend

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "运行后台任务进程（Huey 消费者）。"
    # No system checks: they import every page and API route (seconds at each start, so longer to
    # take up the jobs of a worker that died), and a worker serves none; ``anju serve`` checks them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", "-w", type=int, default=None, help="并发工作线程数")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pending_jobs_resend()
        except Exception:  # the database is not there yet: the minute's sweep does it later
            log.warning("pending jobs could not be sent at startup", exc_info=True)
        extra = ["--workers", str(options["workers"])] if options["workers"] else []
        call_command("run_huey", *extra)
