"""Several tasks at once through the real command: ``done 3 4 7``, ``drop 5-9``, ``check 3 1 2``,
``edit 3 4 +urgent -someday``. One transaction each: a bad id or a refused task in the middle
leaves every task as it was, and the one line says which."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from lastmile_tui.store.store import Store
from tests.cli.conftest import lastmile_command
from tests.cli.test_confirmation import _read_until


def _tasks(lastmile) -> dict[int, dict]:
    return {r["id"]: r for r in json.loads(lastmile("list", "--all", "--json").out)}


def _history_size(db) -> int:
    with Store(db) as store:
        return sum(len(store.history(i)) for i in _ids(db))


def _ids(db) -> list[int]:
    with Store(db) as store:
        return [t.id for t in store.all_tasks()]


@pytest.fixture
def five(lastmile):
    for n in range(1, 6):
        assert lastmile("add", f"Task {n}", "--final", f"ship {n}", "+work").code == 0
    return lastmile


def test_done_many_with_confirm_completes_each_and_says_so(five):
    result = five("done", "1", "3-4", "--confirm")
    assert result.code == 0, result.err
    assert result.out.count("Done: task") == 3
    assert "final step confirmed: ship 3" in result.out
    status = {i: r["status"] for i, r in _tasks(five).items()}
    assert status == {1: "done", 2: "open", 3: "done", 4: "done", 5: "open"}


def test_a_bad_id_in_the_middle_changes_nothing(five):
    before = _history_size(five.db)
    result = five("done", "1", "99", "2", "--confirm")
    assert result.code == 2
    assert result.err.strip() == ("lastmile done: no task with id 99; nothing was changed "
                                  "(none of the 3 tasks)")
    assert all(r["status"] == "open" for r in _tasks(five).values())
    assert _history_size(five.db) == before


def test_a_refused_task_in_the_batch_changes_nothing(five):
    assert five("drop", "3").code == 0
    before = _history_size(five.db)
    for args in (("done", "1", "2", "3", "--confirm"), ("drop", "1-4", "--reason", "scope")):
        result = five(*args)
        assert result.code == 1, result
        assert "task 3 is dropped, not open; nothing was changed" in result.err
        assert len(result.err.strip().splitlines()) == 1
    status = {i: r["status"] for i, r in _tasks(five).items()}
    assert status == {1: "open", 2: "open", 3: "dropped", 4: "open", 5: "open"}
    assert _history_size(five.db) == before


def test_without_a_terminal_or_confirm_nothing_is_completed_and_every_unconfirmed_is_named(five):
    result = five("done", "2", "4")
    assert result.code == 1
    assert "tasks 2, 4 are not done until the final step is confirmed" in result.err
    assert "lastmile done 2 4 --confirm" in result.err
    assert all(r["status"] == "open" for r in _tasks(five).values())


def test_in_a_terminal_each_final_step_is_asked_and_a_no_leaves_that_one_open(five):
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([*lastmile_command(), "done", "1", "2", "3"], stdin=follower,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=five.env)
    os.close(follower)
    try:
        for answer, step in ((b"y\n", "ship 1"), (b"n\n", "ship 2"), (b"y\n", "ship 3")):
            shown = _read_until(proc, f"Final step: {step} — done? [y/N]".encode())
            assert shown
            os.write(leader, answer)
        out, err = proc.communicate(timeout=30)
    finally:
        os.close(leader)
    assert proc.returncode == 1, (out, err)  # not everything asked for was done
    assert b"Left open: task 2" in err
    status = {i: r["status"] for i, r in _tasks(five).items()}
    assert status == {1: "done", 2: "open", 3: "done", 4: "open", 5: "open"}


def test_drop_a_range_with_one_reason(five):
    result = five("drop", "2-4", "--reason", "out of scope")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [f"Dropped task {n}: Task {n} (out of scope)" for n in (2, 3, 4)]
    status = {i: r["status"] for i, r in _tasks(five).items()}
    assert status == {1: "open", 2: "dropped", 3: "dropped", 4: "dropped", 5: "open"}


@pytest.mark.parametrize(("word", "message"), [
    ("9-1", "'9-1' is a reversed range"),
    ("1-5000", "'1-5000' names 5000 task ids; a range holds at most 1000"),
    ("0", "ids start at 1"),
    ("x", "'x' is not a task id"),
])
def test_bad_id_words_are_one_line_and_exit_2(five, word, message):
    result = five("done", "1", word, "--confirm")
    assert result.code == 2
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err
    assert all(r["status"] == "open" for r in _tasks(five).values())


def test_check_several_steps_of_one_task(lastmile):
    lastmile("add", "Report", "--final", "send it", "--step", "draft", "--step", "figures",
             "--step", "proofread")
    result = lastmile("check", "1", "1", "3")
    assert result.code == 0, result.err
    assert result.out.startswith("Task 1: steps 1, 3 checked")
    assert _tasks(lastmile)[1]["progress"] == "2/4"
    bad = lastmile("check", "1", "2", "7")  # step 7 does not exist: step 2 stays unchecked
    assert bad.code == 2
    assert "there is no step 7; nothing was changed" in bad.err
    assert _tasks(lastmile)[1]["progress"] == "2/4"
    assert lastmile("uncheck", "1", "1", "3").code == 0
    assert _tasks(lastmile)[1]["progress"] == "0/4"


def test_edit_adds_and_removes_tags_on_many_without_replacing(five):
    assert five("edit", "1", "+someday").code == 0
    result = five("edit", "1", "2", "+urgent", "-someday", "--due", "2026-12-24", "--pri", "H")
    assert result.code == 0, result.err
    tasks = _tasks(five)
    assert tasks[1]["tags"] == ["work", "urgent"] and tasks[2]["tags"] == ["work", "urgent"]
    assert tasks[1]["due"] == tasks[2]["due"] == "2026-12-24"
    assert tasks[1]["priority"] == "H" and tasks[3]["priority"] is None
    assert tasks[3]["tags"] == ["work"]


def test_edit_tag_words_never_eat_option_values(five):
    result = five("edit", "1", "--title", "+1 more", "-work", "--notes=-x", "+home")
    assert result.code == 0, result.err
    with Store(five.db) as store:
        task = store.get(1)
    assert (task.title, task.notes, task.tags) == ("+1 more", "-x", ("home",))


def test_edit_many_refuses_a_shared_title_and_a_bad_id(five):
    title = five("edit", "1", "2", "--title", "Same")
    assert title.code == 2 and "give one id" in title.err
    bad = five("edit", "1", "42", "+x")
    assert bad.code == 2 and "no task with id 42; nothing was changed" in bad.err
    assert _tasks(five)[1]["tags"] == ["work"]


def test_batch_done_of_a_recurring_task_makes_its_next_occurrence(lastmile):
    lastmile("add", "Plain", "--final", "done it")
    with Store(lastmile.db) as store:
        store.add("Pay rent", final_step="transfer sent", due="2026-12-01", repeat="monthly")
        store.add("Water plants", final_step="all watered", due="2026-12-01", repeat="weekly")
    result = lastmile("done", "1-3", "--confirm")
    assert result.code == 0, result.err
    tasks = _tasks(lastmile)
    assert [tasks[i]["status"] for i in (1, 2, 3)] == ["done"] * 3
    following = {r["title"]: r["due"] for i, r in tasks.items() if i > 3}
    assert following == {"Pay rent": "2027-01-01", "Water plants": "2026-12-08"}
    # undo goes back one change at a time; the newest occurrence goes with its completion
    assert lastmile("undo").code == 0
    tasks = _tasks(lastmile)
    assert tasks[3]["status"] == "open" and len(tasks) == 4


def test_a_refused_recurring_batch_makes_no_occurrence(lastmile):
    with Store(lastmile.db, create=True) as store:
        store.add("Pay rent", final_step="transfer sent", due="2026-12-01", repeat="monthly")
        store.add("No finish line")
    result = lastmile("done", "1", "2", "--confirm")
    assert result.code == 1
    assert "task 2 has no final step" in result.err
    assert len(_tasks(lastmile)) == 2
