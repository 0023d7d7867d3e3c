"""Pages hold no queries (decision 0013): every read goes through the owning app's selectors.

The scan reads the source of ``anju.web`` and fails on ``Model.objects`` and on calling a
queryset-building method on anything: a model manager, a related manager, or a queryset a selector
returned. Methods whose names Python's own types share (``dict.values``, ``list.count``,
``dict.get``, ``dict.update``) count only in the shape the ORM uses (``values("field")``,
``count()``, ``get(pk=…)``, ``update(field=…)``), so a form's ``widget.attrs.update({...})`` is no
query. Nothing is allowed by exception: a read that a page needs becomes a selector.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import anju.web

WEB = Path(anju.web.__file__).parent

# Names no Python type shares with QuerySet and Manager: always a query.
QUERY_METHODS = frozenset(
    {
        "aggregate",
        "alias",
        "annotate",
        "bulk_create",
        "bulk_update",
        "defer",
        "difference",
        "distinct",
        "earliest",
        "exclude",
        "extra",
        "filter",
        "get_or_create",
        "in_bulk",
        "intersection",
        "iterator",
        "latest",
        "only",
        "order_by",
        "prefetch_related",
        "raw",
        "select_for_update",
        "select_related",
        "union",
        "update_or_create",
        "using",
        "values_list",
    }
)
# Names a storage or a list shares, with arguments: a query only when called with none.
QUERY_METHODS_WITHOUT_ARGUMENTS = frozenset({"count", "exists", "first", "last", "none"})


@dataclass(frozen=True)
class Query:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _is_query_call(call: ast.Call) -> str | None:
    if not isinstance(call.func, ast.Attribute):
        return None
    name = call.func.attr
    positional, keywords = bool(call.args), bool(call.keywords)
    if name in QUERY_METHODS:
        return f".{name}()"
    if name in QUERY_METHODS_WITHOUT_ARGUMENTS and not positional and not keywords:
        return f".{name}()"
    if name == "values" and positional:  # dict.values() takes nothing
        return ".values(...)"
    if name in {"get", "update", "create", "delete"} and keywords and not positional:
        return f".{name}(field=...)"  # dict.get(key) and dict.update(mapping) are positional
    if name == "delete" and not positional and not keywords:
        return ".delete()"
    return None


def _template_libraries(tree: ast.Module) -> set[str]:
    """Names bound to ``template.Library()``: their ``.filter(name, function)`` registers a filter."""
    return {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) in {"template.Library", "Library"}
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def queries_in(source: str, path: str) -> list[Query]:
    tree = ast.parse(source)
    libraries = _template_libraries(tree)
    found: list[Query] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(Query(path, node.lineno, f"{ast.unparse(node)} (a model manager)"))
        elif isinstance(node, ast.Call) and (what := _is_query_call(node)):
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            if isinstance(receiver, ast.Name) and receiver.id in libraries:
                continue
            found.append(Query(path, node.lineno, f"{ast.unparse(node.func)}: {what}"))
    return sorted(found, key=lambda q: (q.line, q.what))


def test_no_page_module_builds_a_query():
    # given every Python module of the pages
    modules = sorted(WEB.rglob("*.py"))
    assert len(modules) > 10, "the scan must see the page modules"
    # when
    found = [q for path in modules for q in queries_in(path.read_text(), str(path.relative_to(WEB.parent)))]
    # then
    assert found == [], "queries belong in the owning app's selectors:\n" + "\n".join(map(str, found))


def test_the_scan_finds_a_query_planted_in_a_page_module(tmp_path):
    # given a view module with the shapes the rule forbids, and the shapes it must leave alone
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from anju.geo.models import District\n"
        "from anju.geo.selectors import communities_visible\n"
        "def view(request, agent, form):\n"
        "    districts = District.objects.order_by('code')\n"
        "    mine = communities_visible(agent).filter(name='万科城市花园')\n"
        "    total = communities_visible(agent).count()\n"
        "    names = agent.company.stores.values('name')\n"
        "    form.fields['x'].widget.attrs.update({'class': 'form-control'})\n"
        "    picked = request.GET.get('q', '')\n"
        "    return [*form.cleaned_data.values(), ['a'].count('a'), picked, districts, mine, total, names]\n"
    )
    # when
    found = queries_in(planted.read_text(), planted.name)
    # then every query is named with its line, and nothing else is
    assert [(q.line, q.what.rsplit(": ", 1)[-1]) for q in found] == [
        (4, "District.objects (a model manager)"),
        (4, ".order_by()"),
        (5, ".filter()"),
        (6, ".count()"),
        (7, ".values(...)"),
    ]
