"""Review you can aim: ``lastmile review +work --last-mile`` opens the app on those tasks, and the
board's R asks which tasks (the board's filter syntax, due:3d, last-mile) before it starts."""

from __future__ import annotations

from lastmile_tui.domain.review import ReviewAim
from lastmile_tui.ui.screens.aim import AimScreen
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from tests.ui.conftest import press
from tests.ui.test_review import SIZE, text


def aimed_store(store):
    store.add("Send invoice", final_step="email PDF", steps=["export hours"], tags=["work"])
    store.check(1, 1)  # last mile, +work
    store.add("Blog post", final_step="publish", steps=["outline", "draft"], tags=["writing"])
    store.check(2, 1)  # in progress
    store.add("Renew passport", final_step="post the form", due="tomorrow", tags=["home"])
    store.add("Tax return", final_step="submit", due="in 6 days", tags=["work"])
    store.add("Report [/] [@click=app.quit]", final_step="send", steps=["a"], tags=["work"])
    store.check(5, 1)  # last mile, +work, a title that is markup
    store.add("Hidden", final_step="x", steps=["a"], tags=["work"], wait="in 3 days")
    store.check(6, 1)  # last mile, +work, but waiting: never in review
    return store


async def test_the_cli_aim_reaches_the_review(store, make):
    aimed_store(store)
    app = make(store, review=True, review_aim=ReviewAim("+work", None, True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.queue == [1, 5]  # the waiting task 6 stays out
        counter = text(app, "review-counter")
        assert "1 of 2" in counter and "+work · last mile only" in counter
        await press(pilot, "n")
        assert "Report [/] [@click=app.quit]" in text(app, "review-title")


async def test_due_within_replaces_the_weeks_horizon(store, make):
    aimed_store(store)
    app = make(store, review=True, review_aim=ReviewAim("", 2, False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.queue == [3]  # due tomorrow; the tax return (6 days) is outside


async def test_shift_r_asks_then_reviews_only_those(store, make):
    aimed_store(store)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "R")
        assert isinstance(app.screen, AimScreen)
        await pilot.press(*"+work due:7d")
        await press(pilot, "enter")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.queue == [4]  # +work tasks with a due date in the window
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen)


async def test_the_prompt_starts_from_the_board_filter_and_empty_is_everything(store, make):
    aimed_store(store)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "slash", *"+home", "enter")
        await press(pilot, "R")
        box = app.screen.query_one("#aim")
        assert box.value == "+home"
        box.value = ""
        await press(pilot, "enter")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.queue == store.review_queue()


async def test_a_bad_window_stays_in_the_prompt_with_one_line(store, make):
    aimed_store(store)
    app = make(store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "R", *"due:soon", "enter")
        assert isinstance(app.screen, AimScreen)
        assert "cannot read the window 'soon'" in str(app.screen.query_one("#aim-error").render())
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen)


async def test_an_aim_that_matches_nothing_says_so(store, make):
    aimed_store(store)
    app = make(store, review=True, review_aim=ReviewAim("+nosuchtag"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Nothing to review for this aim" in text(app, "review-title")
