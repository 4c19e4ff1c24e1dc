"""Mapping between SQLModel rows, domain objects and JSON snapshots (for history and undo)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from lastmile_tui.domain.dates import format_due, load_due
from lastmile_tui.domain.task import Status, Step, Task, TaskSummary
from lastmile_tui.store.tables import StepRow, TaskRow


def join_tags(tags: tuple[str, ...]) -> str:
    return " ".join(tags)


def split_tags(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def to_task(row: TaskRow, steps: list[StepRow]) -> Task:
    return Task(
        id=row.id,
        title=row.title,
        final_step=row.final_step,
        steps=tuple(Step(s.text, s.done_at) for s in sorted(steps, key=lambda s: s.position)),
        tags=split_tags(row.tags),
        notes=row.notes,
        due=load_due(row.due),
        status=Status(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        final_step_confirmed_at=row.final_step_confirmed_at,
        done_at=row.done_at,
        dropped_reason=row.dropped_reason,
        snoozed_until=_day(row.snoozed_until),
        reviewed_on=_day(row.reviewed_on),
    )


def row_values(task: Task) -> dict[str, Any]:
    """The task-table columns for *task* (everything but id)."""
    return {
        "title": task.title,
        "notes": task.notes,
        "final_step": task.final_step,
        "tags": join_tags(task.tags),
        "due": format_due(task.due) if task.due is not None else None,
        "status": task.status.value,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "final_step_confirmed_at": task.final_step_confirmed_at,
        "done_at": task.done_at,
        "dropped_reason": task.dropped_reason,
        "steps_total": task.steps_total,
        "steps_done": task.steps_done,
        "snoozed_until": _iso(task.snoozed_until),
        "reviewed_on": _iso(task.reviewed_on),
    }


def to_summary(row: Any) -> TaskSummary:
    """Build a summary from a Core row with the task table's columns."""
    return TaskSummary(
        id=row.id,
        title=row.title,
        final_step=row.final_step,
        tags=split_tags(row.tags),
        due=load_due(row.due),
        status=Status(row.status),
        steps_total=row.steps_total,
        steps_done=row.steps_done,
        created_at=row.created_at,
        updated_at=row.updated_at,
        final_step_confirmed_at=row.final_step_confirmed_at,
        done_at=row.done_at,
        dropped_reason=row.dropped_reason,
        snoozed_until=_day(row.snoozed_until),
        reviewed_on=_day(row.reviewed_on),
    )


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _from_dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def task_to_dict(task: Task) -> dict[str, Any]:
    """A JSON-ready record of everything about a task (history snapshots, --json, export)."""
    return {
        "id": task.id,
        "title": task.title,
        "final_step": task.final_step,
        "final_step_confirmed_at": _dt(task.final_step_confirmed_at),
        "steps": [{"text": s.text, "done_at": _dt(s.done_at)} for s in task.steps],
        "tags": list(task.tags),
        "notes": task.notes,
        "due": format_due(task.due) if task.due is not None else None,
        "status": task.status.value,
        "created_at": _dt(task.created_at),
        "updated_at": _dt(task.updated_at),
        "done_at": _dt(task.done_at),
        "dropped_reason": task.dropped_reason,
        "snoozed_until": _iso(task.snoozed_until),
        "reviewed_on": _iso(task.reviewed_on),
    }


def task_from_dict(data: dict[str, Any]) -> Task:
    return Task(
        id=data.get("id"),
        title=data["title"],
        final_step=data.get("final_step", ""),
        steps=tuple(Step(s["text"], _from_dt(s.get("done_at"))) for s in data.get("steps", [])),
        tags=tuple(data.get("tags", [])),
        notes=data.get("notes", ""),
        due=load_due(data.get("due")),
        status=Status(data.get("status", "open")),
        created_at=_from_dt(data["created_at"]),  # type: ignore[arg-type]
        updated_at=_from_dt(data["updated_at"]),  # type: ignore[arg-type]
        final_step_confirmed_at=_from_dt(data.get("final_step_confirmed_at")),
        done_at=_from_dt(data.get("done_at")),
        dropped_reason=data.get("dropped_reason"),
        snoozed_until=_day(data.get("snoozed_until")),
        reviewed_on=_day(data.get("reviewed_on")),
    )


def snapshot(task: Task) -> str:
    return json.dumps(task_to_dict(task), ensure_ascii=False, sort_keys=True)


def from_snapshot(text: str) -> Task:
    return task_from_dict(json.loads(text))
