"""Tasks another app says are done (a CalDAV sync brought the claim) lead the board in their own
lane, and ``c`` asks "Completed elsewhere — did you do this?": yes finishes the task (the server
copy then carries the confirmation), not yet turns the claim down with a note, escape leaves it
waiting. Review asks about claims first, with the same answers."""

from __future__ import annotations

from datetime import datetime

from lastmile_tui.domain.imports import OWNABLE, Batch, arrived
from lastmile_tui.domain.ranking import Stage
from lastmile_tui.domain.sync import claimed
from lastmile_tui.domain.task import Status, Task
from lastmile_tui.formats import ical
from lastmile_tui.ui.paging import CLAIMS_HINT
from lastmile_tui.ui.screens.confirm import ConfirmClaimScreen, ConfirmFinalScreen
from lastmile_tui.ui.screens.final_step import FinalStepScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from lastmile_tui.ui.widgets.detail import TaskDetail
from lastmile_tui.ui.widgets.task_list import TaskList
from tests.ui.conftest import press

SIZE = (120, 30)
DONE_ON_THE_PHONE = datetime(2026, 11, 25, 8, 0)
QUESTION = "completed elsewhere \u2014 did you do \u2039check the bank shows it\u203a?"


def claim(store, title: str, final_step: str, uid: str = "phone-rent") -> Task:
    """A task a phone marked COMPLETED, arriving through the sync's own rule and the import door."""
    task = Task(None, title, final_step=final_step, uid=uid, status=Status.DONE,
                done_at=DONE_ON_THE_PHONE, created_at=DONE_ON_THE_PHONE, updated_at=DONE_ON_THE_PHONE)
    incoming = claimed(arrived(task, "VTODO 1", OWNABLE, "CalDAV"), "CalDAV")
    return store.import_tasks(Batch("CalDAV", [incoming])).added[0]


def rows(app) -> list[str]:
    tasks = app.screen.query_one(TaskList)
    return [tasks.row_text(row).rstrip() for row in range(6)]


async def test_a_claim_leads_the_board_in_its_own_lane(seeded, make):
    task = claim(seeded, "Pay [b]rent[/b]", "check the bank shows it")
    assert task.status is Status.OPEN and task.done_claimed_at == DONE_ON_THE_PHONE
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        top = rows(app)
        assert top[0].strip() == f"{Stage.CLAIMED.label} · 1 · {CLAIMS_HINT}"
        assert "Pay [b]rent[/b]" in top[1]  # the title as typed, never markup
        assert top[2] == "" and top[3].strip() == "On the last mile · 1"  # the rest after a gap
        assert app.screen.query_one(TaskList).highlighted_id == task.id  # the cursor starts on it
        await pilot.pause(0.3)
        assert str(app.screen.query_one("#detail-reason").render()) == QUESTION
        assert not app.screen.query("#claims")  # no banner: the lane says it


async def test_c_then_yes_finishes_it_and_the_server_copy_carries_the_confirmation(seeded, make):
    task = claim(seeded, "Pay rent", "check the bank shows it")
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c")
        dialog = app.screen
        assert isinstance(dialog, ConfirmClaimScreen)
        assert str(dialog.query_one("#question").render()) == "Completed elsewhere — did you do this?"
        assert str(dialog.query_one("#final-step").render()) == "check the bank shows it"
        await press(pilot, "y")
        done = seeded.get(task.id)
        assert done.status is Status.DONE and done.done_claimed_at is None
        assert done.final_step_confirmed_at is not None and not done.done_elsewhere
        vtodo = ical.vtodo(done)  # what the next sync puts on the server
        assert vtodo["STATUS"] == "COMPLETED" and ical.FINAL_CONFIRMED in vtodo
        assert Stage.CLAIMED.label not in rows(app)[0]  # the lane is gone with its last claim


async def test_c_then_not_yet_turns_the_claim_down_with_a_note(seeded, make):
    task = claim(seeded, "Pay rent", "check the bank shows it")
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c")
        assert isinstance(app.screen, ConfirmClaimScreen)
        await press(pilot, "n")
        kept = seeded.get(task.id)
        assert kept.status is Status.OPEN and kept.done_claimed_at is None
        assert "Not done yet" in kept.notes  # the phone will read why it came back
        assert ical.vtodo(kept)["STATUS"] == "NEEDS-ACTION"
        assert seeded.history(task.id)[0].describe() == "reopened: completed elsewhere, not yet"
        assert Stage.CLAIMED.label not in rows(app)[0]


async def test_escape_leaves_the_claim_waiting_at_the_top(seeded, make):
    task = claim(seeded, "Pay rent", "check the bank shows it")
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c")
        await press(pilot, "escape")
        assert seeded.get(task.id) == task
        assert rows(app)[0].startswith(f" {Stage.CLAIMED.label}")


async def test_a_claim_without_a_final_step_asks_for_one_first(seeded, make):
    task = claim(seeded, "Buy milk", "", uid="phone-milk")
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c")
        assert isinstance(app.screen, FinalStepScreen)
        assert "Another app marked this task done" in str(app.screen.query_one(".lead").render())
        await pilot.press(*"put it in the fridge")
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmClaimScreen)  # then the same question
        await press(pilot, "y")
        done = seeded.get(task.id)
        assert done.status is Status.DONE and done.final_step == "put it in the fridge"


async def test_an_unclaimed_task_still_gets_the_plain_question(seeded, make):
    claim(seeded, "Pay rent", "check the bank shows it")
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "c")
        assert isinstance(app.screen, ConfirmFinalScreen)


async def test_review_starts_with_the_claims_and_answers_them_the_same_way(seeded, make):
    rent = claim(seeded, "Pay rent", "check the bank shows it")
    milk = claim(seeded, "Buy milk", "put it away", uid="phone-milk")
    app = make(seeded, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "1 of 4" in str(app.screen.query_one("#review-counter").render())
        assert "Pay rent" in str(app.screen.query_one("#review-title").render())
        assert QUESTION in str(app.screen.query_one("#review-why").render())
        assert "Another app marked it done" in str(app.screen.query_one("#review-left").render())
        await press(pilot, "y")
        assert isinstance(app.screen, ConfirmClaimScreen)
        await press(pilot, "n")  # not yet
        assert seeded.get(rent.id).done_claimed_at is None
        assert "Buy milk" in str(app.screen.query_one("#review-title").render())
        await press(pilot, "y", "y")  # yes
        assert seeded.get(milk.id).status is Status.DONE
        assert "Send invoice" in str(app.screen.query_one("#review-title").render())
        assert app.screen.tally.finished == 1 and app.screen.tally.reviewed == 2


async def test_the_detail_pane_asks_the_question(seeded, make):
    task = claim(seeded, "Pay rent", "check the bank shows it")
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one(TaskDetail).show(seeded.get(task.id), [], seeded.clock())
        await pilot.pause()
        assert str(app.screen.query_one("#detail-reason").render()) == QUESTION
