"""Opening the SQLite file: checks, schema versions, migrations, and the engine.

Nothing here runs at import time. A lastmile database says so itself:
``PRAGMA application_id`` holds ``APPLICATION_ID`` and ``PRAGMA user_version``
the schema version. Databases made before the number existed (application
id 0, schema 1 to 3) are recognised by their tables instead, and stamped
when they are next opened for writing. Both are read before anything that
could write (even the switch to WAL), so a database from a newer lastmile, a
file that is not a database, a damaged one, one that belongs to another
program or one whose version was changed by hand is refused without a single
byte or side file changing. A file or folder without write permission is
opened read-only (``mode=ro``), so it can still be listed and nothing can be
written to it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lastmile_tui.domain.errors import LastmileError
from lastmile_tui.files import full_disk_message, is_full_disk_error, real_path, writable

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 5000
BUSY_TIMEOUT_ENV = "LASTMILE_BUSY_TIMEOUT_MS"
MAX_BUSY_TIMEOUT_MS = 86_400_000
"""One day: longer is surely a typo, and SQLite's timeout is a C int (3e9 ms would wrap to 0.4 s)."""

APPLICATION_ID = 0x4C73744D
"""``PRAGMA application_id`` of every lastmile database: "LstM" in ASCII."""


class DatabaseProblem(LastmileError):
    """The database file cannot be used as it is (exit 2, file untouched)."""


class SchemaTooNew(DatabaseProblem):
    pass


class NoDatabase(DatabaseProblem):
    """Nothing at the path, and the command only reads: it never creates a database."""


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


class Header(NamedTuple):
    """What a database says about itself, read in one statement so the parts agree."""

    version: int
    application_id: int
    objects: int

    @property
    def empty(self) -> bool:
        """Nothing in it yet: a new file (or one of 0 bytes) that lastmile may set up."""
        return self.version == 0 and self.objects == 0 and self.application_id in (0, APPLICATION_ID)


def _inspect(conn: sqlite3.Connection, path: Path) -> Header:
    try:
        row = conn.execute(
            "SELECT (SELECT user_version FROM pragma_user_version),"
            " (SELECT application_id FROM pragma_application_id),"
            " (SELECT count(*) FROM sqlite_master)"
        ).fetchone()
    except sqlite3.Error as exc:
        raise DatabaseProblem(explain(path, exc)) from exc
    return Header(int(row[0]), int(row[1]), int(row[2]))


Tables = dict[str, frozenset[str]]


