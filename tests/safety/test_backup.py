"""``lastmile backup``: a consistent, checked copy made with the online backup API, even mid-write."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime

from lastmile_tui.store.store import Store
from tests.safety.conftest import count, fingerprint, integrity, python, run_main


def test_backup_beside_the_database_with_the_time_in_its_name(lastmile):
    lastmile("add", "Ship 🚀", "--final", "tag it", "--step", "build")
    lastmile("check", "1", "1")
    r = lastmile("backup")
    assert r.code == 0, r.err
    copies = list(lastmile.db.parent.glob("lastmile.db.backup-*"))
    assert len(copies) == 1 and f"to {copies[0]}" in r.out
    stamp = copies[0].name.removeprefix("lastmile.db.backup-")
    assert abs(datetime.strptime(stamp, "%Y%m%d-%H%M%S") - datetime.now()).total_seconds() < 120
    conn = sqlite3.connect(copies[0])
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one whole file
    conn.close()
    restored = lastmile("--db", str(copies[0]), "export")
    assert restored.code == 0 and restored.out == lastmile("export").out


def test_backup_to_a_path_a_folder_and_never_over_a_file(tmp_path, db_path, clock):
    with Store(db_path, clock=clock) as store:
        store.add("x")
    target = tmp_path / "copies" / "mine.db"
    target.parent.mkdir()
    r = run_main(db_path, "backup", str(target))
    assert r.code == 0 and str(target) in r.out
    before = fingerprint(target)
    r = run_main(db_path, "backup", str(target))
    assert r.code == 2 and "already exists; a backup never overwrites a file" in r.err
    assert fingerprint(target) == before
    with Store(db_path, clock=clock) as store:
        first, second = store.backup(target.parent), store.backup(target.parent)
    assert first.name == "lastmile.db.backup-20261125-100000" and second.name == first.name + "-2"
    assert count(first) == count(second) == 1


def test_backup_copies_only_what_is_committed_and_does_not_wait_for_a_writer(db_path):
    with Store(db_path) as store:
        for n in range(50):
            store.add(f"committed {n}")
        writer = sqlite3.connect(db_path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # a writer in the middle of a big change
        writer.executemany(
            "INSERT INTO task (title, created_at, updated_at, uid)"
            " VALUES (?, '2026-01-01', '2026-01-01', hex(randomblob(16)))",
            [(f"uncommitted {n}",) for n in range(5000)],
        )
        started = time.monotonic()
        copy = store.backup()
        assert time.monotonic() - started < 2
        writer.execute("COMMIT")
        writer.close()
    assert count(copy) == 50 and count(db_path) == 5050
    assert integrity(copy) == "ok"


# Adds tasks as fast as it can until told to stop.
ADDER = """
import sys
from pathlib import Path
from lastmile_tui.store.store import Store
with Store(Path(sys.argv[1])) as store:
    print("running", flush=True)
    n = 0
    while not Path(sys.argv[2]).exists():
        n += 1
        store.add(f"task {n}", final_step="f", steps=["a", "b"], notes="n" * 2000)
"""


def test_backups_taken_while_another_process_writes_are_each_whole(tmp_path, db_path):
    Store(db_path).close()
    stop = tmp_path / "stop"
    adder = python(ADDER, str(db_path), str(stop))
    assert adder.stdout.readline().strip() == "running", adder.stderr.read()
    copies, counts = [], []
    with Store(db_path) as store:
        for n in range(5):
            time.sleep(0.1)
            before = count(db_path)
            copies.append(store.backup(tmp_path / f"copy-{n}.db"))
            counts.append((before, count(db_path)))
    stop.touch()
    assert adder.wait(timeout=60) == 0, adder.stderr.read()
    for copy, (low, high) in zip(copies, counts, strict=True):
        assert integrity(copy) == "ok"
        tasks, steps, events = (count(copy, t) for t in ("task", "step", "event"))
        assert low <= tasks <= high and steps == 2 * tasks and events == tasks
    assert counts[-1][1] > counts[0][0]  # the writer really was writing throughout
