"""Undo knows which changes this window made, and undoes only the one a person was asked about
(issue 9, item 31). Two ``Store`` objects on one real SQLite file: the app and a shell."""

from __future__ import annotations

import pytest

from lastmile_tui.cli.errors import exit_status
from lastmile_tui.domain.errors import InvalidInput, UndoMoved
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Status
from lastmile_tui.store.store import Store
from tests.unit.test_store import dump


@pytest.fixture
def shell(db_path, clock):
    with Store(db_path, clock=clock) as s:
        yield s


def test_next_undo_names_the_change_without_undoing_it(store, shell, db_path):
    assert store.next_undo() is None
    store.add("Send invoice", final_step="email PDF", steps=["a"])
    shell.check(1, 1)
    before = dump(db_path)
    event = store.next_undo()
    assert event is not None and event.kind is EventKind.STEP_CHECKED and event.task_id == 1
    assert dump(db_path) == before
    task, undone = store.undo(expected_event_id=event.id)
    assert undone.id == event.id and task.steps_done == 0


def test_a_store_knows_the_changes_it_made_itself(store, shell):
    mine = store.add("Mine", final_step="x")
    assert store.made_here(store.next_undo().id)
    shell.add("Theirs")
    theirs = store.next_undo()
    assert theirs.task_id == 2 and not store.made_here(theirs.id)
    assert shell.made_here(theirs.id)
    store.edit(mine.id, title="Mine too")
    assert store.made_here(store.next_undo().id)
    store.undo()  # the undo itself is recorded too; the next change to undo is the shell's add
    assert store.next_undo().id == theirs.id


def test_undo_refuses_when_another_change_became_the_newest_meanwhile(store, shell, db_path):
    store.add("Plan offsite")
    asked = store.next_undo()
    shell.add("Renew passport")  # while the person reads the question
    before = dump(db_path)
    with pytest.raises(UndoMoved, match="nothing was undone") as caught:
        store.undo(expected_event_id=asked.id)
    assert exit_status(caught.value) == 1 and "Renew passport" in str(caught.value)
    assert dump(db_path) == before
    assert store.get(1).status is Status.OPEN


def test_a_rolled_back_event_is_not_counted_as_made_here(store, shell):
    """SQLite hands a rolled-back row id to the next insert: only committed events count."""
    store.add("Plan offsite")
    with pytest.raises(RuntimeError), store._session(write=True) as session:
        store._record(session, 1, EventKind.EDITED, "", None)
        raise RuntimeError("the change failed after its event was written")
    shell.edit(1, title="Plan the offsite")  # takes the id the rolled-back event had
    assert not store.made_here(store.next_undo().id)


def test_undo_with_nothing_to_undo_still_says_so(store):
    with pytest.raises(InvalidInput, match="nothing to undo"):
        store.undo(expected_event_id=1)
