"""``anju jobs list``, ``anju jobs run NAME`` and ``anju jobs flush-pending``.

A job run by hand does what the worker would do at its time (every job is idempotent, decision
0003), in this process, and prints what it reports. ``flush-pending`` sends the pending jobs that
are due to the queue now (decision 0025): after the queue was down, without waiting for a worker's
minute sweep.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from anju.core.jobs import pending_jobs_resend


def _jobs() -> dict[str, type]:
    """Every registered job by its short name (the function's) and by its full name."""
    autodiscover_modules("tasks")  # as the worker does: each app's tasks.py registers its jobs
    found: dict[str, type] = {}
    for full, task_class in HUEY._registry._registry.items():
        found[full] = task_class
        found.setdefault(full.rsplit(".", 1)[-1], task_class)
    return found


class Command(BaseCommand):
    help = "列出后台任务，或立即手动运行一个：anju jobs run send_messages"

    def add_arguments(self, parser: Any) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("list", help="列出所有后台任务")
        run = commands.add_parser("run", help="立即运行一个后台任务")
        run.add_argument("name", help="任务名，例如 send_messages")
        commands.add_parser("flush-pending", help="立即把待发送的任务（队列曾无法连接等）发往队列")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = _jobs()
        if options["command"] == "flush-pending":
            sent = 0
            while True:  # a batch at a time, until none is due or the queue stops answering
                report = pending_jobs_resend()
                sent += report["sent"]
                if report["unreachable"] or not report["sent"] or not report["waiting"]:
                    break
            self.stdout.write(json.dumps({**report, "sent": sent}))
            if report["unreachable"]:
                raise CommandError(f"任务队列无法连接：{report['waiting']} 个任务仍在等待发送，请稍后再试。")
            return
        if options["command"] == "list":
            for full in sorted(HUEY._registry._registry):
                periodic = hasattr(jobs[full], "validate_datetime")
                self.stdout.write(f"{full.rsplit('.', 1)[-1]:<28} {full}{'  (定时)' if periodic else ''}")
            return
        task_class = jobs.get(options["name"])
        if task_class is None:
            raise CommandError(f"没有名为 {options['name']} 的后台任务；anju jobs list 列出全部。")
        result = task_class().execute()
        # What the job reports (a dict of counts for most), as JSON a script can read.
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
