"""Consistent copies of a live database with SQLite's online backup API, never a file copy.

A file copy taken while another process writes can catch half a transaction,
or miss what still sits in the ``-wal`` file; the backup API copies one
committed state (a read transaction, so writers carry on meanwhile). The copy
is checked, written under a temporary name and renamed into place, so a crash
or a full disk never leaves half a backup under the real name.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from lastmile_tui.store.db import DatabaseProblem, busy_timeout_ms, connect, explain, writable


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
        raise DatabaseProblem(f"{given} already exists; a backup never overwrites a file")
    else:
        target = given
    if not writable(target.parent):
        raise DatabaseProblem(f"cannot write the backup {target}: its folder is read-only")
    return target


def copy_database(
    source: Path, target: Path, *, read_only: bool = False, timeout_ms: int | None = None
) -> None:
    """Copy *source* to *target* (which must not exist) and check the copy.

    The copy is a self-contained file in rollback-journal mode, so it can be
    opened, mailed or put on read-only media as it is. A damaged source is
    refused rather than copied.
    """
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        src = connect(source, read_only=read_only, timeout_ms=busy_timeout_ms(timeout_ms))
        try:
            partial.unlink(missing_ok=True)
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
        os.replace(partial, target)
        _sync_folder(target.parent)
    except sqlite3.Error as exc:
        raise DatabaseProblem(explain(source, exc)) from exc
    except OSError as exc:
        raise DatabaseProblem(f"cannot write the backup {target}: {exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, so a power cut cannot take the new name away."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
