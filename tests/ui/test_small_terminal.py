"""80 columns by 24 lines, the default terminal: every key and every piece of a task within reach."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from lastmile_tui.domain.task import Status
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.confirm import ConfirmFinalScreen
from lastmile_tui.ui.screens.detail import TaskDetailScreen
from lastmile_tui.ui.screens.drop import DropScreen
from lastmile_tui.ui.screens.final_step import FinalStepScreen
from lastmile_tui.ui.screens.help import HelpScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from lastmile_tui.ui.screens.task_form import TaskFormScreen
from lastmile_tui.ui.widgets.task_list import TaskList
from tests.ui.conftest import press

SMALL = (80, 24)


def screen_lines(app) -> list[str]:
    """The text of the screen as the terminal shows it, one string per line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def footer_keys(app) -> list[str]:
    """The keys the footer shows whole, inside the screen."""
    width = app.screen.size.width
    return [
        key.key for key in app.screen.query(FooterKey)
        if key.display and key.region.width and key.region.right <= width
    ]


async def test_the_footer_shows_help_quit_and_enter_at_80_columns(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        keys = footer_keys(app)
        assert "question_mark" in keys and "q" in keys
        assert "enter" in keys  # the way to the detail, which has no room beside the list
        assert "c" in keys and "a" in keys


async def test_the_footer_shows_every_board_key_at_120_columns(seeded, make):
    app = make(seeded)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        keys = footer_keys(app)
        for key in ("a", "space", "c", "D", "u", "slash", "r", "question_mark", "q"):
            assert key in keys
        assert "enter" not in keys  # the detail pane is beside the list already


async def test_the_header_keeps_every_count_at_80_columns(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        header = screen_lines(app)[0]
        assert "lastmile" in header and "open tasks" in header
        for words in ("3 open", "1 last mile", "0 overdue", "0 done today"):
            assert words in header


async def test_the_header_keeps_to_one_line_with_sync_and_marks_at_80_columns(seeded, make, tmp_path):
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[sync]\nurl = "https://dav.example.org/"\nusername = "alice"\n', encoding="utf-8")
    seeded.set_sync_state({"last_sync": "2026-11-25 09:42:07"})
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[0].rstrip().endswith("synced 09:42") and "3 open" in lines[0]
        assert "done today" in lines[0]  # the view gave way, today's count did not
        assert "synced" not in lines[1] and "done today" not in lines[1]  # one line, not wrapped
        await press(pilot, "v", "v")
        lines = screen_lines(app)
        assert "2 marked" in lines[0] and lines[0].rstrip().endswith("synced 09:42")
        assert "0 overdue" in lines[0]  # the counts stay; today's gave way to the marks
        app.sync.running = True
        app.refresh_header()
        await pilot.pause()
        assert screen_lines(app)[0].rstrip().endswith("syncing…")


async def test_no_sync_words_without_a_sync_url(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "sync" not in screen_lines(app)[0]


async def test_the_header_wraps_rather_than_cuts_when_even_short_words_do_not_fit(seeded, make):
    app = make(seeded)
    async with app.run_test(size=(50, 24)) as pilot:
        await pilot.pause()
        top = " ".join(line.strip() for line in screen_lines(app)[:3])
        assert "done today" in top


async def test_enter_opens_the_whole_detail_as_a_screen_at_80_columns(seeded, make):
    seeded.edit(2, notes="ask Sam for a review")
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "j", "enter")
        assert isinstance(app.screen, TaskDetailScreen)
        text = screen_text(app)
        for piece in ("Write blog post", "in progress · 1/3 steps",  # title, the reason
                      "publish and share", "not confirmed",  # the final step
                      "☑ outline", "☐ draft", "☐ edit",  # the checklist
                      "+writing", "ask Sam for a review", "History", "added: Write blog post"):
            assert piece in text, piece
        keys = footer_keys(app)
        assert "escape" in keys and "question_mark" in keys and "c" in keys
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.query_one(TaskList).highlighted_id == 2


async def test_the_detail_screen_toggles_steps_and_redraws(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "j", "enter")
        assert app.focused is not None and app.focused.id == "detail-steps"
        await press(pilot, "enter")  # the highlight starts at the next step to do
        assert [s.done for s in seeded.get(2).steps] == [True, True, False]
        assert "☑ draft" in screen_text(app)
        await press(pilot, "up", "enter")  # enter on a done step unchecks it
        assert [s.done for s in seeded.get(2).steps] == [False, True, False]
        await press(pilot, "space")  # the next unchecked step of this task
        assert [s.done for s in seeded.get(2).steps] == [True, True, False]
        assert "2/3 steps" in screen_text(app)
        await press(pilot, "u")
        assert [s.done for s in seeded.get(2).steps] == [False, True, False]
        assert "1/3 steps" in screen_text(app)


async def test_the_detail_screen_completes_its_own_task_and_stays_on_it(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "enter")  # task 1, on the last mile
        assert isinstance(app.screen, TaskDetailScreen)
        await press(pilot, "c")
        assert isinstance(app.screen, ConfirmFinalScreen)
        await press(pilot, "y")
        assert seeded.get(1).status is Status.DONE
        assert isinstance(app.screen, TaskDetailScreen)
        assert "✓ confirmed" in screen_text(app)  # still this task, now done
        await press(pilot, "c")  # a done task is not completed twice, nor is another one
        assert isinstance(app.screen, TaskDetailScreen)
        assert seeded.get(2).status is Status.OPEN
        await press(pilot, "q")  # q leaves the detail, not the app
        assert isinstance(app.screen, BoardScreen)


async def test_a_task_without_steps_opens_with_the_focus_on_its_detail(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "j", "j", "enter")
        assert isinstance(app.screen, TaskDetailScreen)
        assert "No finish line" in screen_text(app)
        await press(pilot, "f")
        assert isinstance(app.screen, FinalStepScreen)


@pytest.mark.parametrize(("key", "screen"), [
    ("a", TaskFormScreen),
    ("e", TaskFormScreen),
    ("f", FinalStepScreen),
    ("c", ConfirmFinalScreen),
    ("x", ConfirmFinalScreen),
    ("D", DropScreen),
    ("r", ReviewScreen),
    ("question_mark", HelpScreen),
])
async def test_every_dialog_key_works_at_80_columns(seeded, make, key, screen):
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, key)
        await pilot.pause()
        assert isinstance(app.screen, screen)


async def test_the_other_board_keys_work_at_80_columns(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        await press(pilot, "j", "space")
        assert seeded.get(2).steps_done == 2
        await press(pilot, "u")
        assert seeded.get(2).steps_done == 1
        await press(pilot, "t")
        assert board.show_closed
        await press(pilot, "t", "slash")
        assert board.query_one("#filter").display
        await press(pilot, *"blog", "enter")
        assert board.query_one(TaskList).task_count == 1
        await press(pilot, "escape")
        assert board.query_one(TaskList).task_count == 3
        await press(pilot, "q")
    assert app.return_code == 0


async def test_the_review_keys_line_stays_on_a_short_terminal(store, make):
    store.add("Write conference talk", final_step="send the slides to the organisers",
              steps=["outline", "draft the slides", "rehearse with a timer", "cut it to 25 minutes",
                     "print the notes", "pack the adapter"])
    store.check(1, 1)
    app = make(store, review=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = screen_text(app)
        assert "send the slides to the organisers" in text
        assert "e edit" in text and "d drop" in text and "esc back" in text


async def test_at_120_columns_the_due_cell_is_whole(store, make):
    from datetime import date

    from lastmile_tui.domain.dates import due_phrase

    store.add("Fix the roof", final_step="pay the roofer", due=date(2017, 1, 10).isoformat())
    app = make(store)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        tasks = app.screen.query_one(TaskList)
        phrase = due_phrase(date(2017, 1, 10), store.clock())
        assert len(phrase) > 12  # wider than the old fixed column
        assert phrase in tasks.row_text(1)
        assert "Fix the roof" in tasks.row_text(1) and "→ pay the roofer" in tasks.row_text(1)


async def test_the_command_palette_acts_on_the_detail_screens_task(seeded, make):
    app = make(seeded)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "j", "enter")
        assert isinstance(app.screen, TaskDetailScreen)
        await press(pilot, "ctrl+p")
        await pilot.press(*"Check next step")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert seeded.get(2).steps_done == 2
