"""The command line as a person uses it: every shell command as a whole process, against the imports
it cannot avoid (issue 11's targets), ``lastmile list`` against itself at a smaller size, and
``lastmile stats`` and ``lastmile status`` (a prompt's line, as fast as count) against ``lastmile
count`` on the same database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks._lastmile import open_tasks
from benchmarks.data import Suite
from benchmarks.timing import Command, Row, alternate, child_environment, lastmile_command, measured

IMPORT_FLOOR = "import sqlite3, dateutil.parser, platformdirs"

FLOOR_OF = f"python -c {IMPORT_FLOOR!r}"

QUICK_ADD = ["add", "x", "--final", "y", "--due", "fri", "--step", "s", "+tag"]

WRITES = ("check ID N", "step ID TEXT", "done ID --confirm", "drop ID", "edit ID --due fri", "undo")
"""The commands that change a task (≤ 1.5× the floor), each on a fresh task every run; ``undo``
undoes the ``edit`` just before it."""

READS = ("show ID", "count", "list (against the floor)")
"""The commands that read (≤ 1.3× the floor)."""

HELPS = ("lastmile --help", "lastmile add --help", "lastmile done --help")
"""Help (≤ 1.2× the floor)."""

FIGURES = ("quick-add", "quick-add imports textual", *WRITES, *READS, *HELPS, "list",
           "list -n 0 (every open task)", "stats",
           "status")


def quick_add(suite: Suite) -> list[Row]:
    """``lastmile add`` as a person types it, against the bare imports it cannot avoid, at every size."""
    rows = []
    for size in suite.sizes:
        db = suite.copy(size, f"quick-add-{size}.db")
        args = ["--db", str(db), *QUICK_ADD]
        add, floor = alternate([lastmile_command() + args, [sys.executable, "-c", IMPORT_FLOOR]], suite.runs)
        rows.append(measured("quick-add", size, add, floor, FLOOR_OF, max_ratio=1.5))
    args = ["--db", str(suite.scratch / f"quick-add-{suite.mid}.db"), *QUICK_ADD]
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "lastmile_tui", *args],
                          env=child_environment(), capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode:
        raise RuntimeError(f"lastmile add failed: {proc.stderr[-2000:]}")
    modules = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:")}
    textual = sorted(m for m in modules if m.split(".")[0] == "textual")
    answer = f"yes ({len(textual)} modules)" if textual else "no"
    rows.append(Row("quick-add imports textual", suite.mid, answer, "", target="no",
                    verdict="MISS" if textual else "PASS"))
    return rows


def fresh_tasks(db: Path, rounds: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Open tasks to act on, one per round and command, spread over the database: *rounds* with an
    unchecked step (its number) for ``check``, then the others."""
    candidates = open_tasks(db)
    unchecked = [(task, number) for task, number in candidates if number is not None]
    if len(unchecked) < rounds:
        raise RuntimeError(f"{db}: {len(unchecked)} open tasks with an unchecked step, not {rounds}")
    checks = unchecked[:: len(unchecked) // rounds][:rounds]
    taken = {task for task, _ in checks}
    others = [task for task, _ in candidates if task not in taken]
    return checks, others


def commands(suite: Suite) -> list[Row]:
    """Every other shell command as a whole process, against the imports it cannot avoid, at every size."""
    rounds = suite.runs + 1
    rows = []
    for size in suite.sizes:
        db = suite.copy(size, f"commands-{size}.db")  # the writes change a private copy
        checks, others = fresh_tasks(db, rounds)
        if len(others) < 4 * rounds:
            raise RuntimeError(f"{db}: {len(others)} open tasks, not {4 * rounds}")
        spread = others[:: len(others) // (4 * rounds)]
        step, done, drop, edit = (spread[i * rounds:(i + 1) * rounds] for i in range(4))
        writes = lastmile_command() + ["--db", str(db)]
        reads = lastmile_command() + ["--db", str(suite.db(size))]
        shown = checks[0][0]
        programs: list[Command] = [
            _each(writes, "check", [[str(task), str(number)] for task, number in checks]),
            _each(writes, "step", [[str(task)] for task in step], "call Ana first"),
            _each(writes, "done", [[str(task)] for task in done], "--confirm"),
            _each(writes, "drop", [[str(task)] for task in drop]),
            _each(writes, "edit", [[str(task)] for task in edit], "--due", "fri"),
            [*writes, "undo"],
            [*reads, "show", str(shown)],
            [*reads, "count"],
            [*reads, "list"],
            [*reads, "--help"],
            [*reads, "add", "--help"],
            [*reads, "done", "--help"],
            [sys.executable, "-c", IMPORT_FLOOR],
        ]
        *times, floor = alternate(programs, suite.runs)
        targets = [1.5] * len(WRITES) + [1.3] * len(READS) + [1.2] * len(HELPS)
        for figure, samples, target in zip((*WRITES, *READS, *HELPS), times, targets, strict=True):
            rows.append(measured(figure, size, samples, floor, FLOOR_OF, max_ratio=target))
    return rows


def _each(program: list[str], command: str, per_round: list[list[str]], *rest: str,
          ) -> Callable[[int], list[str]]:
    """*command* with the arguments of the round (a fresh task each time), then *rest*."""
    return lambda round_: [*program, command, *per_round[round_], *rest]


def list_command(suite: Suite) -> list[Row]:
    """``lastmile list``: the larger list against the smaller (and the first against the imports)."""
    sizes = suite.sizes[1:] if len(suite.sizes) > 2 else suite.sizes
    commands = [lastmile_command() + ["--db", str(suite.db(size)), "list"] for size in sizes]
    *lists, floor = alternate([*commands, [sys.executable, "-c", IMPORT_FLOOR]], suite.runs)
    rows = [measured("list", sizes[0], lists[0], floor, FLOOR_OF)]
    for index in range(1, len(sizes)):
        size, before = sizes[index], sizes[index - 1]
        rows.append(measured("list", size, lists[index], lists[index - 1], f"list at {before:,}",
                             max_ratio=1.5 if size == suite.big else None))
    everything = lastmile_command() + ["--db", str(suite.db(suite.big)), "list", "-n", "0"]
    (every,) = alternate([everything], max(1, min(suite.runs, 3)))
    rows.append(measured("list -n 0 (every open task)", suite.big, every, lists[-1],
                         f"list at {suite.big:,}"))
    return rows


def stats_command(suite: Suite) -> list[Row]:
    """``lastmile stats`` (12 weeks) against ``lastmile count`` on the same database: the history
    read through its indexes; within 1 s at the largest size."""
    rows = []
    for size in suite.sizes[1:]:
        db = ["--db", str(suite.db(size))]
        stats, count, status = alternate(
            [lastmile_command() + [*db, command] for command in ("stats", "count", "status")], suite.runs)
        rows.append(measured("stats", size, stats, count, f"lastmile count at {size:,}",
                             max_value=1000 if size == suite.big else None))
        rows.append(measured("status", size, status, count, f"lastmile count at {size:,}", max_ratio=1.2))
    return rows
