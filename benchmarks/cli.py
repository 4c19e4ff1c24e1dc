"""The command line as a person uses it: ``lastmile add``, ``lastmile list`` and ``lastmile stats``
as whole processes, against the imports they cannot avoid (quick-add), the same at a smaller size
(list) and ``lastmile count`` on the same database (stats, and status: a prompt's line as fast as count)."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.data import Suite
from benchmarks.timing import Row, alternate, child_environment, lastmile_command, measured

IMPORT_FLOOR = "import sqlite3, dateutil.parser, platformdirs"

FIGURES = ("quick-add", "quick-add imports textual", "list", "list -n 0 (every open task)", "stats",
           "status")


def quick_add(suite: Suite) -> list[Row]:
    """``lastmile add`` as a person types it, against the bare imports it cannot avoid."""
    db = suite.copy(suite.mid, "quick-add.db")
    args = ["--db", str(db), "add", "x", "--final", "y", "--due", "fri"]
    add, floor = alternate([lastmile_command() + args, [sys.executable, "-c", IMPORT_FLOOR]], suite.runs)
    rows = [measured("quick-add", suite.mid, add, floor, f"python -c {IMPORT_FLOOR!r}", max_ratio=1.5)]
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


def list_command(suite: Suite) -> list[Row]:
    """``lastmile list``: the larger list against the smaller (and the first against the imports)."""
    sizes = suite.sizes[1:] if len(suite.sizes) > 2 else suite.sizes
    commands = [lastmile_command() + ["--db", str(suite.db(size)), "list"] for size in sizes]
    *lists, floor = alternate([*commands, [sys.executable, "-c", IMPORT_FLOOR]], suite.runs)
    rows = [measured("list", sizes[0], lists[0], floor, f"python -c {IMPORT_FLOOR!r}")]
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