@functools.cache
def expected_tables(version: int) -> Tables:
    """The tables and their columns that schema *version* has: the migrations run in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in MIGRATIONS[:version]:
            step(conn) if callable(step) else run_script(conn, step)
        return _tables(conn)
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> Tables:
    rows = conn.execute(
        "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p"
        " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return {name: frozenset(columns) for name, columns in tables.items()}


def _check_known(conn: sqlite3.Connection, path: Path, header: Header) -> None:
    """Refuse, before anything is written, every file that is not a lastmile database we can use.

    Ours is one stamped with ``APPLICATION_ID``, or an older one (application
    id 0) whose tables are exactly those of its schema version. A stamped
    database below the current version is checked the same way before it is
    upgraded, so a ``user_version`` changed by hand is caught before any
    pre-upgrade copy is made.
    """
    version, app_id, objects = header
    nothing = "nothing was changed"
    if header.empty:
        return
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and version == 0):
        raise DatabaseProblem(
            f"{path} is an SQLite database of another program, not lastmile's; {nothing}"
        )
    if version < 0 or (version == 0 and objects):
        raise DatabaseProblem(
            f"{path} says its schema version is {version}, which no lastmile writes (was its "
            f"PRAGMA user_version changed?); {nothing}"
        )
    if version > SCHEMA_VERSION:
        if app_id == 0:  # every lastmile that knows more than schema 3 stamps its number
            raise DatabaseProblem(
                f"{path} is an SQLite database of another program, not lastmile's; {nothing}"
            )
        raise SchemaTooNew(
            f"{path} was written by a newer lastmile (schema {version}, this one knows "
            f"up to {SCHEMA_VERSION}); upgrade lastmile to use it. Nothing was changed."
        )
    if app_id == APPLICATION_ID and version == SCHEMA_VERSION:
        return
    try:
        tables = _tables(conn)
    except sqlite3.Error as exc:
        raise DatabaseProblem(explain(path, exc)) from exc
    if tables == expected_tables(version):
        return
    if app_id == 0:
        raise DatabaseProblem(
            f"{path} is an SQLite database of another program, not lastmile's; {nothing}"
        )
    raise DatabaseProblem(
        f"{path} says its schema version is {version}, but its tables are not those of "
        f"schema {version} (was its PRAGMA user_version changed?); {nothing}"
    )


def migrate(conn: sqlite3.Connection, path: Path, target: int | None = None) -> int:
    """Bring the schema forward to *target* in one transaction; return the old version.

    The version is read again under the write lock, so two processes opening
    a new database at once migrate it once. A database holding data is first
    copied to ``<name>.bak-v<old version>`` with the online backup API. A
    database made before lastmile had its application id gets it here.
    """
    from lastmile_tui.store.backup import copy_database, unused

    target = len(MIGRATIONS) if target is None else target
    try:
        conn.execute("BEGIN IMMEDIATE")
        header = _inspect(conn, path)
        _check_known(conn, path, header)
        version = header.version
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
        if header.application_id != APPLICATION_ID:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error | OSError):
            if is_full_disk_error(exc, path.resolve().parent):
                raise DatabaseProblem(full_disk_message(path.resolve().parent)) from exc
            raise DatabaseProblem(
                f"could not upgrade {path} ({exc}); it was left as it was"
            ) from exc
        raise
    return version


class Prepared(NamedTuple):
    """What opening found: why the database can only be read (None: it can be written),
    and whether this open created it."""

    read_only_reason: str | None
    created: bool


def _kind_of(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _make_folders(path: Path, folder: Path) -> None:
    """Create *folder* and the missing ones above it, but never inside a read-only folder.

    ``mkdir`` alone would succeed there when running as root; ``writable``
    reads the permission bits as well, so ``chmod a-w`` holds for root too.
    """
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise DatabaseProblem(f"cannot create the folder for {path}: {existing} is not a folder")
    if not writable(existing):
        if existing == folder:
            raise DatabaseProblem(f"cannot create database {path}: its folder is read-only")
        raise DatabaseProblem(
            f"cannot create the folder for {path}: {existing} is read-only; nothing was created"
        )
    if existing != folder:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseProblem(f"cannot create the folder for {path}: {exc}") from exc


def prepare(path: Path, timeout_ms: int | None = None, *, create: bool = True) -> Prepared:
    """Check the file, create it (and its folders) on first use when *create*, migrate it.

    Links are followed first: the folder that matters for writing is the one
    that really holds the file (SQLite puts its journal there). With *create*
    false, a missing or empty file is ``NoDatabase`` and nothing is made.
    """
    timeout_ms = busy_timeout_ms(timeout_ms)
    try:
        real = real_path(path)
    except ValueError as exc:
        raise DatabaseProblem(f"cannot open database {path}: {exc}") from None
    if real.is_dir():
        raise DatabaseProblem(f"database path {path} is a folder, not a file")
    if real.exists():
        mode = real.stat().st_mode
        if not stat.S_ISREG(mode):
            raise DatabaseProblem(
                f"database path {path} is {_kind_of(mode)}, not a database file; nothing was changed"
            )
        if not os.access(real, os.R_OK):
            raise DatabaseProblem(f"cannot read database {path}: permission denied")
        reason = read_only_reason(real)
    elif not create:
        raise NoDatabase(f"no lastmile database at {path}; nothing was created")
    else:
        _make_folders(path, real.parent)
        reason = None
    conn = connect(path, read_only=reason is not None, timeout_ms=timeout_ms)
    created = False
    try:
        header = _inspect(conn, path)
        _check_known(conn, path, header)  # every check that only reads comes first
        if header.empty and not create:
            raise NoDatabase(f"no lastmile database at {path} (the file is empty); nothing was changed")
        if header.version < SCHEMA_VERSION and reason is not None:
            raise DatabaseProblem(
                f"{path} needs an upgrade (schema {header.version} to {SCHEMA_VERSION}) but {reason}"
            )
        if reason is None:
            _use_wal(conn)  # a database restored from a backup copy starts in rollback mode
            if header.version < SCHEMA_VERSION or header.application_id != APPLICATION_ID:
                created = migrate(conn, path) == 0
    finally:
        conn.close()
    return Prepared(reason, created)


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
