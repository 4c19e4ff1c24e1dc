"""Opening the SQLite file: checks, schema versions, migrations, and the engine.

Nothing here runs at import time. The schema version lives in
``PRAGMA user_version``; it is read with the standard library *before* any
pragma that could write, so a database from a newer lastmile (or a file that
is not a database at all) is refused without a single byte changing.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from lastmile_tui.domain.task import LastmileError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 5000


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

MIGRATIONS: list[str] = [_V1, _V2]
SCHEMA_VERSION = len(MIGRATIONS)


def _describe(path: Path, exc: Exception) -> str:
    return f"cannot open database {path}: {exc}"


def read_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(_describe(path, exc)) from exc


def migrate(conn: sqlite3.Connection, path: Path, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema forward to *target* in one transaction; return the old version."""
    version = read_version(conn, path)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{path} was written by a newer lastmile (schema {version}, this one knows "
            f"up to {SCHEMA_VERSION}); upgrade lastmile to use it. Nothing was changed."
        )
    if version >= target:
        return version
    try:
        conn.execute("BEGIN IMMEDIATE")
        for number in range(version, target):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {int(target)}")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise DatabaseProblem(f"could not upgrade {path}: {exc}") from exc
    return version


def prepare(path: Path) -> None:
    """Check the file, create it (and its folders) on first use, migrate it."""
    if path.is_dir():
        raise DatabaseProblem(f"database path {path} is a folder, not a file")
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseProblem(f"cannot create the folder for {path}: {exc}") from exc
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise DatabaseProblem(_describe(path, exc)) from exc
    try:
        if read_version(conn, path) < SCHEMA_VERSION:
            _set_pragmas(conn)
            migrate(conn, path)
        elif read_version(conn, path) > SCHEMA_VERSION:
            migrate(conn, path)  # raises SchemaTooNew without writing
    finally:
        conn.close()


def _set_pragmas(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # a read-only file keeps its journal mode; reads still work
    with contextlib.suppress(sqlite3.OperationalError):
        conn.execute("PRAGMA journal_mode = WAL")


def make_engine(path: Path) -> Engine:
    """An engine whose connections have our pragmas and take the write lock up front.

    Connections opened with the execution option ``lastmile_write=True`` begin
    with ``BEGIN IMMEDIATE`` so that two writers queue on the busy timeout
    instead of failing half-way; readers use a plain deferred ``BEGIN``.
    """
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        _set_pragmas(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        write = conn.get_execution_options().get("lastmile_write", False)  # type: ignore[attr-defined]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")  # type: ignore[attr-defined]

    return engine


def open_engine(path: Path) -> Engine:
    prepare(path)
    return make_engine(path)

