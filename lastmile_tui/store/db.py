"""Opening the SQLite file: checks, schema versions, migrations, and the engine.

Nothing here runs at import time. The schema version lives in
``PRAGMA user_version``; it is read before anything that could write, so a
database from a newer lastmile, a file that is not a database, a damaged one
or one that belongs to another program is refused without a single byte
changing. A file or folder without write permission is opened read-only
(``mode=ro``), so it can still be listed and nothing can be written to it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lastmile_tui.domain.task import LastmileError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 5000
BUSY_TIMEOUT_ENV = "LASTMILE_BUSY_TIMEOUT_MS"


class DatabaseProblem(LastmileError):
    """The database file cannot be used as it is (exit 2, file untouched)."""


class SchemaTooNew(DatabaseProblem):
    pass


_V1 = """
CREATE TABLE task (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    final_step TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    due TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    final_step_confirmed_at DATETIME,
    done_at DATETIME,
    dropped_reason TEXT,
    steps_total INTEGER NOT NULL DEFAULT 0,
    steps_done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_task_status_due ON task (status, due);
CREATE TABLE step (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    done_at DATETIME,
    UNIQUE (task_id, position)
);
CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    at DATETIME NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    before TEXT,
    undone_at DATETIME
);
CREATE INDEX ix_event_task ON event (task_id, id);
"""

# v2: review mode needs to remember snoozes and what was reviewed today.
_V2 = """
ALTER TABLE task ADD COLUMN snoozed_until TEXT;
ALTER TABLE task ADD COLUMN reviewed_on TEXT;
"""

# v3: the board reads one screen of the ranking, not every open task. The
# leading parts of the ranking's sort key are stored (``ranking.order_columns``)
# and indexed with the rest of it, for open tasks only.
_V3_COLUMNS = """
ALTER TABLE task ADD COLUMN rank_stage INTEGER NOT NULL DEFAULT 3;
ALTER TABLE task ADD COLUMN rank_fraction REAL NOT NULL DEFAULT 0;
ALTER TABLE task ADD COLUMN due_key TEXT NOT NULL DEFAULT '~';
DROP INDEX ix_task_status_due;
"""
_V3_INDEXES = """
CREATE INDEX ix_task_rank ON task (rank_stage, rank_fraction, due_key, updated_at, id)
    WHERE status = 'open';
CREATE INDEX ix_task_open_due ON task (due_key) WHERE status = 'open';
CREATE INDEX ix_task_closed ON task (updated_at, id) WHERE status != 'open';
CREATE INDEX ix_task_done_at ON task (done_at) WHERE status = 'done';
CREATE INDEX ix_task_open_title_length ON task (length(title)) WHERE status = 'open';
CREATE INDEX ix_task_closed_title_length ON task (length(title)) WHERE status != 'open';
"""


class _Ordered(NamedTuple):
    """The columns ``ranking.order_columns`` reads, straight from a task row."""

    final_step: str
    steps_total: int
    steps_done: int
    final_step_confirmed_at: str | None
    due: date | datetime | None


def _v3(conn: sqlite3.Connection) -> None:
    """Add the ranking columns, fill them with the domain's own rule, then index them."""
    from lastmile_tui.domain.dates import load_due
    from lastmile_tui.domain.ranking import order_columns

    run_script(conn, _V3_COLUMNS)
    rows = conn.execute(
        "SELECT id, final_step, steps_total, steps_done, final_step_confirmed_at, due FROM task"
    ).fetchall()
    conn.executemany(
        "UPDATE task SET rank_stage = ?, rank_fraction = ?, due_key = ? WHERE id = ?",
        [(*order_columns(_Ordered(*row[1:5], load_due(row[5]))), row[0]) for row in rows],  # type: ignore[arg-type]
    )
    run_script(conn, _V3_INDEXES)


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the caller's transaction (``executescript`` would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [_V1, _V2, _v3]
SCHEMA_VERSION = len(MIGRATIONS)


def busy_timeout_ms(value: int | None = None) -> int:
    """How long a writer waits for another one: *value*, else $LASTMILE_BUSY_TIMEOUT_MS, else 5 s."""
    if value is not None:
        return max(value, 0)
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not text:
        return BUSY_TIMEOUT_MS
    if not text.isascii() or not text.isdigit():
        raise DatabaseProblem(
            f"{BUSY_TIMEOUT_ENV} must be a whole number of milliseconds, not {text!r}"
        )
    return int(text)


def explain(path: Path, exc: BaseException) -> str:
    """One line for a person from an SQLite error on *path*; every such error wrote nothing."""
    text = str(exc)
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


