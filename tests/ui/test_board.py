"""Every board binding, driven through Textual's pilot on a temp database."""

from __future__ import annotations

import subprocess
import sys

from lastmile_tui.config import Config
from lastmile_tui.domain.task import Status
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.confirm import ConfirmFinalScreen
from lastmile_tui.ui.screens.final_step import FinalStepScreen
from lastmile_tui.ui.screens.help import HelpScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from lastmile_tui.ui.widgets.detail import TaskDetail
from lastmile_tui.ui.widgets.task_list import TaskList
from tests.oracles.store import confirm_final
from tests.ui.conftest import press

SIZE = (120, 35)


def task_list(app) -> TaskList:
    return app.screen.query_one(TaskList)


def rows(app) -> list[str]:
    tl = task_list(app)
    return [tl.row_text(i) for i in range(tl.virtual_size.height)]


async def test_board_ranks_almost_done_first_with_groups_and_counts(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        text = "\n".join(rows(app))
        assert text.index("On the last mile") < text.index("Send invoice")
        assert text.index("Send invoice") < text.index("Write blog post")
        assert text.index("Write blog post") < text.index("No finish line") < text.index("Plan offsite")
        counts = str(app.screen.query_one("#counts").render())
        assert "3 open" in counts and "1 on the last mile" in counts
        assert task_list(app).highlighted_id == 1
        detail = app.screen.query_one(TaskDetail)
        assert detail.shown is not None and detail.shown.id == 1


async def test_moving_with_j_k_and_arrows_updates_the_detail(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert task_list(app).highlighted_id == 2
        assert app.screen.query_one(TaskDetail).shown.title == "Write blog post"
        await pilot.press("down")
        assert task_list(app).highlighted_id == 3
        await pilot.press("k", "up")
        assert task_list(app).highlighted_id == 1


async def test_a_burst_of_moves_redraws_the_detail_once_the_keys_stop(seeded, make, monkeypatch):
    from lastmile_tui.ui.screens import board

    monkeypatch.setattr(board, "DETAIL_QUIET", 1.0)  # every key of this test falls in one burst
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.screen.query_one(TaskDetail)
        drawn: list[int | None] = []
        show = detail.show
        detail.show = lambda task, *rest: (drawn.append(task and task.id), show(task, *rest))
        await pilot.press("j")
        assert drawn == [2]  # the first move after a pause shows at once
        await pilot.press("j")
        assert task_list(app).highlighted_id == 3 and drawn == [2]  # the list moved, the pane waits
        await pilot.pause(1.2)
        assert drawn == [2, 3] and detail.shown.id == 3  # and lands where the cursor stopped


async def test_space_checks_the_next_step(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "space")
        assert seeded.get(2).steps_done == 2
        assert task_list(app).highlighted_id == 2


async def test_complete_then_n_leaves_the_task_open(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c")
        assert isinstance(app.screen, ConfirmFinalScreen)
        await press(pilot, "n")
        assert isinstance(app.screen, BoardScreen)
        assert seeded.get(1).status is Status.OPEN
        assert seeded.get(1).final_step_confirmed_at is None


async def test_complete_then_escape_or_other_key_leaves_it_open(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("escape", "q", "enter"):
            await press(pilot, "x")
            assert isinstance(app.screen, ConfirmFinalScreen)
            await press(pilot, key)
            assert isinstance(app.screen, BoardScreen)
            assert seeded.get(1).status is Status.OPEN


async def test_complete_then_y_completes(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "c")
        await press(pilot, "y")
        task = seeded.get(1)
        assert task.status is Status.DONE and task.final_step_confirmed_at is not None
        assert "Send invoice" not in "\n".join(rows(app))


def board_rows(app) -> list[str]:
    """The board's rows, also while a dialog is on top of it."""
    board = next(s for s in app.screen_stack if isinstance(s, BoardScreen))
    tl = board.query_one(TaskList)
    return [tl.row_text(i) for i in range(tl.virtual_size.height)]


async def test_complete_without_final_step_names_it_then_asks_did_you_do_this(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "G", "c")
        assert isinstance(app.screen, FinalStepScreen)
        await press(pilot, *"book the venue", "enter")
        # straight on to the question; the board behind it already shows the finish line
        assert isinstance(app.screen, ConfirmFinalScreen)
        assert "book the venue" in str(app.screen.query_one("#final-step").render())
        offsite = next(r for r in board_rows(app) if "Plan offsite" in r)
        assert "book the venue" in offsite and "no finish line" not in offsite
        await press(pilot, "n")  # not yet: named, but nothing was completed or confirmed
        assert isinstance(app.screen, BoardScreen)
        task = seeded.get(3)
        assert task.final_step == "book the venue"
        assert task.status is Status.OPEN and task.final_step_confirmed_at is None
        assert "book the venue" in next(r for r in rows(app) if "Plan offsite" in r)


async def test_complete_without_final_step_then_y_completes(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "G", "c")
        await press(pilot, *"book the venue", "enter")
        await press(pilot, "y")
        task = seeded.get(3)
        assert task.status is Status.DONE and task.final_step == "book the venue"
        assert "Plan offsite" not in "\n".join(rows(app))


async def test_complete_without_final_step_cancelled_completes_nothing(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "G", "c")
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen)
        task = seeded.get(3)
        assert task.final_step == "" and task.status is Status.OPEN


async def test_f_sets_the_final_step(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "G", "f")
        assert isinstance(app.screen, FinalStepScreen)
        await press(pilot, *"sign the contract", "enter")
        assert seeded.get(3).final_step == "sign the contract"


async def test_drop_asks_for_a_reason(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "D")
        await press(pilot, *"not needed", "enter")
        task = seeded.get(2)
        assert task.status is Status.DROPPED and task.dropped_reason == "not needed"


async def test_toggle_closed_and_reopen(seeded, make):
    seeded.drop(3, "later")
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        assert "Plan offsite" not in "\n".join(rows(app))
        await press(pilot, "t")
        assert "Plan offsite" in "\n".join(rows(app))
        await press(pilot, "G", "o")
        assert seeded.get(3).status is Status.OPEN


async def test_reopen_says_so(seeded, make):
    confirm_final(seeded, 1)
    seeded.complete(1)
    app = make(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "t")
        assert task_list(app).select_id(1)
        await press(pilot, "o")
        assert seeded.get(1).status is Status.OPEN
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Reopened: Send invoice") and "final step" in m for m in messages)


async def test_a_waiting_task_leaves_the_board_and_comes_back_saying_so(seeded, make, clock):
    seeded.snooze(2, 3)  # review's z: the test clock's Wednesday + 3 days, back on Saturday
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not task_list(app).select_id(2)  # hidden from the board while it waits
        assert not any("Write blog post" in row for row in rows(app))
    clock.advance(days=3)  # Saturday: back, and the reason says why
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert task_list(app).select_id(2)
        await pilot.pause()
        assert "waited until today" in str(app.screen.query_one("#detail-reason").render())


async def test_undo_restores_a_checked_step(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "space")
        assert seeded.get(2).steps_done == 2
        await press(pilot, "u")
        assert seeded.get(2).steps_done == 1
        assert task_list(app).highlighted_id == 2


async def test_enter_on_a_step_in_the_detail_pane_toggles_it(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter")  # enter on the list focuses the steps
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "detail-steps"
        await pilot.press("enter")  # the highlight starts at the next step to do: checks it
        await pilot.pause()
        assert [s.done for s in seeded.get(2).steps] == [True, True, False]
        await pilot.press("up", "enter")  # and enter on a done step unchecks it
        await pilot.pause()
        assert [s.done for s in seeded.get(2).steps] == [False, True, False]


async def test_escape_leaves_the_checklist_for_the_list(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "enter")
        assert app.focused is not None and app.focused.id == "detail-steps"
        await press(pilot, "escape")
        assert isinstance(app.focused, TaskList)
        await press(pilot, "enter", "escape", "enter")  # back in, out, and in again: nothing toggled
        assert [s.done for s in seeded.get(2).steps] == [True, False, False]


async def test_j_and_k_move_in_the_detail_checklist(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "enter")  # the blog post: outline checked, the cursor on "draft"
        steps = app.screen.query_one("#detail-steps")
        assert app.focused is steps and steps.highlighted == 1
        await press(pilot, "j")
        assert steps.highlighted == 2
        await press(pilot, "k", "k")
        assert steps.highlighted == 0
        assert task_list(app).highlighted_id == 2  # the task list stayed where it was
        await press(pilot, "enter")
        assert [s.done for s in seeded.get(2).steps] == [False, False, False]


async def test_filter_by_text_and_tag(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "slash", *"+work")
        assert task_list(app).task_count == 1
        await press(pilot, "escape")
        assert task_list(app).task_count == 3
        await press(pilot, "slash", *"blog", "enter")
        assert task_list(app).task_count == 1
        assert task_list(app).highlighted_id == 2


async def test_on_a_slow_board_the_filter_waits_for_a_pause_in_typing(seeded, make, monkeypatch):
    from lastmile_tui.ui.screens import board

    monkeypatch.setattr(board, "FILTER_SLOW", -1.0)  # as if every filter took long
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"+work")
        assert task_list(app).task_count == 3  # still typing: nothing re-read yet
        await pilot.pause(board.FILTER_QUIET + 0.1)
        assert task_list(app).task_count == 1
        await pilot.press("backspace", *"home", "enter")  # enter applies it at once
        assert task_list(app).task_count == 0


async def test_help_lists_every_binding(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen)


async def test_r_opens_review_and_q_quits(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen)
        await press(pilot, "q")
    assert app.return_code == 0


async def test_command_palette_runs_actions_by_name(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "space")
        assert seeded.get(2).steps_done == 2
        await press(pilot, "ctrl+p")
        await pilot.press(*"Undo")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert seeded.get(2).steps_done == 1


async def test_live_refresh_picks_up_a_task_added_by_another_process(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        assert task_list(app).task_count == 3
        subprocess.run(
            [sys.executable, "-m", "lastmile_tui", "--db", str(seeded.path), "add",
             "From another terminal", "--final", "ship it"],
            check=True, capture_output=True, timeout=60,
        )
        for _ in range(20):
            await pilot.pause(0.1)
            if task_list(app).task_count == 4:
                break
        assert task_list(app).task_count == 4
        assert "From another" in "\n".join(rows(app))


async def test_theme_choice_is_remembered(seeded, make, tmp_path):
    app = make(seeded)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    config_path = tmp_path / "config" / "config.toml"
    assert Config.load(config_path).theme == "nord"
    second = make(seeded)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert second.theme == "nord"


async def test_empty_board_invites_adding(store, make):
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert task_list(app).highlighted_id is None
        await press(pilot, "c", "space", "D", "e")
        assert isinstance(app.screen, BoardScreen)


async def test_a_board_longer_than_a_page_reads_pages_and_follows_a_task(store, make):
    """250 tasks span three pages of the store's reads: the end, a change deep in the list
    and the closed view all come from pages, never from the whole list."""
    ids = [store.add(f"task {n:03}", final_step="ship", steps=["a", "b"]).id for n in range(250)]
    for task_id in ids[:120]:
        store.check(task_id, 1)  # 120 in progress, then 130 not started
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tl = task_list(app)
        assert tl.task_count == 250
        await pilot.press("G")
        assert tl.highlighted_id == store.ranked_page(249, 1)[0].id
        deep = store.ranked_page(200, 1)[0].id
        assert tl.select_id(deep)
        await pilot.press("space")  # its first step: it moves up into "in progress"
        await pilot.pause()
        assert tl.highlighted_id == deep
        order = [t.id for t in store.ranked_page(0, 250)]
        assert store.place(deep) == (False, order.index(deep)) and order.index(deep) < 121
        assert store.get(deep).title in tl.row_text(tl._cursor or 0)
        assert any(tl.row_text(row).strip() == "In progress · 121" for row in range(3))
        await pilot.press("t", "G")  # done and dropped: none yet, so the last open task
        assert tl.highlighted_id == order[-1]
