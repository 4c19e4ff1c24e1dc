"""Files lastmile must refuse: one clear line, a non-zero exit, and not one byte changed.

Each case runs the command's code on a real file and compares the file's hash
and the names in its folder (no ``-wal``, ``-shm`` or journal left behind)
before and after.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from lastmile_tui.store import connection, db, schema
from lastmile_tui.store.store import Store
from tests.safety.conftest import fingerprint, run_main

COMMANDS = [("list",), ("show", "1"), ("add", "new task"), ("done", "1", "--confirm"),
            ("export",), ("backup",), ("undo",)]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "lastmile.db"


def real_database(path: Path, tasks: int = 300) -> bytes:
    """A lastmile database with a few hundred tasks, closed cleanly; returns its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store(path) as store:
        for n in range(tasks):
            store.add(f"task {n}", final_step="ship", steps=["a", "b"], notes="n" * 300)
    return path.read_bytes()


def assert_refused(path: Path, needle: str, commands=COMMANDS) -> None:
    for args in commands:
        before = fingerprint(path)
        r = run_main(path, *args)
        assert r.code == 2, (args, r)
        assert needle in r.err, (args, r.err)
        assert len(r.err.splitlines()) == 1 and "Traceback" not in r.err, (args, r.err)
        assert fingerprint(path) == before, args


