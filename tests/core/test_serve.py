"""``anju serve`` (what ``make run`` starts): it says the site is up only when it is."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_taken_port_is_refused_with_a_clear_message():
    # given another program listening on the port
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        # when Anju is asked to serve there
        with pytest.raises(CommandError) as refused:
            call_command("serve", "--bind", f"127.0.0.1:{port}")
    # then it says so, and how to pick another port
    assert f"端口 {port} 已被占用" in str(refused.value)
    assert f"make run PORT={port + 1}" in str(refused.value)


def test_a_malformed_bind_is_refused():
    with pytest.raises(CommandError, match="监听地址“8000”不正确"):
        call_command("serve", "--bind", "8000")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``anju serve`` started as make run starts it (without the worker), on a free port and a data
    directory of its own; yields the first line it printed and the address."""
    port = _free_port()
    env = {**os.environ, "ANJU_DATA_DIR": str(tmp_path_factory.mktemp("served"))}
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "anju", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        yield server.stdout.readline(), f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_free_port_serves_the_sign_in_page(served):
    first_line, address = served
    # then it announces the address only once it answers there
    assert f"安居已启动：{address}/" in first_line
    with urllib.request.urlopen(f"{address}/login/", timeout=10) as page:  # noqa: S310 (http only)
        assert page.status == 200
        assert "登录安居" in page.read().decode()


def test_a_long_request_line_is_answered_by_anju_in_json(served):
    # given a request line of about 6 KB (a long search; gunicorn's default refuses past 4 KB with
    # its own text/html page, outside the API's conventions)
    _, address = served
    url = f"{address}/api/v1/listings?q={'x' * 6000}"
    # when it is sent without credentials
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(url, timeout=10)  # noqa: S310 (http only)
    # then Anju itself answers, in JSON, as it answers every API request
    assert answer.value.code == 401
    assert answer.value.headers["Content-Type"].startswith("application/json")


ROOT = Path(__file__).resolve().parents[2]


def _make_run_serves(*arguments: str) -> list[str]:
    """The ``anju serve`` line ``make run`` would run, printed by a dry run (``make -n``): nothing is
    started. PORT and an outer make's flags are taken out of the environment so only ``arguments``
    decide."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in {"PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    dry_run = subprocess.run(  # noqa: S603
        ["make", "-n", "run", *arguments],  # noqa: S607 (make from PATH, as a user runs it)
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in dry_run.stdout.splitlines() if "anju serve" in line]


def test_make_run_serves_on_the_port_given_and_on_8000_by_default():
    # when
    on_8001 = _make_run_serves("PORT=8001")
    by_default = _make_run_serves()
    # then
    assert len(on_8001) == 1 and on_8001[0].endswith("--bind 127.0.0.1:8001"), on_8001
    assert len(by_default) == 1 and by_default[0].endswith("--bind 127.0.0.1:8000"), by_default
