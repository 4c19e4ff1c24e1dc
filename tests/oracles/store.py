"""Reads and writes only tests need, built on the store's public door and its own connection."""

from __future__ import annotations

from lastmile_tui.domain import task as rules
from lastmile_tui.domain.changes import Change
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Task, TaskSummary, clean_tag
from lastmile_tui.store.reader import Reader
from lastmile_tui.store.rows import SUMMARY_COLUMNS, summary_from_tuple
from lastmile_tui.store.store import Store


def summaries(store: Reader, *, include_closed: bool = False, tag: str | None = None) -> list[TaskSummary]:
    """Every open task (or every task) as the board reads them, in id order; *tag* as ``+tag``."""
    where = "1" if include_closed else "status = 'open'"
    params: tuple[str, ...] = ()
    if tag:
        where += " AND lastmile_match(?, title, final_step, tags)"
        params = (f"+{clean_tag(tag)}",)
    with store._reading() as conn:  # the store's own connection: read-only files stay read-only
        rows = conn.execute(f"SELECT {SUMMARY_COLUMNS} FROM task WHERE {where} ORDER BY id", params)
        return [summary_from_tuple(row) for row in rows]


def confirm_final(store: Store, task_id: int) -> Task:
    """Confirm a task's final step without completing it (no command does this on its own)."""
    return store.apply([Change(task_id, rules.confirm_final, EventKind.FINAL_CONFIRMED,
                               lambda old, _new: old.final_step)])[0]


def claim(store: Store, task_id: int) -> Task:
    """Bring a completion claimed elsewhere to an open task, as a sync does: a phone marked it
    COMPLETED without lastmile's confirmation, and the import door updates the task (the status
    and the claim are the server's to say)."""
    from datetime import timedelta

    from lastmile_tui.domain.imports import Batch, arrived
    from lastmile_tui.domain.sync import claimed

    task = store.get(task_id)
    phone = task.with_changes(id=None, status=rules.Status.DONE, final_step_confirmed_at=None,
                              done_at=store.clock() - timedelta(hours=1))
    incoming = claimed(arrived(phone, f"VTODO {task.uid}", frozenset({"status"}), "CalDAV"), "CalDAV")
    report = store.import_tasks(Batch("CalDAV", [incoming]))
    return store.get(task_id) if not report.updated else report.updated[0]
