"""``v`` marks tasks on the board and c, D or z then act on all of them in one store call."""

from __future__ import annotations

from lastmile_tui.domain.task import Status
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.confirm import ConfirmAllScreen
from lastmile_tui.ui.screens.drop import DropScreen
from lastmile_tui.ui.widgets.task_list import TaskList
from tests.ui.conftest import press

SIZE = (120, 35)


def three(store):
    store.add("Send invoice", final_step="email PDF [b]now[/b]", steps=["export"])
    store.check(1, 1)  # last mile: first in the ranking
    store.add("Call bank", final_step="ask about the fee", steps=["find number", "x"])
    store.check(2, 1)
    store.add("Plan offsite", final_step="book the room")
    return store


def rows(app) -> list[str]:
    tasks = app.screen.query_one(TaskList)
    return [tasks.row_text(r) for r in range(len(tasks._rows))]


def header(app) -> str:
    return str(app.screen.query_one("#counts").render())


async def test_v_marks_and_moves_on_and_esc_clears(store, make):
    three(store)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "v")
        marked = [r for r in rows(app) if r.startswith("•")]
        assert len(marked) == 2 and "Send invoice" in marked[0] and "Call bank" in marked[1]
        assert "2 marked" in header(app)
        await press(pilot, "v")  # a third, then unmark by marking again
        await press(pilot, "k", "v")
        assert "2 marked" in header(app)
        await press(pilot, "escape")
        assert not any(r.startswith("•") for r in rows(app))
        assert "marked" not in header(app)


async def test_c_asks_once_listing_every_final_step_and_completes_all(store, make):
    three(store)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "v", "c")
        assert isinstance(app.screen, ConfirmAllScreen)
        shown = [str(s.render()) for s in app.screen.query(".final-step")]
        assert shown == ["email PDF [b]now[/b]", "ask about the fee"]  # plain text, not markup
        await press(pilot, "y")
        assert isinstance(app.screen, BoardScreen)
        assert [store.get(i).status for i in (1, 2, 3)] == [Status.DONE, Status.DONE, Status.OPEN]
        assert "marked" not in header(app)


async def test_n_leaves_every_marked_task_open_and_keeps_the_marks(store, make):
    three(store)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "v", "c", "n")
        assert all(store.get(i).status is Status.OPEN for i in (1, 2, 3))
        assert "2 marked" in header(app)


async def test_a_task_that_cannot_finish_refuses_the_whole_batch(store, make):
    three(store)
    store.add("No finish line", steps=["a"])
    store.check(4, 1)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        for task_id in (1, 4):
            app.screen.query_one(TaskList).toggle_mark(task_id)
        await press(pilot, "c")
        assert isinstance(app.screen, BoardScreen)  # nothing asked
        assert all(store.get(i).status is Status.OPEN for i in (1, 2, 3, 4))


async def test_d_drops_every_marked_task_with_one_reason(store, make):
    three(store)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "v", "v", "D")
        assert isinstance(app.screen, DropScreen)
        await press(pilot, *"out of scope", "enter")
        assert [store.get(i).status for i in (1, 2, 3)] == [Status.OPEN, Status.DROPPED,
                                                            Status.DROPPED]
        assert store.get(3).dropped_reason == "out of scope"


async def test_z_waits_every_marked_task_and_they_leave_the_board(store, make):
    three(store)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "j", "v", "z")
        assert store.get(1).wait is not None and store.get(3).wait is not None
        assert store.get(2).wait is None
        assert store.review_queue() == [2]  # and review obeys the wait


async def test_one_task_keys_say_so_while_tasks_are_marked(store, make):
    three(store)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "e")
        assert isinstance(app.screen, BoardScreen)
        await press(pilot, "space")
        assert store.get(2).steps_done == 1  # nothing checked


async def test_the_marks_count_fits_the_header_at_80_columns(store, make):
    three(store)
    app = make(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "v", "v")
        shown = header(app)
        assert "2 marked" in shown and "\n" not in shown and len(shown) <= 80, shown
        await press(pilot, "escape")
        assert "done today" in header(app)  # without marks, the fuller header again
