"""Taskwarrior 2.6 side by side (``--peers``): the same tasks imported into a private TASKRC and
TASKDATA, then ``add``, ``done``, ``list``/``next`` and ``count`` timed alternately with lastmile's."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import uuid
from datetime import UTC, date, datetime
from datetime import time as clock_time
from typing import Any

from benchmarks._lastmile import read_export
from benchmarks.cli import QUICK_ADD, fresh_tasks
from benchmarks.data import Suite
from benchmarks.timing import Command, alternate, child_environment, lastmile_command, show


def _tw_time(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _tw_due(text: str) -> str:
    moment = datetime.fromisoformat(text) if " " in text else datetime.combine(
        date.fromisoformat(text), clock_time(23, 59, 59))
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _uuid(task_id: int) -> str:
    """The Taskwarrior uuid a lastmile task is imported under."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lastmile:{task_id}"))


def taskwarrior_record(record: dict[str, Any]) -> dict[str, Any]:
    """One exported lastmile task as a Taskwarrior 2.6 import record."""
    status = {"open": "pending", "done": "completed", "dropped": "deleted"}[record["status"]]
    out: dict[str, Any] = {
        "uuid": _uuid(record["id"]),
        "description": record["title"],
        "status": status,
        "entry": _tw_time(record["created_at"]),
        "modified": _tw_time(record["updated_at"]),
    }
    if record["tags"]:
        out["tags"] = record["tags"]
    if record["due"]:
        out["due"] = _tw_due(record["due"])
    if status != "pending":
        out["end"] = _tw_time(record["done_at"] or record["updated_at"])
    return out


def peers(suite: Suite) -> dict[str, Any]:
    """Taskwarrior 2.6 beside lastmile at every size, from the same tasks, in a private TASKRC/TASKDATA."""
    task = shutil.which("task")
    if task is None:
        return {"skipped": "Taskwarrior (`task`) is not on PATH (Debian package taskwarrior)"}
    rows = []
    for size in suite.sizes:
        home = suite.scratch / f"taskwarrior-{size}"
        shutil.rmtree(home, ignore_errors=True)
        (home / "data").mkdir(parents=True)
        rc = home / "taskrc"
        rc.write_text(f"data.location={home / 'data'}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")
        seed = home / "seed.json"
        document = read_export(suite.export(size))
        seed.write_text(json.dumps([taskwarrior_record(r) for r in document["tasks"]]), encoding="utf-8")
        env = child_environment({"TASKRC": str(rc), "TASKDATA": str(home / "data")})
        subprocess.run([task, "import", str(seed)], env=env, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        db = suite.copy(size, f"peers-{size}.db")
        ours = lastmile_command() + ["--db", str(db)]
        # the same fresh open task completed by both, one per round: lastmile's id and Taskwarrior's
        # working-set number for it (`task N done` does not renumber; `add` and `next` may: they come after)
        _, others = fresh_tasks(db, suite.runs + 1)
        finished = others[:: max(1, len(others) // (suite.runs + 1))][: suite.runs + 1]
        numbers = subprocess.run([task, "_get", *(f"{_uuid(t)}.id" for t in finished)], env=env, check=True,
                                 capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout.split()
        pairs: list[tuple[str, Command, Command]] = [
            ("done", lambda round_, ids=finished, ours=ours: [*ours, "done", str(ids[round_]), "--confirm"],
             lambda round_, ids=numbers: [task, ids[round_], "done"]),
            ("add", ours + QUICK_ADD, [task, "add", "x", "due:fri", "+tag"]),
            ("list / next", ours + ["list"], [task, "next"]),
            ("count", ours + ["count"], [task, "count"]),
        ]
        for name, mine, theirs in pairs:
            times = alternate([mine, theirs], suite.runs, env)
            theirs_ms = statistics.median(times[-1]) * 1000
            mine_ms = statistics.median(times[0]) * 1000
            rows.append({"figure": name, "size": size, "lastmile_ms": mine_ms, "taskwarrior_ms": theirs_ms,
                         "ratio": mine_ms / theirs_ms if mine_ms else None})
    return {"taskwarrior": task, "rows": rows}


def peers_table(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"peers: skipped: {result['skipped']}"
    lines = ["| peer figure | size | lastmile | Taskwarrior 2.6 | lastmile ÷ Taskwarrior |",
             "|---|--:|--:|--:|--:|"]
    for row in result["rows"]:
        mine = "no such command" if row["lastmile_ms"] is None else show(row["lastmile_ms"], "ms")
        ratio = "—" if row["ratio"] is None else f"{row['ratio']:.2f}×"
        theirs = show(row["taskwarrior_ms"], "ms")
        lines.append(f"| {row['figure']} | {row['size']:,} | {mine} | {theirs} | {ratio} |")
    return "\n".join(lines)
