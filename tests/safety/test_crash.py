"""A process killed with SIGKILL half-way through a change: the file holds the change whole or not at all.

As in SQLite's own crash tests, a real process writes to a real file and is
killed while its transaction is open, with part of that transaction already
on disk in the write-ahead log.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
from pathlib import Path

from lastmile_tui.formats import lastmile_json
from lastmile_tui.store import interchange
from lastmile_tui.store.store import Store
from tests.oracles.store import summaries
from tests.safety.conftest import count, integrity, python
from tests.unit.test_transfer import generated_export


def paused_at(statement: str, change: str) -> str:
    """A script that opens the store in argv[1], makes *change*, and stops for good (printing
    "half-way") as the first statement starting with *statement* runs, inside its transaction."""
    return f"""
import sys, time
from pathlib import Path
from lastmile_tui.formats import lastmile_json
from lastmile_tui.store import interchange
from lastmile_tui.store.store import Store
store = Store(Path(sys.argv[1]))

def pause(sql):
    if sql.startswith({statement!r}):
        print("half-way", flush=True)
        time.sleep(600)

store._connection().set_trace_callback(pause)

{change}
"""


# Imports an export, but stops for good inside the transaction once the task
# rows are written and before the steps are: the moment to be killed.
IMPORTER = paused_at(
    "INSERT INTO step", "store.import_rows(interchange.to_rows(interchange.read(Path(sys.argv[2]))))"
)


def wal_size(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def kill_when_ready(proc, line: str = "half-way") -> None:
    assert proc.stdout.readline().strip() == line, proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_killed_in_the_middle_of_a_large_import(tmp_path):
    export = tmp_path / "export.json"
    document = generated_export(3000, seed=7, notes_size=2000)  # ~7 MB: spills past the cache
    export.write_text(lastmile_json.dumps(document), encoding="utf-8")
    path = tmp_path / "lastmile.db"
    Store(path).close()

    proc = python(IMPORTER, str(path), str(export))
    assert proc.stdout.readline().strip() == "half-way", proc.stderr.read()
    assert wal_size(path) > 1_000_000  # uncommitted task rows really are on disk
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert integrity(path) == "ok"
    assert (count(path, "task"), count(path, "step"), count(path, "event")) == (0, 0, 0)
    with Store(path) as store:  # the same import, uninterrupted, then goes through whole
        assert store.import_rows(interchange.to_rows(document)) == 3000
        assert lastmile_json.document(store.export_records()) == document


# Edits task 5 in one multi-step change (title, tags, notes, steps), and stops
# for good after the old steps are deleted and before the new ones are written.
EDITOR = paused_at(
    "DELETE FROM step",
    'store.edit(5, title="rewritten", tags=["new"], notes="new notes",'
    ' steps=["new one", "new two", "new three"])',
)


def test_killed_in_the_middle_of_a_multi_step_edit(tmp_path):
    path = tmp_path / "lastmile.db"
    with Store(path) as store:
        for n in range(1, 201):
            store.add(f"task {n}", final_step="ship", steps=[f"{n}a", f"{n}b"], tags=["old"],
                      notes="old notes")
        store.check(5, 1)
        before = [store.get(n) for n in range(1, 201)]
        history = store.history(5)

    kill_when_ready(python(EDITOR, str(path)))

    assert integrity(path) == "ok"
    with Store(path) as store:
        assert [store.get(n) for n in range(1, 201)] == before
        assert store.history(5) == history
        assert summaries(store)[4].steps_done == 1


# Rewrites every field of random tasks to one "generation" number in one
# change, as fast as it can, until it is killed at a random moment.
CHURN = """
import sys
from pathlib import Path
from lastmile_tui.store.store import Store
store = Store(Path(sys.argv[1]))
print("running", flush=True)
generation = int(sys.argv[2])
while True:
    generation += 1
    task_id = generation % 20 + 1
    g = f"g{generation}"
    store.edit(task_id, title=f"task {task_id} {g}", final_step=f"ship {g}", tags=[g],
               notes=f"{g} " * 500, steps=[f"{g} step {i}" for i in range(generation % 4 + 1)])
"""


def generation_of(task) -> str:
    """The one generation every field of *task* was written with (asserts they agree)."""
    g = task.tags[0]
    assert task.title.endswith(f" {g}") and task.final_step == f"ship {g}"
    assert set(task.notes.split()) == {g}
    assert task.steps and all(s.text.startswith(f"{g} step ") for s in task.steps)
    return g


def test_random_kills_during_constant_edits_never_mix_two_versions(tmp_path):
    path = tmp_path / "lastmile.db"
    with Store(path) as store:
        for n in range(1, 21):
            store.add(f"task {n} g0", final_step="ship g0", tags=["g0"], notes="g0",
                      steps=["g0 step 0"])
    rng = random.Random(4)
    generations: set[str] = set()
    for round_ in range(5):
        proc = python(CHURN, str(path), str(round_ * 100_000))
        assert proc.stdout.readline().strip() == "running", proc.stderr.read()
        try:
            proc.wait(timeout=rng.uniform(0.05, 0.6))
        except subprocess.TimeoutExpired:  # still running, as intended
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert integrity(path) == "ok"
        with Store(path) as store:
            tasks = [store.get(n) for n in range(1, 21)]
            generations.update(generation_of(task) for task in tasks)
            assert count(path, "task") == 20
            # every recorded change left a restorable snapshot of a whole version
            conn = sqlite3.connect(path)
            for (before,) in conn.execute("SELECT before FROM event WHERE before IS NOT NULL"):
                snapshot = json.loads(before)
                assert snapshot["title"].endswith(" " + snapshot["tags"][0])
            conn.close()
    assert len(generations) > 20  # the edits really ran between the kills
