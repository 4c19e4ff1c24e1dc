"""Opening the SQLite file: checks, schema versions and migrations.

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
import os
import sqlite3
import stat
from collections import namedtuple
from pathlib import Path

from lastmile_tui.files import full_disk_message, is_full_disk_error, real_path, writable
from lastmile_tui.store.backup import copy_database, unused
from lastmile_tui.store.connection import (
    DatabaseProblem,
    NoDatabase,
    SchemaTooNew,
    busy_timeout_ms,
    connect,
    explain,
    read_only_reason,
)
from lastmile_tui.store.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    expected_tables,
    run_script,
    tables_of,
)


class Header(namedtuple("Header", "version application_id objects")):
    """What a database says about itself, read in one statement so the parts agree: its
    ``version``, ``application_id`` and number of ``objects`` (tables, indexes)."""

    __slots__ = ()

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
        tables = tables_of(conn)
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


Prepared = namedtuple("Prepared", "read_only_reason created")
"""What opening found: why the database can only be read (None: it can be written), and whether
this open created it."""


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
