"""The quick-add path must not import Textual: checked in a fresh interpreter, as harlequin does."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import sys
from lastmile_tui.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:  # --help prints and exits through argparse
    code = exc.code
heavy = sorted(m for m in ("textual", "rich", "sqlalchemy", "sqlmodel", "icalendar") if m in sys.modules)
slow = sorted(m for m in ("dataclasses", "inspect", "ast", "dis", "tokenize", "typing") if m in sys.modules)
import json
print(json.dumps({"code": code, "heavy": heavy, "slow": slow}))
"""


def run_probe(tmp_path, *args: str) -> dict:
    """The exit code, the heavy libraries loaded (``heavy``), and the standard-library modules a
    shell command cannot afford either (``slow``: ``dataclasses`` and what its ``inspect`` pulls;
    ``typing``, 2 ms to import: the names it gives are for type checkers only, behind
    ``TYPE_CHECKING = False``)."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(tmp_path / "h.db"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_quick_add_never_imports_textual(tmp_path):
    result = run_probe(tmp_path, "add", "Send invoice", "--final", "email it", "--due", "fri")
    assert result == {"code": 0, "heavy": [], "slow": []}  # the store writes on plain sqlite3


def test_list_and_done_never_import_textual(tmp_path):
    run_probe(tmp_path, "add", "x", "--final", "y")
    assert run_probe(tmp_path, "done", "1", "--confirm")["heavy"] == []


def test_reading_the_board_imports_neither_textual_nor_sqlalchemy(tmp_path):
    """list, count, stats, status and the completion scripts' id lookup read through store.reader on
    plain sqlite3: 50 ms of imports, not 400."""
    run_probe(tmp_path, "add", "x", "--final", "y")  # reading commands never create a database
    for command in (["list"], ["list", "--all", "--json"], ["count"], ["stats"], ["stats", "--json"],
                    ["status"], ["status", "--json"], ["_complete-ids"], ["_complete-ids", "--", "1"]):
        assert run_probe(tmp_path, *command) == {"code": 0, "heavy": [], "slow": []}, command


FAST_PATH = (
    ["add", "x", "--final", "y", "--due", "fri", "--step", "s", "+tag"],
    ["check", "1", "1"],
    ["step", "1", "call Ana"],
    ["edit", "1", "--due", "mon"],
    ["undo"],
    ["show", "1"],
    ["list"],
    ["count"],
    ["done", "1", "--confirm"],
    ["drop", "2"],
    ["--help"],
    ["add", "--help"],
    ["done", "--help"],
    ["list", "--help"],
)
"""Issue 11's shell commands, in an order in which each one succeeds on the database before it."""


def test_no_fast_path_command_imports_textual_rich_sqlalchemy_or_sqlmodel(tmp_path):
    """Nor ``dataclasses``: it imports ``inspect`` (``ast``, ``dis``, ``tokenize``), 6 ms of a 70 ms
    command; the domain's values are made by ``domain.values`` instead."""
    run_probe(tmp_path, "add", "first", "--final", "y", "--step", "a")
    run_probe(tmp_path, "add", "second", "--final", "z")
    for command in FAST_PATH:
        assert run_probe(tmp_path, *command) == {"code": 0, "heavy": [], "slow": []}, command


def test_no_command_without_a_terminal_never_loads_the_app(tmp_path):
    """Plain `lastmile` piped or redirected prints the list: no Textual, no SQLAlchemy."""
    run_probe(tmp_path, "add", "x", "--final", "y")
    assert run_probe(tmp_path) == {"code": 0, "heavy": [], "slow": []}


def test_importing_the_package_is_light():
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys, lastmile_tui, lastmile_tui.cli;"
         "print(sorted(m for m in ('textual','sqlmodel','sqlalchemy') if m in sys.modules))"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.stdout.strip() == "[]", proc.stderr


CLI_TOP_LEVEL = """
import json, sys
before = set(sys.modules)
import lastmile_tui.cli
parser = lastmile_tui.cli.build_parser()
from lastmile_tui.cli import habits
for words in (["add", "x", "due:fri"], ["list", "--json"], ["3", "done"], ["export", "--format", "json"]):
    parser.parse_known_args(habits.taskwarrior_order(words, parser))
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_the_cli_package_and_its_parser_import_only_the_standard_library():
    """`lastmile_tui.cli` and every command module it registers import nothing but the standard
    library until a command runs: the parser (help, completion scripts) costs no store, no
    Textual, no dateutil."""
    proc = subprocess.run([sys.executable, "-c", CLI_TOP_LEVEL], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout)
    ours = [m for m in loaded if m.split(".")[0] == "lastmile_tui"]
    assert "lastmile_tui.cli.tasks" in ours  # the command modules are really there
    assert [m for m in ours if m != "lastmile_tui" and not m.startswith("lastmile_tui.cli")] == []
    others = [m for m in loaded if m.split(".")[0] not in {"lastmile_tui", *sys.stdlib_module_names}]
    assert others == []
    for heavy in ("textual", "rich", "sqlalchemy", "sqlmodel", "dateutil", "platformdirs"):
        assert heavy not in {m.split(".")[0] for m in loaded}, heavy


def test_each_run_imports_only_its_own_commands_module():
    """``cli.COMMAND_GROUPS`` says which module declares which command names (and aliases), so a
    run imports only its command's module: the table must say what each ``register`` declares."""
    import importlib

    from lastmile_tui.cli import COMMAND_GROUPS, _Parser
    from lastmile_tui.cli.common import Commands

    for group, names in COMMAND_GROUPS.items():
        parser = _Parser(prog="lastmile")
        parser.register("action", "parsers", Commands)
        subparsers = parser.add_subparsers(dest="command", parser_class=_Parser, wanted=frozenset())
        importlib.import_module(f"lastmile_tui.cli.{group}").register(subparsers)
        assert tuple(subparsers.choices) == names, group
    probe = """
import sys
from lastmile_tui.cli import main
main(sys.argv[1:])
print(sorted(m for m in sys.modules if m.startswith("lastmile_tui.cli.")))
"""
    proc = subprocess.run([sys.executable, "-c", probe, "count", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert "count" in proc.stdout
    proc = subprocess.run([sys.executable, "-c", probe, "--db", "/nonexistent/x.db", "ls"],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == str(
        ["lastmile_tui.cli.batch", "lastmile_tui.cli.common", "lastmile_tui.cli.errors",
         "lastmile_tui.cli.habits", "lastmile_tui.cli.ids", "lastmile_tui.cli.output",
         "lastmile_tui.cli.views"])