def page_of(path: Path, table: str, which: str) -> int:
    """The root page of *table*, or one of its leaf pages that is not the last one."""
    conn = sqlite3.connect(path)
    try:
        if which == "root":
            return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                (table,)).fetchone()[0]
        leaves = [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path",
            (table,))]
        return leaves[len(leaves) // 2]
    finally:
        conn.close()


def damage(path: Path, page: int) -> None:
    data = bytearray(path.read_bytes())
    start = (page - 1) * 4096
    data[start: start + 4096] = bytes((i * 131 + 7) % 256 for i in range(4096))
    path.write_bytes(bytes(data))


def test_a_folder(path):
    path.mkdir(parents=True)
    (path / "keep.txt").write_text("mine")
    assert_refused(path, "is a folder, not a file")
    assert [p.name for p in path.iterdir()] == ["keep.txt"]


def test_a_file_that_is_not_sqlite(path, lastmile):
    path.parent.mkdir(parents=True)
    path.write_text("shopping list\n- milk\n" * 200)
    assert_refused(path, "it is not a SQLite database")
    r = lastmile("--db", str(path), "add", "x")  # and through the real command
    assert r.code == 2 and r.err.count("\n") == 1 and "not a SQLite database" in r.err


def test_a_short_file_that_is_not_sqlite(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"SQLite")
    assert_refused(path, "not a SQLite database")


def test_a_truncated_database(path):
    data = real_database(path)
    path.write_bytes(data[: len(data) // 2])
    assert_refused(path, "is damaged (database disk image is malformed)")


def test_a_database_with_garbage_after_its_first_page(path):
    data = real_database(path)
    path.write_bytes(data[:4096] + bytes((i * 131 + 7) % 256 for i in range(len(data) - 4096)))
    assert_refused(path, "is damaged")


def test_a_damaged_task_table(path):
    real_database(path)
    damage(path, page_of(path, "task", "root"))
    assert_refused(path, "is damaged")


def test_damage_a_command_does_not_read_is_still_caught_by_backup(path):
    """SQLite notices damage only on the pages it reads: listing tasks reads no
    history, so it works; ``lastmile backup`` checks every page and refuses."""
    real_database(path)
    damage(path, page_of(path, "event", "leaf"))
    assert run_main(path, "list").code == 0
    assert_refused(path, "is damaged", [("backup",), ("export",)])
    assert sorted(p.name for p in path.parent.iterdir()) == ["lastmile.db"]  # no half backup


def test_a_database_from_a_newer_lastmile(path):
    real_database(path, tasks=3)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    assert_refused(path, "was written by a newer lastmile")


def test_a_rollback_journal_database_from_a_newer_lastmile_keeps_its_journal_mode(path):
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")  # every newer lastmile stamps it
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 5}")
    conn.close()
    assert_refused(path, "newer lastmile")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_another_programs_sqlite_database(path):
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    assert_refused(path, "an SQLite database of another program, not lastmile's")


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: root can read a chmod 000 file, "
                    "so an unreadable file cannot be made here (test_unreadable_file_message "
                    "covers the message)")
def test_an_unreadable_file(path):
    real_database(path, tasks=3)
    path.chmod(0)
    try:
        assert_refused(path, "cannot read database", [("list",), ("add", "x")])
    finally:
        path.chmod(0o644)


def test_unreadable_file_message(path, monkeypatch):
    real_database(path, tasks=1)
    before = fingerprint(path)
    real_access = os.access
    monkeypatch.setattr(db.os, "access", lambda p, mode: mode != os.R_OK and real_access(p, mode))
    with pytest.raises(connection.DatabaseProblem, match="cannot read database .*: permission denied"):
        Store(path)
    assert fingerprint(path) == before


def test_a_missing_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run_main(blocker / "sub" / "lastmile.db", "add", "x")
    assert r.code == 2 and "cannot create the folder" in r.err and len(r.err.splitlines()) == 1


@pytest.mark.parametrize("value", ["3000000000", "86400001", "99999999999999999999"])
def test_a_busy_timeout_out_of_range_is_bad_input(lastmile, value):
    """3000000000 ms overflowed SQLite's int and made writers give up after 0.4 s."""
    r = lastmile("add", "x", env={"LASTMILE_BUSY_TIMEOUT_MS": value})
    assert r.code == 2 and r.err == (
        f"lastmile add: LASTMILE_BUSY_TIMEOUT_MS must be a whole number of milliseconds from 0 "
        f"to 86400000 (one day), not '{value}'\n")
    assert not lastmile.db.exists()
    assert lastmile("add", "x", env={"LASTMILE_BUSY_TIMEOUT_MS": "86400000"}).code == 0


def test_a_busy_timeout_given_in_code_is_kept_in_range():
    assert connection.busy_timeout_ms(3_000_000_000) == connection.MAX_BUSY_TIMEOUT_MS
    assert connection.busy_timeout_ms(-5) == 0


@pytest.mark.parametrize("command", [("add", "x"), ("list",), ("export",)])
def test_dev_null_as_the_database(lastmile, command):
    """Today: null.db-journal appears beside it (in /dev, as root)."""
    before = sorted(os.listdir("/dev"))
    r = lastmile("--db", "/dev/null", *command)
    assert r.code == 2 and r.err == (f"lastmile {command[0]}: database path /dev/null is a character "
                                     "device, not a database file; nothing was changed\n")
    assert sorted(os.listdir("/dev")) == before


def test_a_device_or_pipe_in_a_folder_of_ours_leaves_nothing_beside_it(tmp_path, lastmile):
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)  # opening it would wait for a writer forever
    r = lastmile("--db", str(pipe), "add", "x")
    assert r.code == 2 and "is a named pipe, not a database file" in r.err
    if os.geteuid() == 0:
        device = tmp_path / "null.db"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        r = lastmile("--db", str(device), "add", "x")
        assert r.code == 2 and "is a character device" in r.err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == sorted(
        ["pipe.db", "null.db"] if os.geteuid() == 0 else ["pipe.db"])


def test_a_loop_of_links_is_named_in_one_line(lastmile, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    r = lastmile("--db", str(tmp_path / "a"), "add", "x")
    assert r.code == 2 and r.err.endswith("a: it is a loop of links that leads to no file\n")
    lastmile("add", "x")
    for args in (("export", str(tmp_path / "a")), ("backup", str(tmp_path / "a"))):
        r = lastmile(*args)
        assert r.code == 2 and "loop of links" in r.err and len(r.err.splitlines()) == 1, r.err
