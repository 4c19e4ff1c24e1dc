"""Two lastmile databases ("laptop" and "desktop") and another app ("phone", the caldav library
used directly) kept in sync through a real Radicale server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from lastmile_tui.domain.errors import SyncFailed
from lastmile_tui.domain.history import EventKind
from lastmile_tui.domain.task import Status
from lastmile_tui.sync import caldav_sync
from lastmile_tui.sync.caldav_sync import Settings, sync

from .conftest import PASSWORD, USER


def phone_todo(calendar, uid: str):
    """The stored object and its VTODO, as a phone app reads it."""
    obj = calendar.todo_by_uid(uid)
    return obj, Calendar.from_ical(obj.data).walk("VTODO")[0]


def phone_write(calendar, obj, todo, **props: object) -> None:
    """Change properties of *todo* and store it back, as a phone app does (LAST-MODIFIED now)."""
    for name, value in props.items():
        name = name.replace("_", "-").upper()
        if name in todo:
            del todo[name]
        if value is not None:
            todo.add(name, value)
    del todo["LAST-MODIFIED"]
    todo.add("LAST-MODIFIED", datetime.now(UTC))
    wrapper = Calendar.from_ical(obj.data)
    for sub in list(wrapper.subcomponents):
        wrapper.subcomponents.remove(sub)
    wrapper.add_component(todo)
    calendar.client.put(str(obj.url), wrapper.to_ical().decode(), {"Content-Type": "text/calendar"})


def test_add_on_one_sync_both_edit_on_the_other_steps_and_all(laptop, desktop):
    made = laptop.store.add("Send the invoice", final_step="email the PDF to Ana",
                            steps=["export hours", "make the PDF"], tags=["work"], priority="H")
    first = laptop.sync()
    assert len(first.pushed) == 1
    got = desktop.sync()
    assert [t.title for t in got.added] == ["Send the invoice"]
    there = desktop.task(made.uid)
    assert [s.text for s in there.steps] == ["export hours", "make the PDF"]
    assert there.final_step == "email the PDF to Ana" and there.tags == ("work",)
    desktop.advance(5)
    desktop.store.check(there.id, 1)
    desktop.store.edit(there.id, title="Send the November invoice")
    assert len(desktop.sync().pushed) == 1
    back = laptop.sync()
    assert [t.title for t in back.updated] == ["Send the November invoice"] and not back.pushed
    here = laptop.task(made.uid)
    assert here.steps[0].done_at is not None and here.steps[1].done_at is None
    # nothing changed anywhere: one request, nothing sent or taken
    quiet = laptop.sync()
    assert len(quiet.requests) == 1 and not (quiet.pushed or quiet.added or quiet.updated)


def test_a_confirmation_travels_and_closes_the_task_on_the_other_machine(laptop, desktop):
    made = laptop.store.add("Renew passport", final_step="post the form")
    laptop.sync()
    desktop.sync()
    laptop.advance(10)
    laptop.store.complete(laptop.task(made.uid).id, confirm=True)
    laptop.sync()
    desktop.sync()
    there = desktop.task(made.uid)
    assert there.status is Status.DONE and there.final_confirmed and not there.done_elsewhere


def test_a_phone_completion_waits_for_the_final_step(laptop, phone):
    made = laptop.store.add("Pay rent", final_step="check the bank shows it")
    laptop.sync()
    calendar = phone()
    obj, todo = phone_todo(calendar, made.uid)
    phone_write(calendar, obj, todo, status="COMPLETED", completed=datetime.now(UTC), percent_complete=100)
    report = laptop.sync()
    task = laptop.task(made.uid)
    assert task.status is Status.OPEN and task.done_claimed_at is not None
    assert [t.uid for t in report.claims] == [made.uid]
    assert not report.pushed  # lastmile never flips the server's COMPLETED back while it waits
    assert str(phone_todo(calendar, made.uid)[1]["STATUS"]) == "COMPLETED"
    # the person confirms: done here, and the server copy says the final step was confirmed
    laptop.advance(1)
    laptop.store.complete(task.id, confirm=True)
    assert len(laptop.sync().pushed) == 1
    todo = phone_todo(calendar, made.uid)[1]
    assert str(todo["STATUS"]) == "COMPLETED" and "X-LASTMILE-FINAL-CONFIRMED" in todo
    assert laptop.task(made.uid).done_claimed_at is None


def test_a_phone_completion_is_kept_when_this_machine_changed_the_task_too(laptop, desktop, phone):
    """Changed here (newer) and completed on a phone whose "done" did not move LAST-MODIFIED, as
    caldav's own complete() does not: this machine's change is kept, and so is the completion,
    which waits here, is never flipped back on the server, and reaches the other machine."""
    made = laptop.store.add("Pay rent", final_step="check the bank shows it")
    laptop.sync()
    desktop.sync()
    calendar = phone()
    obj, todo = phone_todo(calendar, made.uid)
    for name, value in (("STATUS", "COMPLETED"), ("PERCENT-COMPLETE", 100)):
        del todo[name]
        todo.add(name, value)
    todo.add("COMPLETED", datetime.now(UTC))  # and LAST-MODIFIED left as it was
    wrapper = Calendar.from_ical(obj.data)
    wrapper.subcomponents[:] = [todo]
    calendar.client.put(str(obj.url), wrapper.to_ical().decode(), {"Content-Type": "text/calendar"})
    laptop.advance(1)
    laptop.store.edit(made.id, notes="called the landlord")  # not synced yet
    report = laptop.sync()
    task = laptop.task(made.uid)
    assert task.notes == "called the landlord" and task.done_claimed_at is not None
    assert task.status is Status.OPEN
    assert len(report.conflicts) == 1 and "completion waits for your confirmation" in report.conflicts[0]
    assert str(phone_todo(calendar, made.uid)[1]["STATUS"]) == "COMPLETED"  # never flipped back
    desktop.sync()
    assert desktop.task(made.uid).done_claimed_at is not None
    assert desktop.task(made.uid).notes == "called the landlord"


def test_not_yet_reopens_it_on_the_server_with_a_note(laptop, phone):
    made = laptop.store.add("Fix the bike", final_step="ride it to work")
    laptop.sync()
    calendar = phone()
    obj, todo = phone_todo(calendar, made.uid)
    phone_write(calendar, obj, todo, status="COMPLETED", completed=datetime.now(UTC))
    laptop.sync()
    laptop.advance(1)
    task = laptop.store.reopen(laptop.task(made.uid).id)  # "no, not yet"
    assert task.status is Status.OPEN and task.done_claimed_at is None and "Not done yet" in task.notes
    laptop.sync()
    todo = phone_todo(calendar, made.uid)[1]
    assert str(todo["STATUS"]) == "NEEDS-ACTION" and "Not done yet" in str(todo["DESCRIPTION"])


def test_a_task_without_a_final_step_completed_elsewhere_asks_for_one(laptop, phone):
    laptop.sync()
    calendar = phone()
    calendar.save_todo(summary="Buy milk", uid="phone-milk", status="COMPLETED",
                       completed=datetime.now(UTC))
    laptop.sync()
    task = laptop.task("phone-milk")
    assert task.status is Status.OPEN and task.done_claimed_at is not None
    from lastmile_tui.domain.errors import NoFinalStep

    with pytest.raises(NoFinalStep):
        laptop.store.complete(task.id, confirm=True)


def test_a_conflict_keeps_the_newer_change_and_the_loser_in_history(laptop, desktop):
    made = laptop.store.add("Book flights", final_step="get the confirmation email")
    laptop.sync()
    desktop.sync()
    laptop.advance(1)
    laptop.store.edit(laptop.task(made.uid).id, title="Book flights to Lisbon")
    desktop.advance(30)  # the later change
    desktop.store.edit(desktop.task(made.uid).id, title="Book flights to Porto")
    laptop.sync()
    report = desktop.sync()
    assert len(report.conflicts) == 1
    assert "Porto" in report.conflicts[0] and "this machine's" in report.conflicts[0]
    assert [e.kind for e in desktop.store.history(desktop.task(made.uid).id)][0] is EventKind.SYNC_CONFLICT
    assert len(report.pushed) == 1
    laptop.sync()
    assert laptop.task(made.uid).title == desktop.task(made.uid).title == "Book flights to Porto"
    # undo on the winner brings back the version that lost
    desktop.store.undo()
    assert desktop.task(made.uid).title == "Book flights to Lisbon"


def test_the_server_wins_when_its_change_is_newer_and_undo_brings_ours_back(laptop, desktop):
    made = laptop.store.add("Call the plumber", final_step="agree a date")
    laptop.sync()
    desktop.sync()
    laptop.advance(1)
    laptop.store.edit(laptop.task(made.uid).id, notes="ours, older")
    desktop.advance(30)
    desktop.store.edit(desktop.task(made.uid).id, notes="theirs, newer")
    desktop.sync()
    report = laptop.sync()
    assert len(report.conflicts) == 1 and "server's" in report.conflicts[0]
    assert laptop.task(made.uid).notes == "theirs, newer"
    laptop.store.undo()
    assert laptop.task(made.uid).notes == "ours, older"


def test_deleted_on_the_server_and_edited_here_is_kept(laptop, phone):
    kept = laptop.store.add("Write the report", final_step="send it")
    gone = laptop.store.add("Old errand", final_step="done")
    laptop.sync()
    calendar = phone()
    calendar.todo_by_uid(kept.uid).delete()
    calendar.todo_by_uid(gone.uid).delete()
    laptop.advance(1)
    laptop.store.edit(kept.id, notes="a new thought")
    report = laptop.sync()
    assert laptop.task(kept.uid).status is Status.OPEN
    assert phone_todo(calendar, kept.uid)[1]["SUMMARY"] == "Write the report"  # sent again
    dropped = laptop.task(gone.uid)
    assert dropped.status is Status.DROPPED and report.dropped == ["Old errand"]
    assert not laptop.sync().pushed  # the deletion is not undone by sending it back


def test_foreign_properties_survive_a_change_made_here(laptop, phone):
    laptop.sync()
    calendar = phone()
    calendar.save_todo(summary="Water plants", uid="phone-plants", x_phone_colour="green",
                       description="the big ones first")
    laptop.sync()
    task = laptop.task("phone-plants")
    laptop.advance(1)
    laptop.store.edit(task.id, final_step="check the soil is wet")
    assert len(laptop.sync().pushed) == 1
    todo = phone_todo(calendar, "phone-plants")[1]
    assert str(todo["X-PHONE-COLOUR"]) == "green"
    assert str(todo["X-LASTMILE-FINAL-STEP"]) == "check the soil is wet"


def test_a_malformed_vtodo_is_skipped_and_named_the_rest_syncs(laptop, phone):
    laptop.sync()
    calendar = phone()
    bad = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\nUID:no-title\r\n"
           "DTSTAMP:20261130T090000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    calendar.client.put(str(calendar.url.join("no-title.ics")), bad, {"Content-Type": "text/calendar"})
    calendar.save_todo(summary="A fine one", uid="fine")
    report = laptop.sync()
    assert [t.uid for t in report.added] == ["fine"]
    assert len(report.skipped) == 1 and "no-title" in report.skipped[0].why
    assert "SUMMARY" in report.skipped[0].why


def test_a_wrong_password_stops_with_one_line_and_changes_nothing(laptop, radicale):
    laptop.store.add("Something", final_step="finish it")
    wrong = Settings(radicale.url, USER, "not-the-password", laptop.settings.calendar, create=True)
    with pytest.raises(SyncFailed) as caught:
        sync(laptop.store, wrong)
    assert "refused user 'alice'" in str(caught.value) and "\n" not in str(caught.value)
    assert laptop.store.sync_items() == {} and "last_sync" not in laptop.store.sync_state()


def a_phone_write_before_the_push(laptop, phone, monkeypatch):
    """A synced task edited here, and a phone that writes it between the next sync's pull and its
    push (so that push meets a 412): the task and the phone's calendar."""
    made = laptop.store.add("Plan the trip", final_step="book it")
    laptop.sync()
    calendar = phone()
    laptop.advance(1)
    laptop.store.edit(made.id, notes="from the laptop")
    original_push = caldav_sync._Sync._push

    def push_after_a_phone_write(self):
        obj, todo = phone_todo(calendar, made.uid)
        phone_write(calendar, obj, todo, categories=["travel"])  # between our pull and our push
        monkeypatch.setattr(caldav_sync._Sync, "_push", original_push)  # once
        original_push(self)

    monkeypatch.setattr(caldav_sync._Sync, "_push", push_after_a_phone_write)
    return made, calendar


