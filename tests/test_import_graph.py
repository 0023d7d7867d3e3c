"""The import graph: arrows point down (DESIGN.md rule 11, decisions 0010 and 0013).

Each app sits on a layer; a module may import its own app and the apps on layers below it, never
one above it nor a sibling on its own layer. Imports inside functions and under ``TYPE_CHECKING``
count as much as those at the top: a function-level import is still an arrow, only a hidden one.
Lower apps that need an upper one to react announce what changed (``anju.core.announcements``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import anju

SOURCE = Path(anju.__file__).parent

# Lowest first. Apps on one layer are siblings: neither may import the other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("org",),
    ("geo",),
    ("clients",),
    ("listings",),
    ("needs",),
    ("finance",),
    ("matching", "market"),
    ("messaging",),
    ("showings",),
    ("deals",),
    ("processing", "archive"),
    ("care",),
    ("outreach",),
    ("complaints",),
    ("referrals",),
    ("reports",),
    ("imports",),
    ("web",),
    ("demo",),
)
LAYER_OF = {app: height for height, apps in enumerate(LAYERS) for app in apps}
# The project's own entry points stand above every app.
ENTRY_POINTS = {"api", "urls", "cli", "settings", "wsgi", "__main__", "__init__"}


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "anju" or len(parts) < 2:
        return None
    return parts[1]


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every ``anju.*`` module the file imports, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name == "anju" or name.startswith("anju.")]


def _source_files() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)


def _arrows_that_climb() -> list[str]:
    climbing = []
    for path in _source_files():
        relative = path.relative_to(SOURCE)
        app = relative.parts[0] if len(relative.parts) > 1 else None
        if app is None:
            continue  # an entry point (api.py, urls.py, ...) may import any app
        for line, module in _imports(path):
            target = _app_of(module)
            if target is None or target == app or target in ENTRY_POINTS:
                continue
            if target not in LAYER_OF:
                continue  # a name imported from ``anju.<app>`` that is itself a module, checked once as that
            if LAYER_OF[target] >= LAYER_OF[app]:
                climbing.append(f"{relative}:{line} imports anju.{target} ({app} may not import it)")
    return sorted(set(climbing))


def test_every_app_has_a_layer():
    apps = {p.name for p in SOURCE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    # given the packages under src/anju; when each is looked up; then each has its place
    assert apps - set(LAYER_OF) == set(), "a new app must be given its layer in LAYERS"
    assert set(LAYER_OF) - apps == set(), "LAYERS names an app that does not exist"


def test_arrows_point_down():
    assert _arrows_that_climb() == []


@pytest.mark.parametrize(
    ("source", "line", "expected"),
    [
        ("core/errors.py", "from anju.listings.models import Listing", True),
        ("listings/services.py", "    from anju.matching.search import layout", True),
        ("clients/services.py", "from anju.core.errors import ApplicationError", False),
        ("matching/search/engine.py", "from anju.market import selectors", True),
        ("web/views/pages.py", "import anju.clients.selectors", False),
    ],
)
def test_the_check_sees_a_climbing_import(tmp_path, monkeypatch, source, line, expected):
    """The checker itself can fail: a climbing import planted in a copy of the tree is reported."""
    # given a tree with one planted import
    app, *rest = source.split("/")
    planted = tmp_path / app / Path(*rest)
    planted.parent.mkdir(parents=True)
    for folder in (tmp_path / app, planted.parent):
        (folder / "__init__.py").touch()
    planted.write_text(f"def f():\n{line if line.startswith(' ') else '    ' + line}\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["SOURCE"]), "SOURCE", tmp_path)
    # when the graph is checked
    climbing = _arrows_that_climb()
    # then the planted arrow is reported exactly when it climbs
    assert bool(climbing) is expected, climbing
