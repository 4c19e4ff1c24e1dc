"""The store's import door (``Store.import_tasks``): add by uid, update when the source changed,
skip when it did not, dry runs that write nothing, and the guard kept for tasks that arrive done."""

from __future__ import annotations

from datetime import datetime

import pytest

from lastmile_tui.domain.errors import InvalidInput, NotFound
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.imports import Batch, Skipped, arrived
from lastmile_tui.domain.task import Priority, Status, Step, Task
from lastmile_tui.store.store import Store

NOW = datetime(2026, 11, 30, 9, 0)
OWNS = frozenset({"title", "tags", "due", "priority", "status", "notes"})


def incoming(uid: str, title: str, where: str = "tasks[0]", **fields: object):
    task = Task(None, title, uid=uid, created_at=NOW, updated_at=NOW, **fields)  # type: ignore[arg-type]
    return arrived(task, where, OWNS, "Taskwarrior")


def batch(*tasks, skipped=()) -> Batch:
    return Batch("Taskwarrior", list(tasks), list(skipped))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db", clock=lambda: NOW, create=True) as s:
        yield s


def test_a_new_uid_adds_the_same_file_again_adds_nothing(store):
    file = batch(incoming("a", "Pay rent", priority=Priority.H), incoming("b", "Call mum", where="tasks[1]"),
                 skipped=[Skipped("tasks[2]", "old thing", "deleted in Taskwarrior")])
    first = store.import_tasks(file)
    assert [t.title for t in first.added] == ["Pay rent", "Call mum"]
    assert first.added[0].priority is Priority.H and first.added[0].uid == "a"
    again = store.import_tasks(file)
    assert (again.added, again.updated, len(again.unchanged)) == ([], [], 2)


def test_a_changed_source_updates_only_what_it_owns(store):
    store.import_tasks(batch(incoming("a", "Pay rent")))
    store.add_step(1, "log in to the bank")  # lastmile's own: the source has no steps
    store.edit(1, final_step="transfer confirmed")
    report = store.import_tasks(batch(incoming("a", "Pay the rent", tags=("home",))))
    assert [t.id for t in report.updated] == [1]
    task = store.get(1)
    assert (task.title, task.tags, task.final_step) == ("Pay the rent", ("home",), "transfer confirmed")
    assert task.steps == (Step("log in to the bank"),)
    assert store.history(1)[0].kind is EventKind.IMPORT_UPDATED


def test_an_unchanged_source_keeps_edits_made_in_lastmile(store):
    file = batch(incoming("a", "Pay rent"))
    store.import_tasks(file)
    store.edit(1, title="Pay rent for December")
    report = store.import_tasks(file)
    assert len(report.unchanged) == 1
    assert store.get(1).title == "Pay rent for December"


def test_a_task_done_elsewhere_says_so_and_is_not_confirmed(store):
    store.import_tasks(batch(incoming("a", "Old report", status=Status.DONE, done_at=NOW)))
    task = store.get(1)
    assert task.status is Status.DONE and task.done_elsewhere == "Taskwarrior"
    assert not task.final_confirmed
    event = store.history(1)[0]
    assert event.kind is EventKind.IMPORTED_DONE
    assert "not confirmed in lastmile" in event.detail


def test_reopened_at_the_source_loses_the_completion(store):
    store.import_tasks(batch(incoming("a", "Old report", status=Status.DONE, done_at=NOW)))
    store.import_tasks(batch(incoming("a", "Old report")))
    task = store.get(1)
    assert task.status is Status.OPEN and not task.done_elsewhere and task.done_at is None


def test_a_dry_run_writes_nothing_but_reports_exactly(store):
    store.import_tasks(batch(incoming("a", "Pay rent")))
    report = store.import_tasks(batch(incoming("a", "Pay the rent"), incoming("b", "New", "tasks[1]")),
                                dry_run=True)
    assert [t.title for t in report.added] == ["New"]
    assert [t.title for t in report.updated] == ["Pay the rent"]
    assert store.get(1).title == "Pay rent"
    assert [e.kind for e in store.history(1)] == [EventKind.IMPORTED]
    with pytest.raises(NotFound):
        store.get(2)


def test_one_uid_twice_in_a_file_names_both_and_imports_nothing(store):
    with pytest.raises(InvalidInput, match=r"tasks\[1\]: the same task as tasks\[0\]"):
        store.import_tasks(batch(incoming("a", "One"), incoming("a", "Two", "tasks[1]")))


def test_a_bad_record_is_named_before_anything_is_written():
    with pytest.raises(InvalidInput, match=r"line 3: title must not be blank; nothing was imported"):
        incoming("a", "  ", where="line 3")
    with pytest.raises(InvalidInput, match=r"line 4: title contains control characters"):
        incoming("b", "evil \x1b]52;c;aGk=\x07", where="line 4")


def test_an_import_cannot_make_a_task_look_confirmed(store):
    """A done task from another tool is never given lastmile's confirmation."""
    store.import_tasks(batch(incoming("a", "Sign", status=Status.DONE, done_at=NOW)))
    assert store.get(1).final_step_confirmed_at is None
    store.reopen(1)
    assert store.get(1).done_elsewhere == ""


def test_the_same_task_said_again_in_another_form_is_unchanged(store):
    """A task read back from its own export (times to the second, a new digest) updates nothing:
    no history, no new ``updated_at``; the new digest is kept, so the next import skips it."""
    store.add("Pay rent", final_step="transfer it", steps=["log in"])
    store.check(1, 1)
    task = store.get(1)
    steps = tuple(Step(s.text, s.done_at and s.done_at.replace(microsecond=0)) for s in task.steps)
    said_again = task.with_changes(id=None, steps=steps)
    again = Batch("iCalendar", [arrived(said_again, "VTODO 1", OWNS | {"steps", "final_step"}, "iCalendar")])
    report = store.import_tasks(again)
    assert (report.updated, len(report.unchanged)) == ([], 1)
    assert store.get(1) == task.with_changes(source_hash=again.tasks[0].task.source_hash)
    assert [e.kind for e in store.history(1)][0] is not EventKind.IMPORT_UPDATED
    assert len(store.import_tasks(again).unchanged) == 1
    changed = Batch("iCalendar", [arrived(said_again.with_changes(title="Pay the rent"), "VTODO 1",
                                          OWNS, "iCalendar")])
    assert [t.title for t in store.import_tasks(changed).updated] == ["Pay the rent"]
