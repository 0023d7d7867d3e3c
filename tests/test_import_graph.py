"""Arrows point down: the apps matching stands on never import it or anything above it, not even
inside a function (decision 0010). They announce what changed instead."""

from __future__ import annotations

import ast
from pathlib import Path

import anju

SOURCE = Path(anju.__file__).parent
LOWER = ("core", "org", "geo", "clients", "listings")
UPPER = ("anju.matching", "anju.market", "anju.web", "anju.demo")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_lower_apps_import_nothing_above_them():
    # given: every module of the apps below matching (the demo command is moving out of core to the demo)
    modules = [p for app in LOWER for p in (SOURCE / app).rglob("*.py") if p.name != "demo.py"]
    assert len(modules) > 30
    # when
    upward = {
        f"{path.relative_to(SOURCE)} imports {name}"
        for path in modules
        for name in _imports(path)
        if name.startswith(UPPER)
    }
    # then
    assert upward == set()
