"""``bench/stack.py``: the production stack starts in one call and stops cleanly, every process of
every group gone (what the load benchmark and anyone testing the stack by hand rely on)."""

from __future__ import annotations

import importlib.util
import json
import socket
import sys
import urllib.request
from pathlib import Path

import pytest

STACK_FILE = Path(__file__).resolve().parents[2] / "bench" / "stack.py"


@pytest.fixture(scope="module")
def stack_module():
    spec = importlib.util.spec_from_file_location("anju_bench_stack", STACK_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_stack_starts_answers_and_stops_with_every_process_group(stack_module, tmp_path):
    # given a SQLite stack: one web server with one gunicorn worker, two job workers, no demo
    config = stack_module.StackConfig(
        data_dir=tmp_path,
        database_url=None,
        redis_url=None,
        bind=f"127.0.0.1:{_free_port()}",
        web_workers=1,
        job_workers=2,
        demo=False,
    )
    # when it is started
    stack = stack_module.Stack.start(config, say=lambda _text: None)
    try:
        groups = {p.name: stack_module.group_pids(p.pgid) for p in stack.processes}
        # then it answers ready, each part in a process group of its own, the web's with its children
        with urllib.request.urlopen(config.url + "/readyz", timeout=10) as ready:  # noqa: S310 (http only)
            assert ready.status == 200
        assert sorted(groups) == ["web", "worker-1", "worker-2"]
        assert len({p.pgid for p in stack.processes}) == 3
        assert len(groups["web"]) >= 3  # anju serve, gunicorn's arbiter, its worker
        assert all(groups.values())
        # and the pids are on file for `bench/stack.py stop`
        state = json.loads((tmp_path / "stack.json").read_text(encoding="utf-8"))
        assert [p["pid"] for p in state["processes"]] == [p.pid for p in stack.processes]
        # and its memory is the sum over every process of its groups
        memory = stack.memory()
        assert memory["stack"]["processes"] == sum(len(pids) for pids in groups.values())
        assert memory["stack"]["pss_mib"] > 0
        assert memory["stack"]["rss_mib"] >= memory["stack"]["pss_mib"]
    finally:
        # when it is stopped the way the command line does, from its file
        stopped = stack_module.Stack.load(tmp_path).stop()
        stack._reap()
    # then every process of every group is gone, and the file with them (SIGKILL only for a part
    # that outlived the timeout, which a starved machine can make happen: not asserted)
    assert all(not stack_module.group_pids(p.pgid) for p in stack.processes)
    assert set(stopped["killed_groups"]) <= {"web", "worker-1", "worker-2"}
    assert not (tmp_path / "stack.json").exists()
