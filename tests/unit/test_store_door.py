"""Store.apply: the one door every change goes through, single or batched, in one transaction."""

from __future__ import annotations

import sqlite3

import pytest

from lastmile_tui.domain import task as rules
from lastmile_tui.domain.changes import Change, Create
from lastmile_tui.domain.errors import GuardError, InvalidInput, NotFound
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Status, Task
from tests.conftest import NOW


def rows(path) -> tuple[list, list]:
    with sqlite3.connect(path) as conn:
        return (conn.execute("SELECT * FROM task ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM event ORDER BY id").fetchall())


def test_a_batch_is_written_whole(store):
    store.add("Pay rent", final_step="transfer")
    made = store.apply([
        Create(Task(None, "Water the plants", final_step="water them", created_at=NOW, updated_at=NOW)),
        Change(1, lambda t, now: rules.complete(t, now, confirming=True, seen="transfer"),
               EventKind.COMPLETED),
    ])
    assert [t.title for t in made] == ["Water the plants", "Pay rent"]
    assert made[0].id == 2 and store.get(1).status is Status.DONE
    assert [e.kind for e in store.history(1)] == [EventKind.COMPLETED, EventKind.CREATED]


@pytest.mark.parametrize("failing", [
    Change(1, lambda t, now: rules.complete(t, now, confirming=False), EventKind.COMPLETED),
    Change(99, lambda t, now: t, EventKind.EDITED),
])
def test_one_refused_change_writes_nothing_of_the_batch(store, db_path, failing):
    store.add("Pay rent", final_step="transfer")
    before = rows(db_path)
    with pytest.raises((InvalidInput, NotFound, GuardError)):
        store.apply([Create(Task(None, "new", created_at=NOW, updated_at=NOW)),
                     Change(1, lambda t, now: rules.drop(t, now, "no"), EventKind.DROPPED), failing])
    assert rows(db_path) == before


def test_no_transition_can_make_a_task_done_without_its_confirmation(store, db_path):
    store.add("Pay rent", final_step="transfer")
    before = rows(db_path)
    sneaky = Change(1, lambda t, now: t.with_changes(status=Status.DONE, done_at=now),
                    EventKind.COMPLETED)
    with pytest.raises(InvalidInput, match="confirmed"):
        store.apply([sneaky])
    with pytest.raises(InvalidInput, match="confirmed"):
        store.apply([Create(Task(None, "x", final_step="f", status=Status.DONE, done_at=NOW,
                                 created_at=NOW, updated_at=NOW))])
    assert rows(db_path) == before