def test_a_412_from_a_write_in_between_is_pulled_again_and_resolved(laptop, phone, monkeypatch):
    made, calendar = a_phone_write_before_the_push(laptop, phone, monkeypatch)
    report = laptop.sync()
    assert any(line.startswith("PUT ") and line.endswith(" 412") for line in report.requests)
    # the phone's change is newer: it won, ours is in history; nothing is lost or doubled
    assert len(report.conflicts) == 1
    assert laptop.task(made.uid).tags == ("travel",)
    assert not laptop.sync().pushed
    assert len(list(calendar.objects_by_sync_token(load_objects=False))) == 1


def test_the_server_gone_mid_sync_then_back_loses_and_doubles_nothing(tmp_path):
    from .conftest import Machine, Radicale

    server = Radicale(tmp_path / "own-server")
    server.start()
    try:
        settings = Settings(server.url, USER, PASSWORD, "tasks", create=True, timeout=5)
        laptop = Machine(tmp_path / "laptop.db", settings, datetime(2026, 11, 30, 9, 0))
        for number in range(30):
            laptop.store.add(f"task {number}", final_step="finish")
        puts = []
        original_put = caldav_sync._Sync._put

        def put_then_stop(self, *args, **kwargs):
            puts.append(1)
            if len(puts) == 10:
                server.stop()
            return original_put(self, *args, **kwargs)

        caldav_sync._Sync._put = put_then_stop
        try:
            with pytest.raises(SyncFailed) as caught:
                laptop.sync()
        finally:
            caldav_sync._Sync._put = original_put
        assert "could not reach" in str(caught.value)
        assert len(laptop.store.sync_items()) == 9
        server.start()
        report = laptop.sync()
        assert len(report.pushed) == 21 and not report.added
        desktop = Machine(tmp_path / "desktop.db", settings, datetime(2026, 11, 30, 9, 0))
        assert len(desktop.sync().added) == 30
        assert sorted(t.title for t in desktop.store.all_tasks()) == sorted(f"task {n}" for n in range(30))
        laptop.store.close()
        desktop.store.close()
    finally:
        server.stop()


def test_a_token_the_server_forgot_falls_back_to_a_listing_and_loses_nothing(laptop, desktop, phone):
    kept = laptop.store.add("Keep me", final_step="done")
    gone = laptop.store.add("Delete me", final_step="done")
    laptop.sync()
    desktop.sync()
    calendar = phone()
    calendar.todo_by_uid(gone.uid).delete()
    calendar.save_todo(summary="New on the phone", uid="phone-new")
    desktop.store.set_sync_state({"sync_token": "http://radicale.org/ns/sync/forgotten"})
    report = desktop.sync()
    assert [t.uid for t in report.added] == ["phone-new"] and report.dropped == ["Delete me"]
    assert desktop.task(kept.uid).status.value == "open"
    assert "sync_token" not in desktop.store.sync_state()  # no made-up token kept: ask for a real one
    assert len(desktop.sync().requests) == 1  # a real initial REPORT; every ETag already known
    assert desktop.store.sync_state()["sync_token"].startswith("http://radicale.org/ns/sync/")
