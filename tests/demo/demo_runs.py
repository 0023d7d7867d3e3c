"""Running ``anju demo`` from a test, on a fixed day."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command

FROZEN_NOW = dt.datetime(2025, 6, 15, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()
