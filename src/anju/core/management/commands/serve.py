"""``anju serve``: gunicorn serving Anju, optionally with a job worker beside it (``make run`` does)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# How long gunicorn may take to start listening before ``serve`` gives up on it.
STARTUP_SECONDS = 30


class Command(BaseCommand):
    help = "启动网站（gunicorn）；--with-worker 同时启动后台任务进程。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数")
        parser.add_argument("--with-worker", action="store_true", help="同时运行后台任务进程")
        parser.add_argument(
            "--skip-collectstatic",
            action="store_true",
            help="不收集静态文件（部署时已收集过，或只用接口时）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = _parse_bind(options["bind"])
        _refuse_taken_port(host, port)
        if not options["skip_collectstatic"]:  # compressing every asset takes the better part of a minute
            call_command("collectstatic", interactive=False, verbosity=0)
        _forget_dead_processes_metrics()
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
            # gunicorn's default (4094 bytes) refuses a long search with its own text/html page;
            # 8190 is its largest bounded value, the size common proxies allow (decision 0002).
            "--limit-request-line",
            "8190",
        ]
        web = subprocess.Popen(gunicorn)  # noqa: S603
        children.append(web)
        if not _listening(host, port, web):
            for child in children:
                if child.poll() is None:
                    child.terminate()
            raise CommandError(f"网站没有启动（gunicorn 退出码 {web.poll()}）：请查看上面的错误信息。")
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


def _forget_dead_processes_metrics() -> None:
    """The metrics files of processes that ran before this start (anju.core.metrics): counters
    start again from zero, as Prometheus expects of a restarted service."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        for stale in Path(folder).glob("*.db"):
            stale.unlink(missing_ok=True)


def _parse_bind(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"监听地址“{bind}”不正确：应为 主机:端口，例如 127.0.0.1:8000。")
    return host.strip("[]"), int(port)


def _refuse_taken_port(host: str, port: int) -> None:
    """Fail before starting anything when another program holds the port (gunicorn would retry for
    a while, then exit, after this command had already said the site was up)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"端口 {port} 已被占用（{exc.strerror}）：请先停止占用它的程序，"
                f"或换一个端口，例如 make run PORT={port + 1} 或 anju serve --bind {host}:{port + 1}。"
            ) from exc


def _listening(host: str, port: int, web: subprocess.Popen[bytes]) -> bool:
    """Wait until gunicorn accepts connections; False if it exits first or never does."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if web.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False
