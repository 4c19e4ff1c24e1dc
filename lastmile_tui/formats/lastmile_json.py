"""The lastmile JSON export: every task with its steps, dates, statuses, confirmation and history.

A file looks like this (format version 1), one task per line, so that grep,
diff and a text editor get along with it::

    {"format": "lastmile", "version": 1, "tasks": [
    {"id": 1, "title": ..., "steps": [...], ..., "history": [{"id": 1, "kind": "created", ...}]},
    {"id": 2, ...}
    ]}

Task fields are those of ``record.task_to_dict``; a history event has ``id``,
``at``, ``kind``, ``detail``, ``before`` and ``undone_at``; ``before`` is the task as
it was before that event (what undo puts back). Ids of tasks and events are
kept, so undo after a restore picks the same change it would have before.
The output has no timestamp of its own, so exporting the same data twice
gives the same bytes. Reading is strict and checks every task and every
snapshot with the domain's rules: the first bad record is named by its place
and id, and then nothing at all is imported. No database is needed either way.
"""

from __future__ import annotations

import gc
import io
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from lastmile_tui.domain import task as rules
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Task
from lastmile_tui.formats.record import (
    MAX_ID,
    read_int,
    read_list,
    read_moment,
    read_object,
    read_text,
    task_from_dict,
    task_to_dict,
)

FORMAT = "lastmile"
VERSION = 1
_KINDS = frozenset(kind.value for kind in EventKind)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that form no cycles.

    Each burst of allocations triggers a collection that walks everything built so
    far: ranking 100,000 tasks spent more time there than sorting, and parsing a
    240 MB export took 3.2 s with it and 1.2 s without. Reference counting still
    frees what is dropped meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One event of a task's history as the file holds it; *before* is a checked task record."""

    id: int
    at: datetime
    kind: str
    detail: str
    before: dict[str, Any] | None
    undone_at: datetime | None


@dataclass(frozen=True, slots=True)
class Imported:
    """A task read from a file, checked by the domain's rules, with its id and history."""

    id: int
    task: Task
    history: list[HistoryEntry]


def export_record(task: Task, history: Iterable[HistoryEntry]) -> dict[str, Any]:
    """The record of one task in the file: its fields, then its history."""
    return {**task_to_dict(task), "history": [
        {
            "id": event.id,
            "at": event.at.isoformat(),
            "kind": event.kind,
            "detail": event.detail,
            "before": event.before,
            "undone_at": event.undone_at.isoformat() if event.undone_at else None,
        }
        for event in history
    ]}


def document(tasks: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "tasks": list(tasks)}


def write_stream(out: TextIO, tasks: Iterable[dict[str, Any]]) -> int:
    """The file: a header line, then one task per line (grep- and diff-friendly), then the end.
    Returns how many tasks were written."""
    out.write(f'{{"format": "{FORMAT}", "version": {VERSION}, "tasks": [')
    count = 0
    for record in tasks:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


def dumps(data: dict[str, Any]) -> str:
    """The exact text ``write_stream`` produces for a whole document (same data, same bytes)."""
    out = io.StringIO()
    write_stream(out, data["tasks"])
    return out.getvalue()


def parse(text: str, name: str) -> Any:
    """The JSON of a file called *name*; one clear line when it is not JSON lastmile can read."""
    try:
        with paused_gc():
            return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise InvalidInput(f"{name} is not JSON ({where})") from exc
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, lists nested 10,000 deep
        raise InvalidInput(f"{name} is not JSON that lastmile can read ({exc})") from exc


def read_document(document: Any) -> Iterator[Imported]:
    """Check a whole export, task by task, raising on the first bad record with its place.

    A generator, so a caller can turn each task into rows as it goes; nothing
    is written until the last one has passed.
    """
    head = read_object(document, "an export file")
    if head.get("format") != FORMAT:
        raise InvalidInput('this is not a lastmile export (it lacks "format": "lastmile")')
    version = head.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(f'a lastmile export needs "version": 1, not {json.dumps(version)}')
    if version > VERSION:
        raise InvalidInput(
            f"this export has format version {version}; this lastmile reads up to "
            f"version {VERSION}: upgrade lastmile to import it"
        )
    tasks = head.get("tasks")
    if not isinstance(tasks, list):
        raise InvalidInput('a lastmile export needs a "tasks" list')
    task_ids: set[int] = set()
    event_ids: set[int] = set()
    uids: set[str] = set()
    for index, record in enumerate(tasks):
        try:
            yield _read_task(record, task_ids, event_ids, uids)
        except InvalidInput as exc:
            raise InvalidInput(f"{_place(index, record)}: {exc}; nothing was imported") from exc


def _place(index: int, record: Any) -> str:
    """Where a bad record is: ``tasks[17] (id 18)`` (made only for the error)."""
    if isinstance(record, dict) and "id" in record:
        return f"tasks[{index}] (id {json.dumps(record['id'])[:30]})"
    return f"tasks[{index}]"


def _read_task(record: Any, task_ids: set[int], event_ids: set[int], uids: set[str]) -> Imported:
    record = read_object(record, "a task record")
    task_id = read_int(record, "id")
    _check_new_id(task_id, task_ids, "task")
    task = rules.clean_task(task_from_dict(record))
    if not task.uid:  # an export from before tasks had uids
        task = task.with_changes(uid=rules.new_uid())
    elif task.uid in uids:
        raise InvalidInput(f"uid {task.uid!r} appears twice")
    uids.add(task.uid)
    history = []
    for number, event in enumerate(read_list(record, "history")):
        try:
            history.append(_read_event(event, event_ids))
        except InvalidInput as exc:
            raise InvalidInput(f"history[{number}]: {exc}") from exc
    return Imported(task_id, task, history)


def _check_new_id(value: int, seen: set[int], what: str) -> None:
    if not 1 <= value <= MAX_ID:
        raise InvalidInput(f"{what} id {value} is out of range (ids are whole numbers from 1)")
    if value in seen:
        raise InvalidInput(f"{what} id {value} appears twice")
    seen.add(value)


def _read_event(data: Any, seen: set[int]) -> HistoryEntry:
    event = read_object(data, "an event")
    event_id = read_int(event, "id")
    _check_new_id(event_id, seen, "event")
    kind = read_text(event, "kind")
    if kind not in _KINDS:
        raise InvalidInput(f"'kind' {kind!r} is not a kind of change lastmile records")
    before = event.get("before")
    if before is not None:  # what undo would put back: held to the rules a task is held to
        try:
            parsed = task_from_dict(before)
            cleaned = rules.clean_task(parsed)
        except InvalidInput as exc:
            raise InvalidInput(f"'before': {exc}") from exc
        if cleaned is not parsed:
            before = task_to_dict(cleaned)
    try:
        detail = rules.clean_detail(read_text(event, "detail", ""))
    except InvalidInput as exc:
        raise InvalidInput(f"'detail': {exc}") from exc
    return HistoryEntry(
        event_id,
        read_moment(event, "at", required=True),  # type: ignore[arg-type]
        kind,
        detail,
        before,
        read_moment(event, "undone_at"),
    )
