"""A person changes a task while a sync runs (the app is open, another shell): the sync decided
on what it read, so the store's door checks, inside its write transaction, that every task the
pull decided on is still as it was read; if not it writes nothing and the sync decides again.
The edit happens for real in between, through a second Store on the same database file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lastmile_tui.domain.errors import SyncFailed
from lastmile_tui.domain.history import EventKind
from lastmile_tui.formats import ical
from lastmile_tui.store.store import Store
from lastmile_tui.sync import caldav_sync

from .test_caldav_sync import a_phone_write_before_the_push, phone_todo


def other_shell(machine, minutes: float):
    """Another process on the same database (the app, a second shell), its clock *minutes* on."""
    return Store(machine.store.path, clock=lambda: machine.now + timedelta(minutes=minutes), create=False)


def edit_after_deciding(monkeypatch, machine, *, minutes: float, on_call: int = 1, **fields):
    """Edit the task ``fields['uid']`` once, right after the sync's *on_call*-th decision (it
    has read the local tasks and decided), before the store writes what was decided."""
    uid = fields.pop("uid")
    original = caldav_sync._Sync._decide
    calls = []

    def decide_then_edit(self, *args, **kwargs):
        pull = original(self, *args, **kwargs)
        calls.append(pull)
        if len(calls) == on_call:
            shell = other_shell(machine, minutes)
            try:
                task = next(t for t in shell.all_tasks() if t.uid == uid)
                shell.edit(task.id, **fields)
            finally:
                shell.close()
        return pull

    monkeypatch.setattr(caldav_sync._Sync, "_decide", decide_then_edit)
    return calls


def test_an_edit_made_while_the_pull_decides_is_not_overwritten(laptop, desktop, monkeypatch):
    made = laptop.store.add("Book the venue", final_step="sign the contract")
    laptop.sync()
    desktop.sync()
    desktop.advance(5)
    desktop.store.edit(desktop.task(made.uid).id, title="Book the venue for May")
    desktop.sync()
    # the laptop's sync downloads the desktop's change, reads its own tasks (untouched), decides
    # to take the server's version, and right then the person renames the task here (later)
    calls = edit_after_deciding(monkeypatch, laptop, minutes=10, uid=made.uid,
                                title="Book the venue for June")
    report = laptop.sync()
    assert len(calls) == 2  # the store refused the first decision; the second saw the edit
    assert laptop.task(made.uid).title == "Book the venue for June"  # not silently overwritten
    assert len(report.conflicts) == 1 and "this machine's newer change kept" in report.conflicts[0]
    assert [line.split()[0] for line in report.requests].count("REPORT") == 2  # token + 1 multiget
    assert len(report.pushed) == 1
    desktop.sync()
    assert desktop.task(made.uid).title == "Book the venue for June"
    # the desktop's version lost, and is kept in the laptop's history
    assert EventKind.SYNC_CONFLICT in [e.kind for e in laptop.store.history(laptop.task(made.uid).id)]


def test_an_older_edit_made_meanwhile_loses_by_the_rules_and_undo_brings_it_back(laptop, desktop,
                                                                                  monkeypatch):
    made = laptop.store.add("Order paint", final_step="check the colour")
    laptop.sync()
    desktop.sync()
    desktop.advance(30)
    desktop.store.edit(desktop.task(made.uid).id, notes="two litres, white")
    desktop.sync()
    edit_after_deciding(monkeypatch, laptop, minutes=1, uid=made.uid, notes="one litre, grey")
    report = laptop.sync()
    assert len(report.conflicts) == 1 and "the server's newer change kept" in report.conflicts[0]
    assert laptop.task(made.uid).notes == "two litres, white"
    laptop.store.undo()  # the edit made meanwhile is not lost: it comes back
    assert laptop.task(made.uid).notes == "one litre, grey"


def test_a_task_that_keeps_changing_stops_the_pull_with_one_line_and_writes_nothing(
        laptop, desktop, monkeypatch):
    made = laptop.store.add("Fix the gate", final_step="close it")
    laptop.sync()
    desktop.sync()
    desktop.advance(5)
    desktop.store.edit(desktop.task(made.uid).id, title="Fix the garden gate")
    desktop.sync()
    token = laptop.store.sync_state()["sync_token"]
    original = laptop.store.sync_pull
    edits = iter(range(1, 100))

    def edit_then_pull(pull):
        shell = other_shell(laptop, next(edits))
        try:
            shell.edit(laptop.task(made.uid).id, notes=f"edit {shell.clock()}")
        finally:
            shell.close()
        return original(pull)

    monkeypatch.setattr(laptop.store, "sync_pull", edit_then_pull)
    with pytest.raises(SyncFailed) as caught:
        laptop.sync()
    message = str(caught.value)
    assert "kept changing" in message and "nothing was pulled" in message and "\n" not in message
    assert laptop.task(made.uid).title == "Fix the gate"  # nothing of the server's written
    assert laptop.store.sync_state()["sync_token"] == token  # the next sync asks again
    assert next(edits) == caldav_sync.PULL_ATTEMPTS + 1
    monkeypatch.setattr(laptop.store, "sync_pull", original)
    report = laptop.sync()
    assert len(report.conflicts) == 1  # both changed: now decided by the rules


def test_an_edit_during_the_412_pull_is_not_overwritten(laptop, phone, monkeypatch):
    made, calendar = a_phone_write_before_the_push(laptop, phone, monkeypatch)
    # the pull has nothing to decide (call 1), the 412 brings the phone's version and decides
    # (call 2): the person edits the task right then, later than the phone
    calls = edit_after_deciding(monkeypatch, laptop, minutes=60 * 24, on_call=2, uid=made.uid,
                                 notes="from the laptop, later")
    report = laptop.sync()
    assert len(calls) == 3 and any(line.endswith(" 412") for line in report.requests)
    assert len(report.conflicts) == 1 and "this machine's newer change kept" in report.conflicts[0]
    task = laptop.task(made.uid)
    assert task.notes == "from the laptop, later"
    assert len(report.pushed) == 1  # and it went up, over the phone's
    assert "from the laptop, later" in str(phone_todo(calendar, made.uid)[1]["DESCRIPTION"])


def test_a_task_changed_between_digest_and_put_goes_up_again_next_time(laptop, phone, monkeypatch):
    made = laptop.store.add("Send the card", final_step="post it")
    original_put = caldav_sync._Sync._put
    sent = []

    def edit_then_put(self, task, item, digest, *args, **kwargs):
        sent.append(task)
        shell = other_shell(laptop, 1)
        try:
            shell.edit(made.id, title="Send the birthday card")
        finally:
            shell.close()
        return original_put(self, task, item, digest, *args, **kwargs)

    monkeypatch.setattr(caldav_sync._Sync, "_put", edit_then_put)
    assert len(laptop.sync().pushed) == 1
    monkeypatch.setattr(caldav_sync._Sync, "_put", original_put)
    calendar = phone()
    assert str(phone_todo(calendar, made.uid)[1]["SUMMARY"]) == "Send the card"  # what was sent
    recorded = laptop.store.sync_items()[made.uid].synced_digest
    assert recorded == ical.digest(sent[0]) != ical.digest(laptop.task(made.uid))
    again = laptop.sync()
    assert [t.title for t in again.pushed] == ["Send the birthday card"]
    assert str(phone_todo(calendar, made.uid)[1]["SUMMARY"]) == "Send the birthday card"
    assert not laptop.sync().pushed
