"""Connecting to the SQLite file on plain sqlite3, and saying in words what went wrong.

The lowest part of the store: ``backup`` and the opening checks (``db``)
both build on it, so neither needs the other to connect.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from lastmile_tui.domain.errors import LastmileError
from lastmile_tui.files import full_disk_message, is_full_disk_error, writable

BUSY_TIMEOUT_MS = 5000


BUSY_TIMEOUT_ENV = "LASTMILE_BUSY_TIMEOUT_MS"


MAX_BUSY_TIMEOUT_MS = 86_400_000
"""One day: longer is surely a typo, and SQLite's timeout is a C int (3e9 ms would wrap to 0.4 s)."""


class DatabaseProblem(LastmileError):
    """The database file cannot be used as it is (exit 2, file untouched)."""


class SchemaTooNew(DatabaseProblem):
    pass


class NoDatabase(DatabaseProblem):
    """Nothing at the path, and the command only reads: it never creates a database."""


def busy_timeout_ms(value: int | None = None) -> int:
    """How long a writer waits for another one: *value*, else $LASTMILE_BUSY_TIMEOUT_MS, else 5 s."""
    if value is not None:
        return min(max(value, 0), MAX_BUSY_TIMEOUT_MS)
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not text:
        return BUSY_TIMEOUT_MS
    if not text.isascii() or not text.isdigit() or int(text) > MAX_BUSY_TIMEOUT_MS:
        raise DatabaseProblem(
            f"{BUSY_TIMEOUT_ENV} must be a whole number of milliseconds from 0 to "
            f"{MAX_BUSY_TIMEOUT_MS} (one day), not {text!r}"
        )
    return int(text)


def explain(path: Path, exc: BaseException) -> str:
    """One line for a person from an SQLite error on *path*; every such error wrote nothing."""
    text = str(exc)
    if is_full_disk_error(exc, path.resolve().parent):
        return full_disk_message(path.resolve().parent)
    if "locked" in text or "busy" in text:
        return (
            f"the database {path} is busy (another program kept it locked for too long); "
            f"nothing was changed, try again (wait longer with {BUSY_TIMEOUT_ENV})"
        )
    if "readonly" in text:
        return f"the database {path} is read-only; nothing was changed"
    if "not a database" in text:
        return f"cannot open database {path}: it is not a SQLite database ({text}); nothing was changed"
    if "malformed" in text or "corrupt" in text:
        return (
            f"the database {path} is damaged ({text}); nothing was changed. "
            "Restore your last backup (lastmile.db.bak-* or a lastmile backup copy)"
        )
    return f"cannot use database {path}: {text}"


def read_only_reason(path: Path) -> str | None:
    """Why an existing database can only be read, or None when it can be written."""
    if not writable(path):
        return "the file is read-only"
    if not writable(path.parent):  # SQLite writes its journal beside the file
        return "its folder is read-only"
    return None


def connect(path: Path, *, read_only: bool, timeout_ms: int) -> sqlite3.Connection:
    """A stdlib connection in autocommit mode (we issue BEGIN ourselves).

    A read-only one opens the file with ``mode=ro``; when no write-ahead log is
    waiting beside it, also ``immutable=1``, so that not even the ``-shm`` and
    ``-wal`` side files are created in a place we may not write.
    """
    target: str | Path = path
    if read_only:
        real = path.resolve()  # SQLite keeps the side files beside the link's target
        wal = real.with_name(real.name + "-wal")
        has_log = wal.exists() and wal.stat().st_size > 0
        target = real.as_uri() + ("?mode=ro" if has_log else "?mode=ro&immutable=1")
    try:
        return sqlite3.connect(
            target,
            uri=read_only,
            timeout=timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise DatabaseProblem(explain(path, exc)) from exc
