"""The JSON export: every task with its steps, dates, statuses, confirmation and history.

A file looks like this (format version 1), one task per line, so that grep,
diff and a text editor get along with it::

    {"format": "lastmile", "version": 1, "tasks": [
    {"id": 1, "title": ..., "steps": [...], ..., "history": [{"id": 1, "kind": "created", ...}]},
    {"id": 2, ...}
    ]}

Task fields are those of ``convert.task_to_dict``; a history event has ``id``,
``at``, ``kind``, ``detail``, ``before`` and ``undone_at``; ``before`` is the task as
it was before that event (what undo puts back). Ids of tasks and events are
kept, so undo after a restore picks the same change it would have before.
The output has no timestamp of its own, so exporting the same data twice
gives the same bytes. Reading is strict and happens before anything is
written: the first bad record is named by its place and id, and then nothing
at all is imported.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from lastmile_tui.bulk import paused_gc
from lastmile_tui.domain import task as rules
from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Task
from lastmile_tui.store.convert import (
    MAX_ID,
    dump_snapshot,
    read_int,
    read_list,
    read_moment,
    read_object,
    read_text,
    row_values,
    step_values,
    stored_moment,
    task_from_dict,
    task_to_dict,
    to_task,
)

FORMAT = "lastmile"
VERSION = 1
_KINDS = frozenset(kind.value for kind in EventKind)


def records(tasks: Iterable[Any], steps: Iterable[Any], events: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The export records of these rows, one task at a time (task rows in id order; step and
    event rows ordered by task id, then position or id), so an export never holds them all."""
    steps_of, events_of = _by_task(steps), _by_task(events)
    for row in tasks:
        history = [
            {
                "id": event.id,
                "at": event.at.isoformat(),
                "kind": event.kind,
                "detail": event.detail,
                "before": json.loads(event.before) if event.before is not None else None,
                "undone_at": event.undone_at.isoformat() if event.undone_at else None,
            }
            for event in events_of(row.id)
        ]
        yield {**task_to_dict(to_task(row, steps_of(row.id))), "history": history}


def _by_task(rows: Iterable[Any]) -> Callable[[int], list[Any]]:
    """Rows ordered by ``task_id``, handed out per task as the tasks go by in id order."""
    pending = iter(rows)
    head: list[Any] = [next(pending, None)]

    def take(task_id: int) -> list[Any]:
        taken = []
        while head[0] is not None and head[0].task_id <= task_id:
            if head[0].task_id == task_id:
                taken.append(head[0])
            head[0] = next(pending, None)
        return taken

    return take


def document(tasks: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "tasks": list(tasks)}


def _write_stream(out: TextIO, tasks: Iterable[dict[str, Any]]) -> int:
    """The file: a header line, then one task per line (grep- and diff-friendly), then the end."""
    out.write(f'{{"format": "{FORMAT}", "version": {VERSION}, "tasks": [')
    count = 0
    for record in tasks:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


def dumps(data: dict[str, Any]) -> str:
    """The exact text ``write`` produces for a whole document (same data, same bytes)."""
    out = io.StringIO()
    _write_stream(out, data["tasks"])
    return out.getvalue()


def write(
    tasks: Iterable[dict[str, Any]],
    path: Path | None,
    *,
    database: Path | None = None,
    overwrite: bool = False,
) -> int:
    """Write the records to *path* whole or not at all (a temporary file renamed into place);
    None is stdout. Returns how many tasks were written.

    Refused before a record is read: *database* itself or one of its side files,
    any SQLite file, and an existing file unless *overwrite*. A link is followed
    and its target replaced, so the link stays. The file gets *database*'s
    permission bits (an export holds the same data), and leftovers of killed
    exports in its folder are removed.
    """
    from lastmile_tui.files import (
        create_private,
        file_mode,
        full_disk_message,
        is_full_disk_error,
        partial_path,
        put_in_place,
        real_path,
        sweep_partials,
    )
    from lastmile_tui.store.backup import refuse_own_files

    if path is None:
        return _write_stream(sys.stdout, tasks)
    if database is not None:
        refuse_own_files(path, database, "an export")
    if _is_database(path):
        raise InvalidInput(f"{path} is a SQLite database; an export never overwrites one")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name for the export")
    if not overwrite and (path.exists() or path.is_symlink()):
        raise InvalidInput(f"{path} already exists; add --force to replace it")
    try:
        real = real_path(path)
    except ValueError as exc:
        raise InvalidInput(f"cannot write {path}: {exc}") from None
    mode = file_mode(database, default=0o644) if database is not None else 0o644
    partial = partial_path(real)
    try:
        sweep_partials(real.parent)
        with open(create_private(partial, mode), "w", encoding="utf-8") as out:
            count = _write_stream(out, tasks)
            out.flush()
            os.fsync(out.fileno())
        put_in_place(partial, real, mode)
    except BaseException as exc:
        with contextlib.suppress(OSError):  # e.g. the "folder" is a file: nothing was made
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            if is_full_disk_error(exc, real.parent):
                raise InvalidInput(full_disk_message(real.parent, f"{path} was not written")) from exc
            raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
    return count


