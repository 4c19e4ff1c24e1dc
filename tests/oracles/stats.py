"""When each task reached its last mile, by replaying every snapshot of its history.

Test-only code: the reference ``store.statistics.statistics`` (which reads only the
events that can put a task on its last mile, newest first, inside SQLite) is
held equal to. Nothing is skipped here: the state after each event is the
snapshot kept by the next one (or the task as it is now), and the answer is the
last moment the task went from off its last mile to on it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from lastmile_tui.domain.task import Status, Task
from lastmile_tui.formats.record import from_snapshot


def on_last_mile(task: Task | None) -> bool:
    return (task is not None and task.status is Status.OPEN and bool(task.final_step)
            and all(step.done for step in task.steps))


def replayed(conn: sqlite3.Connection, task_id: int, now_state: Task) -> datetime | None:
    """For an open task on its last mile: since when. For a done task: since when it had been on
    it when it was completed (None when it never was)."""
    events = conn.execute(
        "SELECT id, at, kind, before, undone_at FROM event WHERE task_id = ? ORDER BY id", (task_id,)
    ).fetchall()
    if now_state.status is Status.DONE:
        last = max(i for i, e in enumerate(events) if e[2] == "completed" and e[4] is None)
        now_state = from_snapshot(events[last][3])
        events = events[:last]
    since = None
    for index, (_id, at, _kind, before, _undone) in enumerate(events):
        previous = from_snapshot(before) if before is not None else None
        after = from_snapshot(events[index + 1][3]) if index + 1 < len(events) else now_state
        if on_last_mile(after) and not on_last_mile(previous):
            since = datetime.fromisoformat(at)
    return since if on_last_mile(now_state) else None
