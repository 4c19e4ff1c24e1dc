"""Mapping between table rows and domain objects: the stored form of every task column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache

from lastmile_tui.domain.dates import format_due, load_due
from lastmile_tui.domain.ranking import order_columns
from lastmile_tui.domain.recurrence import Recurrence
from lastmile_tui.domain.task import Priority, Step, Task, TaskSummary
from lastmile_tui.formats.record import STATUSES, iso_text, load_day
from lastmile_tui.store.schema import TASK_COLUMNS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def join_tags(tags: tuple[str, ...]) -> str:
    return " ".join(tags)


def split_tags(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def stored_moment(moment: datetime | None) -> str | None:
    """A moment as the task table stores it (SQLite DATETIME text, always with microseconds):
    the form the board's queries compare with, and ``due_key`` shares."""
    return None if moment is None else moment.isoformat(" ", "microseconds")


def load_moment(value: datetime | str | None) -> datetime | None:
    """A moment from its stored text (a datetime passes through)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value) if value else None
    return value


def _due_text(due: Any) -> str | None:
    return format_due(due) if due is not None else None


_cached_due = lru_cache(maxsize=8192)(load_due)  # due dates repeat across thousands of rows

# How each kind of column (schema.Kind) is read into the domain, and stored from it.
# Kinds stored as the domain holds them ("text", "count") need no call at all (``_AS_IS``).
_LOAD: dict[str, Callable[[Any], Any]] = {
    "tags": split_tags, "due": _cached_due, "status": STATUSES.__getitem__,
    "priority": {p.value: p for p in Priority}.get, "repeat": Recurrence.from_text,
    "moment": load_moment, "day": load_day,
}
_WRITE: dict[str, Callable[[Any], Any]] = {
    "tags": join_tags, "due": _due_text, "status": lambda status: status.value,
    "priority": lambda priority: priority and priority.value,
    "repeat": lambda repeat: repeat and repeat.text, "moment": stored_moment, "day": iso_text,
}
_FIELDS = [c for c in TASK_COLUMNS if c.kind != "rank"]
_RANKED = [c.name for c in TASK_COLUMNS if c.kind == "rank"]
_AS_IS = ("text", "count")  # stored as the domain holds them: no call at all


def _compiled(name: str, signature: str, result: str, env: dict[str, Any], first: str = "pass"
              ) -> Callable[..., Any]:
    """A function written out from the column list, as ``dataclasses`` writes ``__init__``: the
    board and an import convert 100,000 rows, and a loop over the list per row costs twice as
    much as straight-line code (measured: 105 ms against 58 ms for 20,000 summaries)."""
    namespace = dict(env)
    exec(f"def {name}({signature}):\n    {first}\n    return {result}", namespace)  # ours, from the list
    return namespace[name]  # type: ignore[no-any-return]


def _call(kind: str, value: str) -> str:
    return value if kind in _AS_IS else f"_{kind}({value})"


_SUMMARY = [c for c in _FIELDS if c.summary]
SUMMARY_COLUMNS = ", ".join(["id", *(c.name for c in _SUMMARY)])
"""The columns ``summary_from_tuple`` reads, in its order."""

_LOADS = {f"_{kind}": load for kind, load in _LOAD.items()}
_summary_at = {"id": "row[0]"} | {c.name: _call(c.kind, f"row[{i}]") for i, c in enumerate(_SUMMARY, 1)}
summary_from_tuple: Callable[[Sequence[Any]], TaskSummary] = _compiled(
    "summary_from_tuple", "row",
    "TaskSummary(" + ", ".join(_summary_at[name] for name in TaskSummary.FIELDS) + ")",
    _LOADS | {"TaskSummary": TaskSummary},
)
"""A summary from a plain DB-API row of ``SUMMARY_COLUMNS``."""

_task_from_row = _compiled(
    "_task_from_row", "row, steps",
    "Task(id=row.id, steps=steps, " + ", ".join(
        f"{c.name}={_call(c.kind, f'row.{c.name}')}" for c in _FIELDS if c.kind != "count"
    ) + ")",
    _LOADS | {"Task": Task},
)
_stored_row = _compiled(
    "_stored_row", "task_id, task",
    "{'id': task_id, " + ", ".join([*(f"{c.name!r}: {_call(c.kind, f'task.{c.name}')}" for c in _FIELDS),
                     *(f"{name!r}: ranked[{i}]" for i, name in enumerate(_RANKED))]) + "}",
    {f"_{kind}": write for kind, write in _WRITE.items()} | {"order_columns": order_columns},
    first="ranked = order_columns(task)",
)


def to_task(row: Any, steps: Sequence[Any]) -> Task:
    """A task from its row and step rows (anything with the columns as attributes)."""
    ordered = sorted(steps, key=lambda s: s.position)
    return _task_from_row(row, tuple(Step(s.text, load_moment(s.done_at)) for s in ordered))  # type: ignore[no-any-return]


def stored_row(task_id: int, task: Task) -> dict[str, Any]:
    """Every column of *task*'s row in its stored form (moments as text), its ranking included."""
    return _stored_row(task_id, task)  # type: ignore[no-any-return]


def step_values(task_id: int, task: Task) -> list[dict[str, Any]]:
    """The step-table rows for *task*, in order, in their stored form."""
    return [
        {"task_id": task_id, "position": i, "text": s.text, "done_at": stored_moment(s.done_at)}
        for i, s in enumerate(task.steps)
    ]
