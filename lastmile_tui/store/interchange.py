"""Between the export format and the tables: records read from the rows for an export, and
checked records turned into rows for an import; and the export file itself, written whole or
not at all beside (never over) the database it came from.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.task import Task
from lastmile_tui.files import file_mode, full_disk_message, is_full_disk_error, real_path, text_in_place
from lastmile_tui.formats import lastmile_json
from lastmile_tui.formats.lastmile_json import HistoryEntry, Imported, paused_gc
from lastmile_tui.formats.record import dump_snapshot
from lastmile_tui.store.backup import refuse_own_files
from lastmile_tui.store.rows import load_moment, step_values, stored_moment, stored_row, to_task


def records(tasks: Iterable[Any], steps: Iterable[Any], events: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The export records of these rows, one task at a time (task rows in id order; step and
    event rows ordered by task id, then position or id), so an export never holds them all."""
    steps_of, events_of = _by_task(steps), _by_task(events)
    for row in tasks:
        history = [
            HistoryEntry(
                event.id, load_moment(event.at), event.kind, event.detail,  # type: ignore[arg-type]
                json.loads(event.before) if event.before is not None else None,
                load_moment(event.undone_at),
            )
            for event in events_of(row.id)
        ]
        yield lastmile_json.export_record(to_task(row, steps_of(row.id)), history)


def tasks(task_rows: Iterable[Any], step_rows: Iterable[Any]) -> Iterator[Task]:
    """The tasks of these rows with their steps (ordered as for :func:`records`), one at a time."""
    steps_of = _by_task(step_rows)
    for row in task_rows:
        yield to_task(row, steps_of(row.id))


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


@dataclass
class Rows:
    """What an export becomes in the tables: ready for one bulk insert per table.

    Values are in their stored form (times as text), so the rows can go to the
    driver as they are, one ``executemany`` per table.
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
    """Check a whole export (``lastmile_json.read_document``) and turn it into table rows."""
    rows = Rows()
    with paused_gc():
        for imported in lastmile_json.read_document(document):
            _add(rows, imported)
    return rows


def _add(rows: Rows, imported: Imported) -> None:
    rows.tasks.append(stored_row(imported.id, imported.task))
    rows.steps.extend(step_values(imported.id, imported.task))
    rows.events.extend(
        {
            "id": event.id,
            "task_id": imported.id,
            "at": stored_moment(event.at),
            "kind": event.kind,
            "detail": event.detail,
            "before": dump_snapshot(event.before) if event.before is not None else None,
            "undone_at": stored_moment(event.undone_at),
        }
        for event in imported.history
    )


def source_name(source: Path | None) -> str:
    return "standard input" if source is None else str(source)


def read_text(source: Path | None) -> str:
    """The text of *source* (None is stdin); one clear line when it cannot be read."""
    try:
        if source is None:
            return sys.stdin.read()
        if source.is_dir():
            raise InvalidInput(f"{source} is a folder; give the file to import")
        return source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InvalidInput(f"cannot read {source_name(source)}: {reason}") from exc


def read(source: Path | None) -> Any:
    """The parsed JSON of *source* (None is stdin); one clear line when it cannot be read."""
    return lastmile_json.parse(read_text(source), source_name(source))


def write_export(
    tasks: Iterable[Any],
    path: Path | None,
    *,
    database: Path | None = None,
    overwrite: bool = False,
    stream: Callable[[TextIO, Iterable[Any]], int] = lastmile_json.write_stream,
) -> int:
    """Write *tasks* with *stream* (lastmile JSON records by default; a format's
    ``write_stream`` of tasks) to *path* whole or not at all (a temporary file
    renamed into place); None is stdout. Returns how many tasks were written.

    Refused before a record is read: *database* itself or one of its side files,
    any SQLite file, and an existing file unless *overwrite*. A link is followed
    and its target replaced, so the link stays. The file gets *database*'s
    permission bits (an export holds the same data), and leftovers of killed
    exports in its folder are removed.
    """
    if path is None:
        return stream(sys.stdout, tasks)
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
    try:
        with text_in_place(real, mode) as out:
            return stream(out, tasks)
    except OSError as exc:  # e.g. the "folder" is a file: nothing was made
        if is_full_disk_error(exc, real.parent):
            raise InvalidInput(full_disk_message(real.parent, f"{path} was not written")) from exc
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from exc


def _is_database(path: Path) -> bool:
    """True for an SQLite file: ``lastmile export ~/.../lastmile.db`` must not destroy the data."""
    try:
        with path.open("rb") as file:
            return file.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