def writable(path: Path) -> bool:
    """Writable, and not marked read-only: ``chmod a-w`` is respected even when running as root."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(mode & 0o222)


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
        wal = path.with_name(path.name + "-wal")
        has_log = wal.exists() and wal.stat().st_size > 0
        target = path.resolve().as_uri() + ("?mode=ro" if has_log else "?mode=ro&immutable=1")
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


def _inspect(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """(user_version, number of schema objects), read in one statement so they agree."""
    try:
        row = conn.execute(
            "SELECT (SELECT user_version FROM pragma_user_version),"
            " (SELECT count(*) FROM sqlite_master)"
        ).fetchone()
    except sqlite3.Error as exc:
        raise DatabaseProblem(explain(path, exc)) from exc
    return int(row[0]), int(row[1])


def _check_known(path: Path, version: int, objects: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{path} was written by a newer lastmile (schema {version}, this one knows "
            f"up to {SCHEMA_VERSION}); upgrade lastmile to use it. Nothing was changed."
        )
    if version == 0 and objects:
        raise DatabaseProblem(
            f"{path} is an SQLite database of another program, not lastmile's; nothing was changed"
        )


def migrate(conn: sqlite3.Connection, path: Path, target: int | None = None) -> int:
    """Bring the schema forward to *target* in one transaction; return the old version.

    The version is read again under the write lock, so two processes opening
    a new database at once migrate it once. A database holding data is first
    copied to ``<name>.bak-v<old version>`` with the online backup API.
    """
    from lastmile_tui.store.backup import copy_database, unused

    target = len(MIGRATIONS) if target is None else target
    try:
        conn.execute("BEGIN IMMEDIATE")
        version, objects = _inspect(conn, path)
        _check_known(path, version, objects)
        if version < target:
            if version:
                # a second connection reads the committed state our lock keeps still
                copy_database(path, unused(path.with_name(f"{path.name}.bak-v{version}")))
            for number in range(version, target):
                step = MIGRATIONS[number]
                if callable(step):
                    step(conn)
                else:
                    run_script(conn, step)
            conn.execute(f"PRAGMA user_version = {int(target)}")
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error | OSError):
            raise DatabaseProblem(
                f"could not upgrade {path} ({exc}); it was left as it was"
            ) from exc
        raise
    return version


def prepare(path: Path, timeout_ms: int | None = None) -> str | None:
    """Check the file, create it (and its folders) on first use, migrate it.

    Returns why the database is read-only, or None when it can be written.
    """
    timeout_ms = busy_timeout_ms(timeout_ms)
    if path.is_dir():
        raise DatabaseProblem(f"database path {path} is a folder, not a file")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise DatabaseProblem(f"cannot read database {path}: permission denied")
        reason = read_only_reason(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseProblem(f"cannot create the folder for {path}: {exc}") from exc
        if not writable(path.parent):
            raise DatabaseProblem(f"cannot create database {path}: its folder is read-only")
        reason = None
    conn = connect(path, read_only=reason is not None, timeout_ms=timeout_ms)
    try:
        version, objects = _inspect(conn, path)
        _check_known(path, version, objects)
        if version < SCHEMA_VERSION:
            if reason is not None:
                raise DatabaseProblem(
                    f"{path} needs an upgrade (schema {version} to {SCHEMA_VERSION}) but {reason}"
                )
            _use_wal(conn)
            migrate(conn, path)
        elif reason is None:
            _use_wal(conn)  # a database restored from a backup copy starts in rollback mode
    finally:
        conn.close()
    return reason


def _use_wal(conn: sqlite3.Connection) -> None:
    """Readers never wait for the writer in WAL mode; the mode is stored in the file.

    Switching needs a moment alone with the file: when another process holds
    it, the switch is left to a later start.
    """
    with contextlib.suppress(sqlite3.OperationalError):
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")


def make_engine(path: Path, *, read_only: bool = False, timeout_ms: int | None = None) -> Engine:
    """An engine whose connections have our pragmas and take the write lock up front.

    Connections opened with the execution option ``lastmile_write=True`` begin
    with ``BEGIN IMMEDIATE`` so that two writers queue on the busy timeout
    instead of failing half-way; readers use a plain deferred ``BEGIN``.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    from lastmile_tui.store.board import register_functions

    timeout_ms = busy_timeout_ms(timeout_ms)
    engine = create_engine(
        "sqlite://",
        creator=lambda: connect(path, read_only=read_only, timeout_ms=timeout_ms),
        poolclass=QueuePool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        dbapi_conn.execute("PRAGMA foreign_keys = ON")
        register_functions(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        write = conn.get_execution_options().get("lastmile_write", False)  # type: ignore[attr-defined]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")  # type: ignore[attr-defined]

    return engine
