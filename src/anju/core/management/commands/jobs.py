"""``anju jobs list`` and ``anju jobs run NAME``: run a background job by hand, here and now.

Every job is idempotent (decision 0003), so running one by hand beside the worker's schedule is
safe; the job's report (what it did) is printed as JSON.
"""

from __future__ import annotations

import json
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from huey.contrib.djhuey import HUEY


def _jobs() -> dict[str, Any]:
    """Every task in the apps' ``tasks`` modules, by its function's name."""
    for config in apps.get_app_configs():
        if config.name.startswith("anju.") and find_spec(f"{config.name}.tasks") is not None:
            import_module(f"{config.name}.tasks")
    found = {}
    for task_class in HUEY._registry._registry.values():
        found[task_class.__name__] = task_class
    return dict(sorted(found.items()))


class Command(BaseCommand):
    help = "列出或立即运行后台任务（任务可重复运行，不会重复处理）。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="列出全部任务")
        run = sub.add_parser("run", help="立即运行一个任务")
        run.add_argument("name", help="任务名，例如 nightly_care_tiers")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = _jobs()
        if options["action"] == "list":
            for name, task_class in jobs.items():
                periodic = " (定时)" if getattr(task_class, "validate_datetime", None) else ""
                self.stdout.write(f"{name}{periodic}")
            return
        name = options["name"]
        if name not in jobs:
            raise CommandError(f"没有名为 {name} 的任务。可用任务：{', '.join(jobs)}")
        result = jobs[name]().execute()
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
