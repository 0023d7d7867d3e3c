"""``anju serve``: gunicorn serving Anju, optionally with a job worker beside it (``make run`` does)."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网站（gunicorn）；--with-worker 同时启动后台任务进程。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数")
        parser.add_argument("--with-worker", action="store_true", help="同时运行后台任务进程")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        children: list[subprocess.Popen[bytes]] = []
        if options["with_worker"]:
            children.append(subprocess.Popen([sys.executable, "-m", "anju", "worker"]))
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "anju.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ]
        web = subprocess.Popen(gunicorn)  # noqa: S603
        children.append(web)
        self.stdout.write(self.style.SUCCESS(f"安居已启动：http://{options['bind']}/  （按 Ctrl+C 停止）"))
        if settings.DEBUG:
            self.stdout.write("DEBUG 已开启：请勿用于生产环境。")

        def stop(*_: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                child.wait(timeout=10)
