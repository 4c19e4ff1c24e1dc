"""The ui's imports run one way (app → screens → flows → host): no cycle, not even for the type checker.

The graph is read from the source with ``ast``: every ``import`` counts, at the
top of a module, inside a function (a lazy import still ties two modules) or
under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import lastmile_tui

PACKAGE = Path(lastmile_tui.__file__).parent


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of the package → the package's modules it imports, anywhere in its source."""
    paths = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*up, base] if base else up)
                for alias in node.names:  # `from pkg import module` names a module
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in paths else base)
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_finder_sees_a_cycle_through_a_lazy_or_type_checking_import(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "screens").mkdir(parents=True)
    for name in ("__init__.py", "screens/__init__.py", "host.py"):
        (pkg / name).write_text("")
    (pkg / "app.py").write_text("def run():\n    from pkg.screens import board\n")
    (pkg / "screens" / "board.py").write_text(
        "from typing import TYPE_CHECKING\nfrom .. import host\n"
        "if TYPE_CHECKING:\n    from ..app import run\n")
    graph = import_graph(pkg)
    assert graph["pkg.screens.board"] == {"pkg.host", "pkg.app"}
    assert cycles(graph) == [["pkg.app", "pkg.screens.board"]]


def test_no_ui_module_is_in_an_import_cycle():
    graph = import_graph()
    assert "lastmile_tui.ui.screens.board" in graph["lastmile_tui.ui.app"]  # the graph is read at all
    in_ui = [group for group in cycles(graph) if any(m.startswith("lastmile_tui.ui") for m in group)]
    assert in_ui == []
