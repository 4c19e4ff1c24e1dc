"""Many writers at once on one file: every task arrives, once, and nobody sees "database is locked"."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from lastmile_tui.store import connection
from lastmile_tui.store.store import Store
from tests.cli.conftest import lastmile_command
from tests.safety.conftest import count, integrity, python, wait_for

WRITERS, ADDS = 8, 25

# A writer process: after its imports it waits at a barrier, then runs the real
# ``lastmile add`` code path (cli.main, which opens a fresh Store each time) 25 times.
WRITER = """
import contextlib, io, sys, time
from pathlib import Path
from lastmile_tui.cli import main
db, folder, name, adds = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
(folder / f"ready-{name}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
failures = 0
for i in range(adds):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["--db", db, "add", f"{name} task {i}", "--final", "ship it"])
    if code:
        failures += 1
        print(code, err.getvalue().strip(), file=sys.stderr)
sys.exit(failures)
"""

# The app's side: a Store held open the whole time, reading as the board does.
READER = """
import sys, time
from pathlib import Path
from lastmile_tui.store.store import Store
db, folder = Path(sys.argv[1]), Path(sys.argv[2])
(folder / "ready-reader").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
seen, versions = 0, set()
with Store(db) as store:
    while not (folder / "stop").exists():
        versions.add(store.data_version())
        seen = max(seen, store.board_shape().open)
        time.sleep(0.01)
    print(seen, len(versions))
"""


def test_eight_writers_and_an_open_app_lose_nothing(tmp_path):
    path = tmp_path / "shared.db"  # does not exist yet: the first writers also race to create it
    reader = python(READER, str(path), str(tmp_path))
    writers = [
        python(WRITER, str(path), str(tmp_path), f"w{n}", str(ADDS)) for n in range(WRITERS)
    ]
    wait_for(lambda: len(list(tmp_path.glob("ready-*"))) == WRITERS + 1, what="processes to start")
    started = time.monotonic()
    (tmp_path / "go").touch()
    results = [(w.wait(timeout=120), *w.communicate()) for w in writers]
    elapsed = time.monotonic() - started
    (tmp_path / "stop").touch()
    reader_out, reader_err = reader.communicate(timeout=60)

    for code, _out, err in results:
        assert code == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert reader.returncode == 0, reader_err
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("SELECT id FROM task")]
    titles = {r[0] for r in conn.execute("SELECT title FROM task")}
    events = conn.execute("SELECT count(*) FROM event WHERE kind = 'created'").fetchone()[0]
    conn.close()
    assert len(ids) == WRITERS * ADDS == len(set(ids)) == len(titles) == events
    assert integrity(path) == "ok"
    seen, versions = map(int, reader_out.split())
    assert 0 < seen <= WRITERS * ADDS and versions > 1  # the app saw the others' commits
    print(f"\n{WRITERS}x{ADDS} adds in {elapsed:.2f}s")


@pytest.mark.skipif(not os.environ.get("LASTMILE_SLOW_TESTS"),
                    reason="200 separate `lastmile` processes take about a minute on 2 cores; "
                           "set LASTMILE_SLOW_TESTS=1 to run")
def test_eight_shells_each_running_lastmile_add_25_times(tmp_path):
    path = tmp_path / "shared.db"
    loop = " ".join(
        f'{" ".join(lastmile_command())} add "$1 task {i}" --final f >/dev/null || exit 1;'
        for i in range(ADDS)
    )
    env = {**os.environ, "LASTMILE_DB": str(path)}
    started = time.monotonic()
    shells = [
        subprocess.Popen(["sh", "-c", loop, "sh", f"s{n}"], env=env, text=True,
                         stderr=subprocess.PIPE)
        for n in range(WRITERS)
    ]
    errors = [s.communicate(timeout=600)[1] for s in shells]
    elapsed = time.monotonic() - started
    assert [s.returncode for s in shells] == [0] * WRITERS, errors
    assert not any(errors), errors
    assert count(path) == WRITERS * ADDS
    assert integrity(path) == "ok"
    print(f"\n{WRITERS}x{ADDS} lastmile add processes in {elapsed:.1f}s")


def hold_write_lock(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_a_write_that_cannot_get_the_lock_gives_up_cleanly(lastmile):
    assert lastmile("add", "before").code == 0
    holder = hold_write_lock(lastmile.db)
    try:
        started = time.monotonic()
        r = lastmile("add", "blocked", env={connection.BUSY_TIMEOUT_ENV: "300"})
        waited = time.monotonic() - started
        listed = lastmile("list", env={connection.BUSY_TIMEOUT_ENV: "300"})
    finally:
        holder.close()
    assert r.code == 2, r
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    assert "is busy" in r.err and "nothing was changed" in r.err
    assert "database is locked" not in r.err
    assert waited >= 0.3
    assert listed.code == 0 and "before" in listed.out  # readers never wait for a writer
    assert lastmile("add", "after").code == 0
    assert count(lastmile.db) == 2


def test_a_writer_queues_behind_a_short_lock_instead_of_failing(db_path):
    with Store(db_path) as store:
        store.add("first")
        holder = hold_write_lock(db_path)
        threading.Timer(0.3, holder.close).start()
        started = time.monotonic()
        assert store.add("second").id == 2
        assert time.monotonic() - started >= 0.25


def test_busy_timeout_comes_from_the_store_or_the_environment(db_path, monkeypatch):
    with Store(db_path, busy_timeout_ms=50) as store:
        store.add("x")
        holder = hold_write_lock(db_path)
        try:
            with pytest.raises(connection.DatabaseProblem, match="is busy"):
                store.add("y")
        finally:
            holder.close()
    monkeypatch.setenv(connection.BUSY_TIMEOUT_ENV, "1234")
    with Store(db_path) as store:
        assert store._connection().execute("PRAGMA busy_timeout").fetchone()[0] == 1234
    monkeypatch.setenv(connection.BUSY_TIMEOUT_ENV, "soon")
    with pytest.raises(connection.DatabaseProblem, match="whole number of milliseconds"):
        Store(db_path)
