"""Consistent copies of a live database with SQLite's online backup API, never a file copy.

A file copy taken while another process writes can catch half a transaction,
or miss what still sits in the ``-wal`` file; the backup API copies one
committed state (a read transaction, so writers carry on meanwhile). The copy
is checked, written under a temporary name and renamed into place, so a crash
or a full disk never leaves half a backup under the real name. Copies get the
database's own permission bits, and no copy or export may land on the
database or one of its side files.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from lastmile_tui.files import (
    file_mode,
    full_disk_message,
    is_full_disk_error,
    real_path,
    writable,
    written_in_place,
)
from lastmile_tui.store.connection import DatabaseProblem, busy_timeout_ms, connect, explain

SIDE_FILES = {"-wal": "write-ahead log", "-shm": "shared-memory file", "-journal": "rollback journal"}


def refuse_own_files(target: Path, database: Path, what: str) -> None:
    """Refuse *target* when it is *database* or one of its side files, links followed.

    Writing there would destroy the very data being saved: an export renamed
    over ``lastmile.db-wal`` loses every change not yet checkpointed.
    """
    try:
        real_target = real_path(target)
    except ValueError as exc:
        raise DatabaseProblem(f"cannot write {target}: {exc}") from None
    itself = "the database itself" if target == database else f"the database {database} itself"
    for db_name in {database, database.resolve()}:
        own = {db_name: itself} | {
            db_name.with_name(db_name.name + suffix): f"the {name} of the database {database}"
            for suffix, name in SIDE_FILES.items()
        }
        for path, name in own.items():
            same = False
            with contextlib.suppress(ValueError):
                same = real_target == real_path(path)
            if not same and real_target.exists() and path.exists():
                with contextlib.suppress(OSError):
                    same = os.path.samefile(real_target, path)  # hard links too
            if same:
                raise DatabaseProblem(f"{target} is {name}; {what} must go to another file")


def unused(path: Path) -> Path:
    """*path*, or the first of ``<path>-2``, ``<path>-3``... that does not exist yet."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def backup_path(db_path: Path, given: Path | None, now: datetime) -> Path:
    """Where ``lastmile backup`` writes: *given*, or a timestamped name beside the database.

    A folder gets the timestamped name inside it; an existing file is never overwritten.
    """
    name = f"{db_path.name}.backup-{now:%Y%m%d-%H%M%S}"
    if given is None:
        target = unused(db_path.with_name(name))
    elif given.is_dir():
        target = unused(given / name)
    elif given.exists() or given.is_symlink():
        refuse_own_files(given, db_path, "a backup")
        raise DatabaseProblem(f"{given} already exists; a backup never overwrites a file")
    else:
        target = given
    refuse_own_files(target, db_path, "a backup")
    if not writable(target.resolve().parent):
        raise DatabaseProblem(f"cannot write the backup {target}: its folder is read-only")
    return target


def copy_database(
    source: Path, target: Path, *, read_only: bool = False, timeout_ms: int | None = None
) -> None:
    """Copy *source* to *target* (which must not exist) and check the copy.

    The copy is a self-contained file in rollback-journal mode, so it can be
    opened, mailed or put on read-only media as it is. It has the source's
    permission bits. A damaged source is refused rather than copied. Leftovers
    of killed copies in the target's folder are removed first.
    """
    folder = target.resolve().parent
    try:
        with written_in_place(target, file_mode(source, default=0o600)) as partial:
            src = connect(source, read_only=read_only, timeout_ms=busy_timeout_ms(timeout_ms))
            try:
                dest = sqlite3.connect(partial, isolation_level=None)
                try:
                    src.backup(dest)
                    dest.execute("PRAGMA journal_mode = DELETE")
                    verdict = dest.execute("PRAGMA quick_check").fetchone()[0]
                finally:
                    dest.close()
            finally:
                src.close()
            if verdict != "ok":
                raise DatabaseProblem(
                    f"the database {source} is damaged ({verdict}); no backup was written"
                )
    except (sqlite3.Error, OSError) as exc:
        # the source is only read: a full disk is the target's
        if is_full_disk_error(exc, folder):
            raise DatabaseProblem(
                full_disk_message(folder, f"no copy was written to {target} (the database "
                                  "was not changed)")
            ) from exc
        if isinstance(exc, OSError):
            raise DatabaseProblem(f"cannot write the backup {target}: {exc}") from exc
        raise DatabaseProblem(explain(source, exc)) from exc
