"""Schema upgrades: a backup first (online backup API), then all of the upgrade or none of it."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from lastmile_tui.store import connection, db, schema
from lastmile_tui.store.store import Store
from tests.safety.conftest import count, integrity, python, query
from tests.unit.test_store import dump, make_v1_database


def version(path: Path) -> int:
    return query(path, "PRAGMA user_version")[0][0]


def columns(path: Path, table: str = "task") -> set[str]:
    return {row[1] for row in query(path, f"PRAGMA table_info({table})")}


def test_an_upgrade_backs_up_the_old_file_first(tmp_path):
    path = tmp_path / "lastmile.db"
    make_v1_database(path)
    old_rows = dump(path)
    with Store(path) as store:
        assert store.get(1).title == "Old task"
    backup = tmp_path / "lastmile.db.bak-v1"
    assert version(backup) == 1 and version(path) == schema.SCHEMA_VERSION
    assert dump(backup) == old_rows and integrity(backup) == "ok"
    assert "snoozed_until" not in columns(backup)
    assert query(backup, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lastmile.db", "lastmile.db.bak-v1"]


def test_an_earlier_backup_is_never_overwritten(tmp_path):
    path = tmp_path / "lastmile.db"
    (tmp_path / "lastmile.db.bak-v1").write_text("an older backup")
    make_v1_database(path)
    Store(path).close()
    assert (tmp_path / "lastmile.db.bak-v1").read_text() == "an older backup"
    assert version(tmp_path / "lastmile.db.bak-v1-2") == 1


def test_a_new_database_needs_no_backup(tmp_path):
    Store(tmp_path / "lastmile.db").close()
    assert [p.name for p in tmp_path.iterdir()] == ["lastmile.db"]


def test_a_failed_upgrade_rolls_back_and_leaves_the_original_usable(tmp_path, monkeypatch):
    path = tmp_path / "lastmile.db"
    with Store(path) as store:
        store.add("precious", final_step="keep it", steps=["a"])
    before = dump(path)
    current = schema.SCHEMA_VERSION
    # one more migration whose last statement fails after the others succeeded
    monkeypatch.setattr(db, "MIGRATIONS", [
        *schema.MIGRATIONS,
        "ALTER TABLE task ADD COLUMN colour TEXT; UPDATE task SET title = 'lost';"
        " INSERT INTO no_such_table VALUES (1)",
    ])
    monkeypatch.setattr(db, "SCHEMA_VERSION", current + 1)

    with pytest.raises(connection.DatabaseProblem, match="could not upgrade .*no such table.*left as it was"):
        Store(path)

    assert version(path) == current and "colour" not in columns(path)
    assert dump(path) == before and integrity(path) == "ok"
    assert dump(tmp_path / f"lastmile.db.bak-v{current}") == before
    monkeypatch.undo()
    with Store(path) as store:  # the original, still usable by this lastmile
        assert store.get(1).title == "precious"
        store.add("more")


def test_an_upgrade_that_works_moves_everything_forward(tmp_path, monkeypatch):
    path = tmp_path / "lastmile.db"
    with Store(path) as store:
        store.add("a")
    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(db, "MIGRATIONS", [*schema.MIGRATIONS, "ALTER TABLE task ADD COLUMN colour TEXT"])
    monkeypatch.setattr(db, "SCHEMA_VERSION", current + 1)
    Store(path).close()
    assert version(path) == current + 1 and "colour" in columns(path)
    assert version(tmp_path / f"lastmile.db.bak-v{current}") == current


# Upgrades a v1 database, and stops for good inside the upgrade's transaction.
UPGRADER = """
import sqlite3, sys, time
from pathlib import Path
from lastmile_tui.store import connection, db, schema
real_connect = connection.connect

class Pausing(sqlite3.Connection):
    def execute(self, sql, *args):
        result = super().execute(sql, *args)
        if sql.strip().startswith("ALTER TABLE task ADD COLUMN reviewed_on"):
            print("half-way", flush=True)
            time.sleep(600)
        return result

def connect(path, *, read_only, timeout_ms):
    return sqlite3.connect(path, timeout=timeout_ms / 1000, isolation_level=None,
                           factory=Pausing)

db.connect = connect
db.prepare(Path(sys.argv[1]))
"""


def test_killed_in_the_middle_of_an_upgrade(tmp_path):
    path = tmp_path / "lastmile.db"
    make_v1_database(path)
    before = dump(path)
    proc = python(UPGRADER, str(path))
    assert proc.stdout.readline().strip() == "half-way", proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert integrity(path) == "ok" and version(path) == 1 and dump(path) == before
    assert "snoozed_until" not in columns(path)
    assert version(tmp_path / "lastmile.db.bak-v1") == 1  # the backup was whole before it
    with Store(path) as store:  # and the next start upgrades it properly
        assert store.get(1).title == "Old task"
    assert version(path) == schema.SCHEMA_VERSION and count(path) == 1