def _is_database(path: Path) -> bool:
    """True for an SQLite file: ``lastmile export ~/.../lastmile.db`` must not destroy the data."""
    try:
        with path.open("rb") as file:
            return file.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def read(source: Path | None) -> Any:
    """The parsed JSON of *source* (None is stdin); one clear line when it cannot be read."""
    name = "standard input" if source is None else str(source)
    try:
        text = sys.stdin.read() if source is None else source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InvalidInput(f"cannot read {name}: {reason}") from exc
    try:
        with paused_gc():
            return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise InvalidInput(f"{name} is not JSON ({where})") from exc
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, lists nested 10,000 deep
        raise InvalidInput(f"{name} is not JSON that lastmile can read ({exc})") from exc


@dataclass
class Rows:
    """What an export becomes in the tables: ready for one bulk insert per table.

    Values are in their stored form (times as text), so the rows can go to the
    driver as they are, without SQLAlchemy's per-row processing.
    """

    tasks: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def inserts(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """One ``INSERT`` with named parameters and its rows per table, parents first."""
        for table, values in (("task", self.tasks), ("step", self.steps), ("event", self.events)):
            if values:
                columns = list(values[0])
                names = ", ".join(f":{column}" for column in columns)
                yield f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({names})", values


def to_rows(document: Any) -> Rows:
    """Check a whole export and turn it into table rows, or raise naming the first bad record."""
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
    rows = Rows()
    task_ids: set[int] = set()
    event_ids: set[int] = set()
    with paused_gc():
        for index, record in enumerate(tasks):
            try:
                _add_task(rows, record, task_ids, event_ids)
            except InvalidInput as exc:
                raise InvalidInput(f"{_place(index, record)}: {exc}; nothing was imported") from exc
    return rows


def _place(index: int, record: Any) -> str:
    """Where a bad record is: ``tasks[17] (id 18)`` (made only for the error)."""
    if isinstance(record, dict) and "id" in record:
        return f"tasks[{index}] (id {json.dumps(record['id'])[:30]})"
    return f"tasks[{index}]"


def _add_task(rows: Rows, record: Any, task_ids: set[int], event_ids: set[int]) -> None:
    record = read_object(record, "a task record")
    task_id = read_int(record, "id")
    _check_new_id(task_id, task_ids, "task")
    task = rules.clean_task(task_from_dict(record))
    rows.tasks.append(_task_row(task_id, task))
    rows.steps.extend(_step_rows(task_id, task))
    for number, event in enumerate(read_list(record, "history")):
        try:
            rows.events.append(_event_row(task_id, event, event_ids))
        except InvalidInput as exc:
            raise InvalidInput(f"history[{number}]: {exc}") from exc


def _check_new_id(value: int, seen: set[int], what: str) -> None:
    if not 1 <= value <= MAX_ID:
        raise InvalidInput(f"{what} id {value} is out of range (ids are whole numbers from 1)")
    if value in seen:
        raise InvalidInput(f"{what} id {value} appears twice")
    seen.add(value)


_TASK_MOMENTS = ("created_at", "updated_at", "final_step_confirmed_at", "done_at")


def _task_row(task_id: int, task: Task) -> dict[str, Any]:
    row = {"id": task_id, **row_values(task)}
    for key in _TASK_MOMENTS:
        row[key] = stored_moment(row[key])
    return row


def _step_rows(task_id: int, task: Task) -> list[dict[str, Any]]:
    rows = step_values(task_id, task)
    for row in rows:
        row["done_at"] = stored_moment(row["done_at"])
    return rows


def _event_row(task_id: int, data: Any, seen: set[int]) -> dict[str, Any]:
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
    return {
        "id": event_id,
        "task_id": task_id,
        "at": stored_moment(read_moment(event, "at", required=True)),
        "kind": kind,
        "detail": detail,
        "before": dump_snapshot(before) if before is not None else None,
        "undone_at": stored_moment(read_moment(event, "undone_at")),
    }
