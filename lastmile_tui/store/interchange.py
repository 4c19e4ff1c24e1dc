"""Between the export format and the tables: records read from the rows for an export, and
checked records turned into rows for an import; and the export file itself, written whole or
not at all beside (never over) the database it came from.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.task import Task
from lastmile_tui.files import (
    file_mode,
    full_disk_message,
    is_full_disk_error,
    real_path,
    sweep_partials,
    sync_folder,
    text_in_place,
)
from lastmile_tui.formats import lastmile_json
from lastmile_tui.formats.lastmile_json import HistoryEntry, Imported, paused_gc
from lastmile_tui.formats.record import dump_snapshot
from lastmile_tui.store.backup import refuse_own_files
from lastmile_tui.store.rows import load_moment, step_values, stored_moment, stored_row, to_task

if TYPE_CHECKING:
    from lastmile_tui.domain.imports import Batch


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
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{source_name(source)} is not UTF-8 text (byte {exc.start + 1} is not); "
                           "nothing was imported") from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read {source_name(source)}: {exc.strerror or exc}") from exc


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
    _refuse_target(path, database, "give a file name for the export")
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


def _refuse_target(path: Path, database: Path | None, if_folder: str) -> None:
    """What an export never writes over: the database or its side files, any SQLite file, a
    folder (*if_folder* says what to give instead)."""
    if database is not None:
        refuse_own_files(path, database, "an export")
    if _is_database(path):
        raise InvalidInput(f"{path} is a SQLite database; an export never overwrites one")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; {if_folder}")


def _is_database(path: Path) -> bool:
    """True for an SQLite file: ``lastmile export ~/.../lastmile.db`` must not destroy the data."""
    try:
        with path.open("rb") as file:
            return file.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


_SAFE_NAME = re.compile(r"[A-Za-z0-9@_][A-Za-z0-9@_.-]{0,199}")


def vdir_name(uid: str) -> str:
    """The file a task's VTODO has in a vdir: ``UID.ics`` when the UID is a safe file name (as
    vdirsyncer and todoman name theirs), else a digest of it, the same on every export."""
    if _SAFE_NAME.fullmatch(uid):
        return f"{uid}.ics"
    from hashlib import blake2b

    return f"{blake2b(uid.encode('utf-8', 'surrogatepass'), digest_size=16).hexdigest()}.ics"


def write_vdir(tasks: Iterable[Task], folder: Path, *, database: Path | None = None,
               overwrite: bool = False) -> int:
    """One ``.ics`` file per task in *folder* (a vdir: what todoman and vdirsyncer read), each
    written whole; returns how many. The folder is made if missing (its parent must exist).

    Refused before a file is written: a *folder* that is a file, a target that is *database* or
    one of its side files or any SQLite file, and an existing ``UID.ics`` unless *overwrite*.
    Nothing else in the folder is touched: a task deleted in lastmile leaves its old file there.
    """
    from lastmile_tui.formats import ical

    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder; a vdir export writes one .ics file per task "
                           "into a folder")
    if not folder.exists() and not folder.parent.is_dir():
        raise InvalidInput(f"cannot make {folder}: there is no folder {folder.parent}")
    named: dict[str, Task] = {}
    for task in tasks:
        name = vdir_name(task.uid)
        if name in named:
            raise InvalidInput(f"tasks {named[name].id} and {task.id} would both be written to {name}")
        named[name] = task
    existing = [name for name in named if (folder / name).exists() or (folder / name).is_symlink()]
    for name in existing:
        path = folder / name
        _refuse_target(path, database, "an export writes a file there")
    if existing and not overwrite:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise InvalidInput(f"{folder / existing[0]} already exists{more}; add --force to replace "
                           "them; nothing was written")
    mode = file_mode(database, default=0o644) if database is not None else 0o644
    written = 0
    try:
        if not folder.exists():
            folder.mkdir(mode=0o700 | (mode & 0o044) | ((mode & 0o044) >> 2))
        sweep_partials(folder)
        for name, task in named.items():
            with text_in_place(real_path(folder / name), mode, one_of_many=True) as out:
                out.write(ical.write_one(task))
            written += 1
        with contextlib.suppress(OSError):
            sync_folder(folder)  # once for every rename in it
    except (OSError, ValueError) as exc:
        left = f"; {written} of {len(named)} files were written" if written else "; nothing was written"
        if isinstance(exc, OSError) and is_full_disk_error(exc, folder):
            raise InvalidInput(full_disk_message(folder, f"{folder} is incomplete{left}")) from exc
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InvalidInput(f"cannot write into {folder}: {reason}{left}") from exc
    return written


def read_vdir(folder: Path) -> Batch:
    """Every VTODO in the ``.ics`` files of *folder* (a vdir), named by file in messages."""
    from lastmile_tui.domain.imports import Batch
    from lastmile_tui.formats import ical

    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix == ".ics" and p.is_file())
    except OSError as exc:
        raise InvalidInput(f"cannot read {folder}: {exc.strerror or exc}") from exc
    if not paths:
        raise InvalidInput(f"{folder} holds no .ics files: there is nothing to import")
    batch = Batch(ical.SOURCE)
    for path in paths:
        one = ical.read(read_text(path), name=path.name)
        batch.tasks += one.tasks
        batch.skipped += one.skipped
    return batch
