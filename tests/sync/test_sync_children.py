"""Steps as child VTODOs (``[sync] steps = "children"``) against the real Radicale: two lastmile
databases and a phone (the caldav library used directly, as tasks.org would write)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.task import Status

from .test_caldav_sync import phone_todo, phone_write


@pytest.fixture
def children(laptop, desktop):
    laptop.settings = desktop.settings = replace(laptop.settings, steps="children")
    return laptop, desktop


def server_children(calendar, parent: str) -> list:
    """The child VTODOs of *parent* on the server, in their sort order."""
    found = []
    for obj in calendar.todos(include_completed=True):
        todo = Calendar.from_ical(obj.data).walk("VTODO")[0]
        related = todo.get("RELATED-TO")
        if related is not None and str(related) == parent:
            found.append(todo)
    return sorted(found, key=lambda t: int(str(t["X-APPLE-SORT-ORDER"])))


def summaries(calendar, parent: str) -> list[str]:
    return [str(t["SUMMARY"]) for t in server_children(calendar, parent)]


def tick(calendar, uid: str) -> None:
    """A phone ticks a task or a child off (it sets LAST-MODIFIED, which lastmile's children lack)."""
    obj, todo = phone_todo(calendar, uid)
    todo.setdefault("LAST-MODIFIED", datetime.now(UTC))
    phone_write(calendar, obj, todo, status="COMPLETED", completed=datetime.now(UTC), percent_complete=100)


def test_steps_appear_as_children_in_order_and_a_tick_travels(children, phone):
    laptop, desktop = children
    made = laptop.store.add("Send the invoice", final_step="email the PDF to Ana",
                            steps=["export hours", "make the PDF"])
    first = laptop.sync()
    assert len(first.pushed) == 1
    assert sum(line.startswith("PUT ") for line in first.requests) == 4  # the task and 3 children
    calendar = phone()
    kids = server_children(calendar, made.uid)
    assert [str(k["SUMMARY"]) for k in kids] == ["export hours", "make the PDF", "email the PDF to Ana"]
    assert [str(k["X-LASTMILE-ROLE"]) for k in kids] == ["step", "step", "final"]
    got = desktop.sync()
    assert [t.title for t in got.added] == ["Send the invoice"]  # one task, not four
    there = desktop.task(made.uid)
    assert [s.text for s in there.steps] == ["export hours", "make the PDF"]
    assert there.final_step == "email the PDF to Ana"
    # the phone ticks a step: the desktop's step is checked
    tick(calendar, str(kids[0]["UID"]))
    pulled = desktop.sync()
    assert [t.title for t in pulled.updated] == ["Send the invoice"]
    # the phone left the task's PERCENT-COMPLETE behind: the task goes up, the ticked child not
    assert [line.split()[0] for line in pulled.requests].count("PUT") == 1
    assert int(phone_todo(calendar, made.uid)[1]["PERCENT-COMPLETE"]) == 33
    there = desktop.task(made.uid)
    assert there.steps[0].done_at is not None and there.steps[1].done_at is None
    assert there.status is Status.OPEN
    # nothing changed: one request, nothing sent
    quiet = desktop.sync()
    assert len(quiet.requests) == 1 and not (quiet.pushed or quiet.updated)
    assert len(laptop.sync().updated) == 1 and len(laptop.sync().requests) == 1


def test_ticking_the_final_child_on_the_phone_finishes_the_task_confirmed(children, phone):
    laptop, _desktop = children
    made = laptop.store.add("Pay rent", final_step="check the bank shows it", steps=["transfer"])
    laptop.sync()
    calendar = phone()
    tick(calendar, f"{made.uid}-final")
    report = laptop.sync()
    task = laptop.task(made.uid)
    assert task.status is Status.DONE and task.final_confirmed and not task.done_elsewhere
    assert task.done_claimed_at is None and not report.claims
    assert len(report.pushed) == 1  # the server copy now says COMPLETED, confirmed
    todo = phone_todo(calendar, made.uid)[1]
    assert str(todo["STATUS"]) == "COMPLETED" and "X-LASTMILE-FINAL-CONFIRMED" in todo


def test_the_parent_completed_without_the_final_child_is_a_claim(children, phone):
    laptop, _desktop = children
    made = laptop.store.add("Fix the bike", final_step="ride it to work", steps=["new chain"])
    laptop.sync()
    calendar = phone()
    tick(calendar, made.uid)
    report = laptop.sync()
    task = laptop.task(made.uid)
    assert task.status is Status.OPEN and task.done_claimed_at is not None
    assert [t.uid for t in report.claims] == [made.uid] and not report.pushed


def test_reorder_add_and_remove_steps_here_update_only_those_children(children, phone):
    laptop, desktop = children
    made = laptop.store.add("Move flat", final_step="hand back the keys",
                            steps=["book the van", "pack", "clean"])
    laptop.sync()
    desktop.sync()
    calendar = phone()
    before = {str(k["SUMMARY"]): str(k["UID"]) for k in server_children(calendar, made.uid)}
    laptop.advance(1)
    laptop.store.edit(made.id, steps=["pack", "book the van", "clean", "cancel the internet"])
    report = laptop.sync()
    puts = [line for line in report.requests if line.startswith("PUT ")]
    # the task, the two that moved, the new one and the final step (now 5th); 'clean' untouched
    assert len(puts) == 5
    assert summaries(calendar, made.uid) == ["pack", "book the van", "clean", "cancel the internet",
                                             "hand back the keys"]
    after = {str(k["SUMMARY"]): str(k["UID"]) for k in server_children(calendar, made.uid)}
    assert all(after[text] == uid for text, uid in before.items())
    laptop.advance(1)
    laptop.store.edit(made.id, steps=["pack", "clean", "cancel the internet"])
    report = laptop.sync()
    assert sum(line.startswith("DELETE ") for line in report.requests) == 1
    assert summaries(calendar, made.uid) == ["pack", "clean", "cancel the internet", "hand back the keys"]
    desktop.sync()
    assert [s.text for s in desktop.task(made.uid).steps] == ["pack", "clean", "cancel the internet"]
    assert not laptop.sync().pushed and not desktop.sync().pushed


def test_a_child_made_on_the_phone_becomes_a_step(children, phone):
    laptop, desktop = children
    made = laptop.store.add("Plan the party", final_step="send the invitations", steps=["pick a date"])
    laptop.sync()
    desktop.sync()
    calendar = phone()
    calendar.save_todo(summary="book the room", uid="phone-room", related_to=made.uid,
                       x_apple_sort_order="2")
    report = laptop.sync()
    assert not report.added  # not a task of its own
    assert [s.text for s in laptop.task(made.uid).steps] == ["pick a date", "book the room"]
    # the next sync writes it as lastmile's own child (the phone's object is replaced)
    laptop.sync()
    assert summaries(calendar, made.uid) == ["pick a date", "book the room", "send the invitations"]
    assert "phone-room" not in {str(t["UID"]) for t in server_children(calendar, made.uid)}
    desktop.sync()
    assert [s.text for s in desktop.task(made.uid).steps] == ["pick a date", "book the room"]
    assert not laptop.sync().pushed and not desktop.sync().pushed


def test_switching_the_option_converts_the_calendar_both_ways(laptop, desktop, phone):
    made = laptop.store.add("Renew passport", final_step="post the form", steps=["photo", "fill in"])
    laptop.sync()
    calendar = phone()
    assert summaries(calendar, made.uid) == []
    laptop.settings = replace(laptop.settings, steps="children")
    report = laptop.sync()
    assert len(report.pushed) == 1 and summaries(calendar, made.uid) == ["photo", "fill in", "post the form"]
    assert "X-LASTMILE-STEP" not in phone_todo(calendar, made.uid)[1]
    # the desktop, set to nothing, follows the calendar as the laptop wrote it
    assert not desktop.sync().pushed
    assert [s.text for s in desktop.task(made.uid).steps] == ["photo", "fill in"]
    assert desktop.store.sync_state()["steps"] == "children"
    assert summaries(calendar, made.uid) == ["photo", "fill in", "post the form"]
    laptop.settings = replace(laptop.settings, steps=None)
    assert len(laptop.sync().requests) == 1  # remembered: still children, nothing to convert
    laptop.settings = replace(laptop.settings, steps="description")
    report = laptop.sync()
    assert sum(line.startswith("DELETE ") for line in report.requests) == 3
    assert summaries(calendar, made.uid) == []
    assert len(phone_todo(calendar, made.uid)[1].get("X-LASTMILE-STEP")) == 2
    desktop.sync()
    assert [s.text for s in desktop.task(made.uid).steps] == ["photo", "fill in"]


def test_the_task_deleted_on_the_server_takes_its_children_with_it(children, phone):
    laptop, _desktop = children
    made = laptop.store.add("Old errand", final_step="done", steps=["a", "b"])
    laptop.sync()
    calendar = phone()
    calendar.todo_by_uid(made.uid).delete()  # a phone that deletes the task but not its subtasks
    report = laptop.sync()
    assert report.dropped == ["Old errand"]
    assert summaries(calendar, made.uid) == []  # no orphans left behind
    assert len(laptop.sync().requests) == 1


def test_an_unknown_steps_option_is_refused_in_one_line(laptop):
    laptop.settings = replace(laptop.settings, steps="subtasks")
    with pytest.raises(InvalidInput) as caught:
        laptop.sync()
    assert "'subtasks'" in str(caught.value) and "\n" not in str(caught.value)
