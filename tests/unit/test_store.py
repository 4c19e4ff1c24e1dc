"""The store's operations on real SQLite files: the guard, history, undo, migrations."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from lastmile_tui.domain.errors import FinalStepNotConfirmed, InvalidInput, NoFinalStep, NotFound, NotOpen
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Status, Task
from lastmile_tui.store import connection, db, schema
from lastmile_tui.store.store import Store
from lastmile_tui.store.tables import EventRow, OpenCountRow, StepRow, SyncItemRow, SyncStateRow, TaskRow
from tests.conftest import NOW
from tests.oracles.store import confirm_final, summaries


def dump(path: Path) -> list[tuple]:
    """Every row of every table, to prove that a refused operation wrote nothing."""
    conn = sqlite3.connect(path)
    try:
        rows = []
        for table in ("task", "step", "event"):
            rows += [(table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY id")]
        return rows
    finally:
        conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_add_and_read_back(store, clock):
    task = store.add(
        "  Send invoice  ",
        final_step="email PDF to client",
        steps=["export hours", "fill template"],
        due="fri",
        tags=["work", "+money"],
        notes="client: ACME\nnet 30",
    )
    assert task.id == 1
    again = store.get(1)
    assert again == task
    assert again.title == "Send invoice"
    assert again.due == date(2026, 11, 27)
    assert again.tags == ("work", "money")
    assert [s.text for s in again.steps] == ["export hours", "fill template"]
    assert again.created_at == clock.now
    assert [e.kind for e in store.history(1)] == [EventKind.CREATED]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": "   "}, "title must not be blank"),
        ({"title": "x" * 501}, "limit is 500"),
        ({"title": "ok", "due": "someday maybe"}, "someday maybe"),
        ({"title": "ok", "tags": ["two words"]}, "two words"),
        ({"title": "ok", "steps": ["  "]}, "step must not be blank"),
    ],
)
def test_bad_input_writes_nothing(store, db_path, kwargs, message):
    store.add("existing", final_step="f")
    before = dump(db_path)
    with pytest.raises(InvalidInput, match=message):
        store.add(**kwargs)
    assert dump(db_path) == before


def test_guard_refuses_completion_without_confirmation_and_writes_nothing(store, db_path):
    store.add("Send invoice", final_step="email PDF to client")
    before = dump(db_path)
    with pytest.raises(FinalStepNotConfirmed):
        store.complete(1)
    assert dump(db_path) == before
    assert store.get(1).status is Status.OPEN


def test_guard_refuses_a_task_without_final_step_even_when_confirming(store, db_path):
    store.add("Vague thing")
    before = dump(db_path)
    with pytest.raises(NoFinalStep, match="task 1 has no final step"):  # the CLI adds its hint
        store.complete(1, confirm=True)
    with pytest.raises(NoFinalStep):
        confirm_final(store, 1)
    assert dump(db_path) == before


def test_confirmed_completion(store, clock):
    store.add("Send invoice", final_step="email PDF")
    clock.advance(hours=1)
    done = store.complete(1, confirm=True)
    assert done.status is Status.DONE
    assert done.done_at == clock.now
    assert done.final_step_confirmed_at == clock.now
    assert store.get(1) == done
    assert store.history(1)[0].kind is EventKind.COMPLETED
    with pytest.raises(NotOpen):
        store.complete(1, confirm=True)


def test_confirming_first_then_completing(store):
    store.add("Tag release", final_step="push the tag")
    confirm_final(store, 1)
    assert store.complete(1).status is Status.DONE


def test_changing_final_step_withdraws_confirmation(store):
    store.add("Tag release", final_step="push the tag")
    confirm_final(store, 1)
    task = store.set_final_step(1, "push the tag and announce it")
    assert task.final_step_confirmed_at is None
    with pytest.raises(FinalStepNotConfirmed):
        store.complete(1)
    # the same text again keeps it (nothing changed)
    confirm_final(store, 1)
    assert store.set_final_step(1, "push the tag and announce it").final_confirmed


def test_check_uncheck_and_counts(store):
    store.add("Ship", final_step="deploy", steps=["a", "b"])
    store.check(1, 2)
    task = store.check_next(1)
    assert task.steps_done == 2
    summary = summaries(store)[0]
    assert (summary.steps_done, summary.steps_total) == (2, 2)
    with pytest.raises(InvalidInput, match="already checked"):
        store.check(1, 1)
    with pytest.raises(InvalidInput, match="no step 3"):
        store.check(1, 3)
    with pytest.raises(InvalidInput, match="only the final step is left"):
        store.check_next(1)
    store.uncheck(1, 1)
    assert summaries(store)[0].steps_done == 1


def test_unknown_and_invalid_ids(store):
    with pytest.raises(NotFound, match="no task with id 7"):
        store.get(7)
    for bad in (0, -1):
        with pytest.raises(InvalidInput):
            store.check(bad, 1)


def test_drop_and_reopen(store):
    store.add("Maybe", final_step="x")
    dropped = store.drop(1, "no longer needed")
    assert dropped.status is Status.DROPPED and dropped.dropped_reason == "no longer needed"
    assert summaries(store) == []
    assert [t.id for t in summaries(store, include_closed=True)] == [1]
    reopened = store.reopen(1)
    assert reopened.status is Status.OPEN and reopened.dropped_reason is None
    kinds = [e.kind for e in store.history(1)]
    assert kinds == [EventKind.REOPENED, EventKind.DROPPED, EventKind.CREATED]
    with pytest.raises(InvalidInput, match="already open"):
        store.reopen(1)


def test_reopen_done_task_withdraws_confirmation(store):
    store.add("Ship", final_step="deploy")
    store.complete(1, confirm=True)
    task = store.reopen(1)
    assert task.done_at is None and task.final_step_confirmed_at is None


def test_edit_fields_and_steps_keep_done_marks(store):
    store.add("Ship", final_step="deploy", steps=["build", "test"], due="tomorrow")
    store.check(1, 1)
    task = store.edit(1, title="Ship it", steps=["build", "review", "test"], due=None,
                      tags=["work"])
    assert task.title == "Ship it"
    assert [(s.text, s.done) for s in task.steps] == [
        ("build", True), ("review", False), ("test", False)
    ]
    assert task.due is None and task.tags == ("work",)
    event = store.history(1)[0]
    assert event.kind is EventKind.EDITED
    assert event.detail == "title, steps, due, tags"


def test_filter_by_tag(store):
    store.add("a", tags=["work"])
    store.add("b", tags=["home", "workshop"])
    assert [t.title for t in summaries(store, tag="work")] == ["a"]
    assert [t.title for t in summaries(store, tag="+workshop")] == ["b"]


def test_undo_walks_back_through_history(store):
    store.add("Ship", final_step="deploy", steps=["build"])
    store.check(1, 1)
    store.complete(1, confirm=True)
    task, event = store.undo()
    assert event.kind is EventKind.COMPLETED
    assert task.status is Status.OPEN and task.final_step_confirmed_at is None
    task, event = store.undo()
    assert event.kind is EventKind.STEP_CHECKED
    assert store.get(1).steps_done == 0 and summaries(store)[0].steps_done == 0
    task, event = store.undo()
    assert event.kind is EventKind.CREATED
    assert task.status is Status.DROPPED  # an undone add is closed, never deleted
    with pytest.raises(InvalidInput, match="nothing to undo"):
        store.undo()
    assert [e.undone for e in store.history(1) if e.kind is not EventKind.UNDONE] == [
        True, True, True
    ]


def test_undo_puts_back_exactly_one_tasks_previous_state(store, clock):
    store.add("Other", final_step="x", steps=["o"])
    store.add("Ship", final_step="deploy", steps=["build", "test"], due="fri", tags=["work"],
              notes="first notes")
    store.add("Third")
    store.check(2, 1)
    confirm_final(store, 2)
    clock.advance(hours=1)
    others = [store.get(1), store.get(3)]
    before = store.get(2)
    store.edit(2, title="Ship it", final_step="deploy and announce", steps=["test", "write"],
               due=None, tags=["home"], notes="changed")
    clock.advance(hours=1)
    restored, event = store.undo()
    assert event.kind is EventKind.EDITED and event.task_id == 2
    assert restored == before and store.get(2) == before  # checked step and confirmation too
    assert [store.get(1), store.get(3)] == others
    assert [e.kind for e in store.history(2)[:2]] == [EventKind.UNDONE, EventKind.EDITED]
    assert store.history(2)[1].undone


def test_undoing_a_completion_reopens_it_and_withdraws_the_confirmation(store):
    store.add("Ship", final_step="deploy")
    store.complete(1, confirm=True)
    task, event = store.undo()
    assert event.kind is EventKind.COMPLETED
    assert task.status is Status.OPEN and task.done_at is None and not task.final_confirmed
    with pytest.raises(FinalStepNotConfirmed):  # the guard applies again
        store.complete(1)
    assert summaries(store)[0].final_step_confirmed_at is None


def test_undo_goes_back_one_change_at_a_time(store):
    store.add("Ship", final_step="deploy")
    confirm_final(store, 1)
    store.complete(1)
    assert store.undo()[0].final_confirmed  # back to confirmed-but-open
    task, event = store.undo()
    assert event.kind is EventKind.FINAL_CONFIRMED and not task.final_confirmed
    assert store.undo()[1].kind is EventKind.CREATED
    with pytest.raises(InvalidInput, match="nothing to undo: this is the start of the history"):
        store.undo()
    assert store.get(1).title == "Ship"  # undoing everything still deletes nothing


def test_the_final_step_of_a_done_task_stays_as_confirmed(store, db_path):
    store.add("Ship", final_step="deploy")
    store.complete(1, confirm=True)
    before = dump(db_path)
    for change in ({"final_step": "something else"}, {"final_step": ""}):
        with pytest.raises(NotOpen):
            store.edit(1, **change)
    assert dump(db_path) == before
    assert store.edit(1, title="Shipped").final_confirmed  # other fields can still change


def test_ids_beyond_sqlite_integers_are_refused_not_crashed(store):
    for bad in (2**63, 10**30, True):
        with pytest.raises(InvalidInput, match="is not a task id"):
            store.get(bad)
    with pytest.raises(NotFound):
        store.get(2**63 - 1)


def test_snooze_and_review_marks(store, clock):
    store.add("Ship", final_step="deploy")
    assert store.snooze(1, 3).wait == date(2026, 11, 28)
    store.mark_reviewed(1)
    assert store.get(1).reviewed_on == clock.now.date()
    with pytest.raises(InvalidInput):
        store.snooze(1, 0)


def test_data_version_changes_when_another_connection_writes(store, db_path):
    first = store.data_version()
    assert store.data_version() == first
    with Store(db_path) as other:
        other.add("from elsewhere")
    assert store.data_version() != first


def test_changed_elsewhere_is_news_of_other_programs_only(store, db_path):
    assert not store.changed_elsewhere()  # the first call sets the mark
    store.add("mine")
    assert not store.changed_elsewhere()  # our own write is not news
    with Store(db_path) as other:
        other.add("from elsewhere")
    assert store.changed_elsewhere()
    assert not store.changed_elsewhere()  # told once


# -- the file itself ----------------------------------------------------------


def test_pragmas_and_schema_version(store, db_path):
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()
    c = store._connection()  # the store's own connection has the pragmas
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] == connection.BUSY_TIMEOUT_MS


def test_created_with_parent_folders(tmp_path):
    path = tmp_path / "a" / "b" / "lastmile.db"
    with Store(path) as s:
        s.add("x")
    assert path.exists()


def test_tables_match_the_migrated_schema(store, db_path):
    conn = sqlite3.connect(db_path)
    for model in (TaskRow, StepRow, EventRow, SyncItemRow, SyncStateRow, OpenCountRow):
        table = model.__tablename__
        on_disk = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        assert on_disk == set(model.__table__.columns.keys()), table
    conn.close()


def test_the_column_list_is_the_task_table_and_the_task():
    """One list (schema.TASK_COLUMNS) names the task table's columns: the migrations reach it,
    the SQLModel table declares it, and every column that is not the store's own bookkeeping
    is a field of the domain's Task (and, when marked, of the board's TaskSummary)."""
    from lastmile_tui.domain.task import TaskSummary

    listed = {column.name for column in schema.TASK_COLUMNS}
    assert schema.expected_tables(schema.SCHEMA_VERSION)["task"] == {"id", *listed}
    assert set(TaskRow.__table__.columns.keys()) == {"id", *listed}
    task_fields = set(Task.FIELDS)
    kept_by_store = {c.name for c in schema.TASK_COLUMNS if c.kind in ("rank", "count")}
    assert listed - kept_by_store <= task_fields
    assert task_fields - listed == {"id", "steps"}
    summary = [c.name for c in schema.TASK_COLUMNS if c.summary and c.kind != "rank"]
    assert set(TaskSummary.FIELDS) == {"id", *summary}


def make_v1_database(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    db.migrate(conn, path, target=1)
    conn.execute(
        "INSERT INTO task (id, title, final_step, tags, status, created_at, updated_at,"
        " steps_total, steps_done) VALUES (1, 'Old task', 'send it', 'work', 'open',"
        " '2026-11-01 09:00:00.000000', '2026-11-02 09:00:00.000000', 1, 1)"
    )
    conn.execute(
        "INSERT INTO step (task_id, position, text, done_at)"
        " VALUES (1, 0, 'write it', '2026-11-02 09:00:00.000000')"
    )
    conn.close()


def test_migrates_an_old_schema_with_data_intact(tmp_path):
    path = tmp_path / "old.db"
    make_v1_database(path)
    with Store(path) as s:
        task = s.get(1)
        assert task.title == "Old task" and task.final_step == "send it"
        assert task.steps[0].done and task.tags == ("work",)
        assert task.wait is None  # the v2 column exists and is empty
        s.snooze(1, 2)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()


def test_refuses_a_newer_schema_without_touching_it(tmp_path):
    path = tmp_path / "future.db"
    with Store(path) as s:
        s.add("x")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    digest = sha(path)
    with pytest.raises(connection.SchemaTooNew, match="newer lastmile"):
        Store(path)
    assert sha(path) == digest


def test_refuses_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, I am not SQLite\n" * 100)
    digest = sha(path)
    with pytest.raises(connection.DatabaseProblem, match="cannot open database"):
        Store(path)
    assert sha(path) == digest


def test_refuses_a_folder(tmp_path):
    with pytest.raises(connection.DatabaseProblem, match="is a folder"):
        Store(tmp_path)


def test_an_upgrade_to_v3_ranks_the_old_tasks_with_the_domain_rule(tmp_path):
    from lastmile_tui.domain.ranking import order_columns
    from tests.oracles.ranking import rank

    path = tmp_path / "old.db"
    make_v1_database(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executemany(
        "INSERT INTO task (id, title, final_step, due, status, created_at, updated_at,"
        " final_step_confirmed_at, steps_total, steps_done) VALUES (?, ?, ?, ?, 'open',"
        " '2026-11-01 09:00:00.000000', ?, ?, ?, ?)",
        [
            (2, "no finish", "", None, "2026-11-03 09:00:00.000000", None, 0, 0),
            (3, "due soon", "sign", "2026-11-26", "2026-11-03 09:00:00.000000", None, 2, 1),
            (4, "due at five", "sign", "2026-11-26 17:00", "2026-11-03 09:00:00.000000", None, 2, 1),
            (5, "confirmed", "send", None, "2026-11-04 09:00:00.000000",
             "2026-11-04 09:00:00.000000", 3, 1),
        ],
    )
    conn.close()
    with Store(path, clock=lambda: NOW) as store:
        every = summaries(store)
        assert [t.id for t in store.ranked_page(0, 10)] == [r.item.id for r in rank(every, NOW)]
        stored = sqlite3.connect(path).execute(
            "SELECT id, rank_stage, rank_fraction, due_key, priority_rank FROM task ORDER BY id"
        ).fetchall()
    assert stored == [(t.id, *order_columns(t)) for t in sorted(every, key=lambda t: t.id)]


def kept_counts(path: Path) -> tuple[dict[int, int], dict[int, int]]:
    """What the triggers kept in ``open_count``, and what counting the open tasks says."""
    conn = sqlite3.connect(path)
    try:
        kept = {stage: n for stage, n in conn.execute("SELECT rank_stage, tasks FROM open_count") if n}
        counted = dict(conn.execute("SELECT rank_stage, count(*) FROM task WHERE status = 'open'"
                                    " GROUP BY rank_stage").fetchall())
        return kept, counted
    finally:
        conn.close()


def test_the_open_counts_follow_every_change_undo_and_import(store, db_path):
    """``open_count`` (schema v7) is kept by triggers: add, steps, the final step, done, drop,
    reopen, undo (which deletes an added task) and an import all move it."""
    from lastmile_tui.domain.imports import Batch, arrived

    first = store.add("a", final_step="f", steps=["s1", "s2"])
    second = store.add("b", final_step="g")
    store.add("c")
    store.check(first.id, 1)
    confirm_final(store, second.id)
    store.complete(second.id)
    store.drop(first.id, "no")
    assert kept_counts(db_path)[0] == kept_counts(db_path)[1]
    store.reopen(first.id)
    store.undo()
    store.undo()
    assert kept_counts(db_path)[0] == kept_counts(db_path)[1]
    came = Task(None, "d", final_step="e", uid="u-1", created_at=NOW, updated_at=NOW)  # type: ignore[arg-type]
    store.import_tasks(Batch("test", [arrived(came, "d", frozenset({"title"}), "test")]))
    kept, counted = kept_counts(db_path)
    assert kept == counted and sum(counted.values()) == store.overview().open
