"""Priorities and waits in the app (issue 12): the board's marker, the form's fields, the detail,
and review's z, which is a wait."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from lastmile_tui.domain.task import Priority
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from lastmile_tui.ui.screens.task_form import TaskFormScreen
from lastmile_tui.ui.widgets.task_list import TaskList
from tests.ui.conftest import press


def board_rows(app) -> list[str]:
    tasks = app.screen.query_one(TaskList)
    return [tasks.row_text(row) for row in range(tasks.virtual_size.height)]


def detail_text(app) -> str:
    return " ".join(str(w.render()) for w in app.screen.query("#detail-reason, #detail-meta"))


async def test_the_board_marks_priorities_and_hides_waiting_tasks(seeded, make):
    seeded.edit(3, priority="H")
    seeded.add("Renew passport", final_step="post it", wait="+3d")
    for size in ((80, 24), (120, 35)):
        app = make(seeded)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            rows = board_rows(app)
            assert any(row.startswith(" H ") and "Plan offsite" in row for row in rows), rows
            assert all(row[:3] == "   " for row in rows if "Send invoice" in row)
            assert not any("Renew passport" in row for row in rows)
            assert all(len(row) <= size[0] for row in rows)


async def test_the_form_sets_priority_and_wait_and_names_a_bad_one(seeded, make):
    app = make(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "e")  # Send invoice
        assert isinstance(app.screen, TaskFormScreen)
        app.screen.query_one("#priority", Input).value = "x"
        app.screen.query_one("#wait", Input).value = "sat"
        await pilot.pause()
        assert "hidden until Sat 28 Nov" in str(app.screen.query_one("#wait-note").render())
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TaskFormScreen)  # refused, the field says why
        assert "'x' is not one of H, M or L" in str(app.screen.query_one("#priority-note").render())
        assert seeded.get(1).priority is None
        app.screen.query_one("#priority", Input).value = "m"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BoardScreen)
    task = seeded.get(1)
    assert (task.priority, task.wait) == (Priority.M, date(2026, 11, 28))
    assert seeded.place(1) is None  # waiting: off the board


async def test_saving_other_fields_leaves_an_ended_wait_alone(seeded, make, clock):
    seeded.edit(1, wait="+1d")
    clock.advance(days=2)  # the wait has ended: "waited until thu"
    app = make(seeded)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert "waited until" in detail_text(app) and "Wait" in detail_text(app)
        await press(pilot, "e")
        app.screen.query_one("#title", Input).value = "Send the invoice"
        await press(pilot, "ctrl+s")
    task = seeded.get(1)
    assert task.title == "Send the invoice" and task.wait == date(2026, 11, 26)
    assert seeded.history(1)[0].detail == "title"


async def test_the_detail_shows_priority_and_wait(seeded, make):
    seeded.edit(1, priority="L")
    app = make(seeded)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert "Priority  L" in detail_text(app)


async def test_review_z_is_a_wait_that_takes_the_task_off_the_board(store, make):
    store.add("Send invoice", final_step="email PDF", steps=["export hours"])
    store.check(1, 1)
    app = make(store, review=True)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "wait 3d" in str(app.screen.query_one("#review-keys").render())
        await press(pilot, "z")
        messages = [n.message for n in app._notifications]
        assert any("Waiting 3 days, off the board and review until then" in str(m) for m in messages)
    assert store.get(1).wait == date(2026, 11, 28)
    assert store.place(1) is None
    assert store.history(1)[0].describe().startswith("wait set: 3d, until 2026-11-28")
