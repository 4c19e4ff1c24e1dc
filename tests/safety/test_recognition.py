"""A lastmile database is recognised positively: by its application id, or (made before the
id existed) by its tables. Anything else is refused with not one byte or side file changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lastmile_tui.store import connection, db, schema
from lastmile_tui.store.store import Store
from tests.safety.conftest import fingerprint, query, run_main
from tests.safety.test_bad_files import assert_refused
from tests.safety.test_read_only import read_only
from tests.unit.test_store import make_v1_database


def header(path: Path) -> tuple[int, int, str]:
    return (query(path, "PRAGMA user_version")[0][0], query(path, "PRAGMA application_id")[0][0],
            query(path, "PRAGMA journal_mode")[0][0])


def unstamp(path: Path) -> None:
    """Make *path* look like a database from a lastmile before the application id (id 0)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()


def legacy_database(path: Path, version: int) -> None:
    """A database an older lastmile made at schema *version*: its tables, application id 0."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    db.migrate(conn, path, target=version)
    conn.execute("INSERT INTO task (id, title, created_at, updated_at) VALUES "
                 "(1, 'Old task', '2026-11-01 09:00:00', '2026-11-01 09:00:00')")
    conn.execute("PRAGMA application_id = 0")
    conn.close()


def other_program(path: Path, version: int, *, app_id: int = 0, script: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(script or "CREATE TABLE tasks (id INTEGER PRIMARY KEY, name TEXT);"
                       "INSERT INTO tasks (name) VALUES ('theirs');")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.commit()
    conn.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "app.db"


def test_a_new_database_carries_lastmiles_application_id(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    assert header(path) == (schema.SCHEMA_VERSION, schema.APPLICATION_ID, "wal")


@pytest.mark.parametrize("version", [1, 2, 3])
def test_another_programs_database_at_our_schema_versions_is_refused_untouched(path, version):
    """Today's bug: a `tasks` table at user_version 1-3 was switched to WAL and copied to
    .bak-vN on every run; now nothing about it changes, not even its journal mode."""
    other_program(path, version)
    assert_refused(path, "is an SQLite database of another program, not lastmile's; nothing was "
                   "changed")
    assert header(path) == (version, 0, "delete")
    assert sorted(p.name for p in path.parent.iterdir()) == ["app.db"]


def test_lookalike_tables_are_not_enough(path):
    """Tables named like ours with other columns are somebody else's."""
    other_program(path, 1, script="CREATE TABLE task (id INTEGER PRIMARY KEY, what TEXT);"
                  "CREATE TABLE step (id INTEGER PRIMARY KEY); CREATE TABLE event (id INTEGER);")
    assert_refused(path, "of another program")


def test_our_tables_plus_foreign_ones_are_not_ours(path):
    legacy_database(path, 3)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY)")
    conn.close()
    assert_refused(path, "of another program")


def test_another_programs_application_id_is_refused(path):
    legacy_database(path, schema.SCHEMA_VERSION)  # even with exactly our tables
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1196444487")  # GeoPackage's "GPKG"
    conn.close()
    assert_refused(path, "of another program")


@pytest.mark.parametrize("version", [-1, -2147483648])
def test_a_negative_user_version(path, version, lastmile):
    """Today: IndexError and exit 3, after a .bak copy was written."""
    real = Store(path)
    real.add("precious")
    real.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    assert_refused(path, f"says its schema version is {version}, which no lastmile writes")
    before = fingerprint(path)
    r = lastmile("--db", str(path), "add", "x")  # and through the real command
    assert r.code == 2 and len(r.err.splitlines()) == 1 and "Traceback" not in r.err
    assert fingerprint(path) == before


@pytest.mark.parametrize("lowered_to", [0, 1, 2])
def test_a_lowered_user_version_makes_no_pile_of_copies(path, lowered_to):
    """The upgrade would fail on columns that already exist, after copying the file each time."""
    with Store(path) as store:
        store.add("precious")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {lowered_to}")
    conn.close()
    assert_refused(path, "(was its PRAGMA user_version changed?); nothing was changed")
    assert_refused(path, "(was its PRAGMA user_version changed?)")  # twice: still no copies
    assert sorted(p.name for p in path.parent.iterdir()) == ["app.db"]


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_older_lastmile_database_is_recognised_by_its_tables_and_stamped(path, version):
    legacy_database(path, version)
    r = run_main(path, "show", "1")
    assert r.code == 0 and "Old task" in r.out, r.err
    assert header(path) == (schema.SCHEMA_VERSION, schema.APPLICATION_ID, "wal")
    copies = sorted(p.name for p in path.parent.iterdir() if ".bak-" in p.name)
    assert copies == ([] if version == schema.SCHEMA_VERSION else [f"app.db.bak-v{version}"])
    run_main(path, "list")
    assert sorted(p.name for p in path.parent.iterdir() if ".bak-" in p.name) == copies


def test_a_stamped_old_schema_is_upgraded_as_before(tmp_path):
    path = tmp_path / "lastmile.db"
    make_v1_database(path)
    assert header(path)[:2] == (1, schema.APPLICATION_ID)
    with Store(path) as store:
        assert store.get(1).title == "Old task"
    assert header(path)[:2] == (schema.SCHEMA_VERSION, schema.APPLICATION_ID)


def test_an_older_lastmile_database_that_cannot_be_written_is_still_read(tmp_path):
    folder = tmp_path / "ro"
    path = folder / "lastmile.db"
    legacy_database(path, schema.SCHEMA_VERSION)
    read_only(path, folder)
    try:
        before = fingerprint(path)
        r = run_main(path, "list", "--json")
        assert r.code == 0 and "Old task" in r.out, r.err
        assert fingerprint(path) == before and header(path)[1] == 0
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_a_failed_stamp_rolls_back_with_the_upgrade(path, monkeypatch):
    legacy_database(path, 1)
    monkeypatch.setattr(db, "MIGRATIONS", [*schema.MIGRATIONS[:1], "INSERT INTO no_such_table VALUES (1)",
                                           *schema.MIGRATIONS[2:]])
    with pytest.raises(connection.DatabaseProblem, match="left as it was"):
        Store(path)
    assert header(path) == (1, 0, "wal")
