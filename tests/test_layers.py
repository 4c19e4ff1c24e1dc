"""The layer rule, read from the source: dependencies point one way
(cli, ui -> sync -> store -> formats -> domain).

Every module under ``lastmile_tui`` is parsed with ``ast`` (nothing is
imported), so a wrong-way import fails here even on a path no other test runs.
Imports under ``if TYPE_CHECKING:`` are left out: they never run. "Module
level" means everything that runs when the module is imported (class bodies,
``try`` and ``if`` blocks included); only function bodies are deferred.
``tests/test_import_hygiene.py`` checks the same promise at run time.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "lastmile_tui"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE
STDLIB = frozenset(sys.stdlib_module_names)

FORMATS_THIRD_PARTY: frozenset[str] = frozenset({"icalendar"})
"""Libraries a format may read and write with besides the standard library (``icalendar`` for
formats/ical.py). A database is never one of them."""


@dataclass(frozen=True)
class Import:
    """One imported module, where it is imported and whether that runs at import time."""

    module: str  # the importing module, e.g. lastmile_tui.store.db
    line: int
    target: str  # absolute, e.g. lastmile_tui.domain.task or sqlalchemy.orm
    top_level: bool  # runs when the importing module is imported (not inside a function)
    type_only: bool = False  # under `if TYPE_CHECKING:`: never runs

    def __str__(self) -> str:
        where = "module level" if self.top_level else "inside a function"
        return f"{self.module} line {self.line} imports {self.target} ({where})"

    @property
    def runs(self) -> bool:
        return not self.type_only


# -- reading the source -------------------------------------------------------------------


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(
    nodes: Iterable[ast.AST], module: str, is_package: bool, known: frozenset[str],
    top_level: bool, type_only: bool = False,
) -> Iterator[Import]:
    for child in nodes:
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            yield from _imports(child.body, module, is_package, known, top_level, type_only=True)
            yield from _imports(child.orelse, module, is_package, known, top_level, type_only)
        elif isinstance(child, ast.Import):
            for alias in child.names:
                yield Import(module, child.lineno, alias.name, top_level, type_only)
        elif isinstance(child, ast.ImportFrom):
            base = _resolve(child, module, is_package)
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod
            targets = (f"{base}.{alias.name}" for alias in child.names)
            for target in dict.fromkeys(t if t in known else base for t in targets):
                yield Import(module, child.lineno, target, top_level, type_only)
        else:
            deferred = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            yield from _imports(ast.iter_child_nodes(child), module, is_package, known,
                                top_level and not deferred, type_only)


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts[: len(parts) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def read_package(sources: dict[str, tuple[str, bool]]) -> list[Import]:
    """Every import in *sources* ({module name: (source text, is a package's __init__)})."""
    known = frozenset(sources)
    found: list[Import] = []
    for name, (text, is_package) in sorted(sources.items()):
        found += _imports(ast.parse(text, filename=name).body, name, is_package, known, top_level=True)
    return found


def package_sources(root: Path = ROOT) -> dict[str, tuple[str, bool]]:
    return {module_name(path, root): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
            for path in sorted(root.rglob("*.py"))}


# -- the rules ----------------------------------------------------------------------------


def within(target: str, *prefixes: str) -> bool:
    """Whether *target* is one of *prefixes* or a module inside one."""
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def _top(target: str) -> str:
    return target.split(".")[0]


def _of(prefix: str) -> list[str]:
    return [f"{PACKAGE}.{name}" for name in prefix.split()]


HEAVY = ("textual", "rich", "sqlalchemy", "sqlmodel")
OUTSIDE_THE_DOMAIN = (*_of("store formats ui cli sync"), *HEAVY, "sqlite3")


def layer_violations(imports: Iterable[Import]) -> list[str]:
    """The rules on single imports (any level): which layer may not import which."""
    found = []
    for imp in filter(Import.runs.fget, imports):
        src, dst = imp.module, imp.target
        if within(src, f"{PACKAGE}.domain") and within(dst, *OUTSIDE_THE_DOMAIN):
            found.append(f"the domain is pure: {imp}")
        if within(src, f"{PACKAGE}.formats"):
            if _top(dst) == PACKAGE and not within(dst, f"{PACKAGE}.domain", f"{PACKAGE}.formats"):
                found.append(f"formats import only the domain (and each other): {imp}")
            elif _top(dst) != PACKAGE and (
                _top(dst) == "sqlite3" or (_top(dst) not in STDLIB and _top(dst) not in FORMATS_THIRD_PARTY)
            ):
                found.append(f"formats need no database and no library outside the standard one: {imp}")
        if within(src, f"{PACKAGE}.ui") and within(dst, "sqlite3", "sqlalchemy", "sqlmodel"):
            found.append(f"the ui reads and writes through the store only: {imp}")
        if within(src, f"{PACKAGE}.store") and within(dst, *_of("ui cli"), "textual"):
            found.append(f"the store knows nothing of its callers: {imp}")
        if within(src, *_of("store formats")) and within(dst, f"{PACKAGE}.sync"):
            found.append(f"sync sits above the store and the formats: {imp}")
        if within(src, f"{PACKAGE}.sync") and within(dst, "sqlite3", *HEAVY):
            found.append(f"sync writes through the store's door, and shows nothing: {imp}")
        if within(dst, *_of("ui cli")) and not within(src, *_of("ui cli __main__")):
            found.append(f"nothing imports the ui or the cli: {imp}")
    return found


def cli_top_level_violations(imports: Iterable[Import]) -> list[str]:
    """What importing ``lastmile_tui.cli`` runs (followed through the package, whether cli is one
    module or a package) imports the standard library only, and of lastmile only its version."""
    by_module: dict[str, list[Import]] = {}
    for imp in imports:
        if imp.top_level and imp.runs:
            by_module.setdefault(imp.module, []).append(imp)
    cli = f"{PACKAGE}.cli"
    found, seen, todo = [], {cli}, [cli]
    while todo:
        for imp in by_module.get(todo.pop(), []):
            dst = imp.target
            if _top(dst) != PACKAGE:
                if _top(dst) not in STDLIB:
                    found.append(f"the cli's top level imports the standard library only: {imp}")
            elif dst == PACKAGE or within(dst, cli):
                if dst not in seen:
                    seen.add(dst)
                    todo.append(dst)
            else:
                found.append(f"the cli's top level imports nothing of lastmile but its version: {imp}")
    return found


def import_cycles(
    imports: Iterable[Import], *, deferred: bool = False, type_only: bool = False
) -> list[list[str]]:
    """Cycles among the imports inside the package: module-level runtime ones, plus those inside
    functions when *deferred*, plus those under TYPE_CHECKING when *type_only*. One sorted list of
    modules per strongly connected group (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        counted = (imp.top_level or deferred) and (imp.runs or type_only)
        if counted and _top(imp.target) == PACKAGE and imp.target != imp.module:
            graph.setdefault(imp.module, set()).add(imp.target)
            graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


# -- the package as it is -------------------------------------------------------------------

IMPORTS = read_package(package_sources())

def test_the_package_is_read_whole():
    """A guard on the reader itself: it sees the layers and their imports."""
    modules = {imp.module for imp in IMPORTS}
    for expected in _of("cli domain.task store.reader ui.app"):
        assert expected in modules, expected
    assert any(imp.target == f"{PACKAGE}.domain.task" and within(imp.module, f"{PACKAGE}.store")
               for imp in IMPORTS)


def test_dependencies_point_one_way():
    assert layer_violations(IMPORTS) == []


def test_the_cli_top_level_imports_only_the_standard_library():
    assert cli_top_level_violations(IMPORTS) == []


def test_no_import_cycle_at_module_level():
    assert import_cycles(IMPORTS) == []


def test_no_import_cycle_even_through_deferred_imports():
    assert import_cycles(IMPORTS, deferred=True) == []


def _layer(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_a_cycle_through_type_checking_imports_only_inside_the_domain():
    """The domain's errors name the Task they report on, for the type checker alone; anywhere
    else (the ui's screens and its app, say) such a cycle is a dependency pointing the wrong way."""
    cycles = import_cycles(IMPORTS, deferred=True, type_only=True)
    assert [c for c in cycles if {_layer(m) for m in c} != {f"{PACKAGE}.domain"}] == []


# -- the checker can fail: each rule on a made-up package ----------------------------------


def _made_up(modules: dict[str, str]) -> list[Import]:
    """Sources keyed by path inside the package without ``.py``, as in ``cli/__init__``."""
    sources = {}
    for key, text in modules.items():
        name = module_name(ROOT / f"{key}.py")
        sources[name] = (text, key.endswith("__init__"))
    return read_package(sources)


def test_each_rule_names_the_module_the_line_and_the_import():
    imports = _made_up({
        "domain/task": "import math\nfrom lastmile_tui.store import db\n",
        "domain/dates": "def later():\n    import sqlite3\n",
        "formats/record": "from lastmile_tui.domain import task\nfrom lastmile_tui.store.rows import x\n"
                        "import sqlite3\nimport yaml\nimport json\n",
        "ui/app": "from textual.app import App\nif TYPE_CHECKING:\n    import sqlite3\nimport sqlmodel\n",
        "store/db": "from lastmile_tui.ui.app import LastMile\n",
        "config": "from lastmile_tui.cli import main\n",
        "__main__": "from lastmile_tui.cli import main\n",
        "store/rows": "",
        "sync/caldav_sync": "import sqlite3\nfrom lastmile_tui.store.store import Store\n",
        "store/sync_state": "from lastmile_tui.sync import caldav_sync\n",
    })
    assert layer_violations(imports) == [  # the modules in name order
        "nothing imports the ui or the cli: lastmile_tui.config line 1 imports lastmile_tui.cli"
        " (module level)",
        "the domain is pure: lastmile_tui.domain.dates line 2 imports sqlite3 (inside a function)",
        "the domain is pure: lastmile_tui.domain.task line 2 imports lastmile_tui.store.db (module level)",
        "formats import only the domain (and each other): lastmile_tui.formats.record line 2 imports"
        " lastmile_tui.store.rows (module level)",
        "formats need no database and no library outside the standard one: lastmile_tui.formats.record"
        " line 3 imports sqlite3 (module level)",
        "formats need no database and no library outside the standard one: lastmile_tui.formats.record"
        " line 4 imports yaml (module level)",
        "the store knows nothing of its callers: lastmile_tui.store.db line 1 imports lastmile_tui.ui.app"
        " (module level)",
        "nothing imports the ui or the cli: lastmile_tui.store.db line 1 imports lastmile_tui.ui.app"
        " (module level)",
        "sync sits above the store and the formats: lastmile_tui.store.sync_state line 1 imports"
        " lastmile_tui.sync.caldav_sync (module level)",
        "sync writes through the store's door, and shows nothing: lastmile_tui.sync.caldav_sync line 1"
        " imports sqlite3 (module level)",
        "the ui reads and writes through the store only: lastmile_tui.ui.app line 4 imports sqlmodel"
        " (module level)",
    ]


def test_type_checking_imports_and_deferred_ones_are_told_apart():
    imports = _made_up({"cli": "from typing import TYPE_CHECKING\nimport typing\nif TYPE_CHECKING:\n"
                           "    from lastmile_tui.store.ops import Store\nelse:\n    import json\n"
                           "if typing.TYPE_CHECKING:\n    import sqlmodel\n"
                           "class Parser:\n    import argparse\n"
                           "def run():\n    from lastmile_tui.ui.app import make_app\n"})
    assert [(i.line, i.target, i.top_level, i.type_only) for i in imports] == [
        (1, "typing", True, False), (2, "typing", True, False),
        (4, "lastmile_tui.store.ops", True, True), (6, "json", True, False),
        (8, "sqlmodel", True, True), (10, "argparse", True, False),
        (12, "lastmile_tui.ui.app", False, False),
    ]


@pytest.mark.parametrize("layout", ["module", "package"])
def test_the_cli_rule_holds_for_a_module_and_for_a_package(layout):
    if layout == "module":
        imports = _made_up({"cli": "import argparse\nfrom lastmile_tui import __version__\nimport rich\n"
                               "def main():\n    import textual\n"})
        assert cli_top_level_violations(imports) == [
            "the cli's top level imports the standard library only: lastmile_tui.cli line 3 imports rich"
            " (module level)",
        ]
    else:
        imports = _made_up({
            "cli/__init__": "from . import tasks\nfrom lastmile_tui import __version__\n",
            "cli/tasks": "import argparse\nfrom .. import store\nfrom lastmile_tui.store.ops import Store\n"
                       "def handle():\n    from lastmile_tui.store.ops import Store\n",
            "store/__init__": "", "store/ops": "",
        })
        assert cli_top_level_violations(imports) == [
            "the cli's top level imports nothing of lastmile but its version: lastmile_tui.cli.tasks line 2"
            " imports lastmile_tui.store (module level)",
            "the cli's top level imports nothing of lastmile but its version: lastmile_tui.cli.tasks line 3"
            " imports lastmile_tui.store.ops (module level)",
        ]


def test_cycles_are_found_through_module_level_imports():
    imports = _made_up({
        "store/db": "from lastmile_tui.store import backup\n",
        "store/backup": "import lastmile_tui.store.db\n",
        "ui/app": "def later():\n    from lastmile_tui.ui.screens import board\n",
        "ui/screens/board": "from lastmile_tui.ui.app import App\n",
        "a": "from lastmile_tui import b\n", "b": "from lastmile_tui import c\n", "c": "from . import a\n",
    })
    assert import_cycles(imports) == [
        ["lastmile_tui.a", "lastmile_tui.b", "lastmile_tui.c"],
        ["lastmile_tui.store.backup", "lastmile_tui.store.db"],
    ]


def test_deferred_and_type_only_imports_close_cycles_only_when_asked():
    imports = _made_up({
        "ui/app": "def later():\n    from lastmile_tui.ui.screens import board\n",
        "ui/screens/board": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                            "    from lastmile_tui.ui.app import App\n",
        "store/db": "def backup():\n    from lastmile_tui.store.backup import copy\n",
        "store/backup": "from lastmile_tui.store.db import connect\n",
    })
    assert import_cycles(imports) == []
    assert import_cycles(imports, deferred=True) == [["lastmile_tui.store.backup", "lastmile_tui.store.db"]]
    assert import_cycles(imports, deferred=True, type_only=True) == [
        ["lastmile_tui.store.backup", "lastmile_tui.store.db"],
        ["lastmile_tui.ui.app", "lastmile_tui.ui.screens.board"],
    ]
