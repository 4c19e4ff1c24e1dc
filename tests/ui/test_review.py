"""Review mode through the pilot: y, s, n, z, d, its summary, and resuming later today."""

from __future__ import annotations

from datetime import date

from lastmile_tui.domain.task import Status
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.confirm import ConfirmFinalScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from tests.ui.conftest import press

SIZE = (120, 35)


def text(app, name: str) -> str:
    return str(app.screen.query_one(f"#{name}").render())


def review_store(store):
    store.add("Send invoice", final_step="email PDF", steps=["export hours"])
    store.check(1, 1)
    store.add("Blog post", final_step="publish", steps=["outline", "draft"])
    store.check(2, 1)
    store.add("Renew passport", final_step="post the form", due="tomorrow")
    store.add("Someday idea", final_step="decide")  # not near-finished: left out
    store.add("No finish line", steps=["a"])
    store.check(5, 1)  # no final step: left out
    return store


async def test_review_walks_candidates_in_ranking_order(store, make):
    review_store(store)
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "1 of 3" in text(app, "review-counter")
        assert "Send invoice" in text(app, "review-title")
        assert "email PDF" in text(app, "review-final")
        assert "last mile" in text(app, "review-why")
        await pilot.press("n")
        assert "2 of 3" in text(app, "review-counter")
        assert "Blog post" in text(app, "review-title")
        await pilot.press("n")
        assert "Renew passport" in text(app, "review-title")


async def test_y_confirms_and_completes(store, make):
    review_store(store)
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "y")
        assert isinstance(app.screen, ConfirmFinalScreen)
        await press(pilot, "y")
        assert store.get(1).status is Status.DONE
        assert "2 of 3" in text(app, "review-counter")


async def test_y_then_n_in_the_dialog_keeps_it_open_and_stays(store, make):
    review_store(store)
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "y")
        await press(pilot, "n")
        assert store.get(1).status is Status.OPEN
        assert "1 of 3" in text(app, "review-counter")


async def test_s_checks_the_next_step_and_stays(store, make):
    review_store(store)
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "s")
        assert store.get(2).steps_done == 2
        assert "Blog post" in text(app, "review-title")
        assert "Only the final step is left" in text(app, "review-left")


async def test_z_snoozes_and_the_summary_counts_everything(store, make, clock):
    review_store(store)
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "z")
        assert store.get(1).wait == date(2026, 11, 28)
        await press(pilot, "d")
        await press(pilot, *"no longer", "enter")
        assert store.get(2).status is Status.DROPPED
        await press(pilot, "y")
        await press(pilot, "y")
        assert store.get(3).status is Status.DONE
        assert "Review finished" in text(app, "review-title")
        summary = text(app, "review-why")
        assert "Reviewed 3" in summary and "finished 1" in summary
        assert "waiting 1" in summary and "dropped 1" in summary
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen)


async def test_a_review_can_be_resumed_and_all_shows_everything_again(store, make):
    review_store(store)
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        await press(pilot, "escape")
    again = make(store, review=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "1 of 2" in text(again, "review-counter")
        assert "Blog post" in text(again, "review-title")
    everything = make(store, review=True, review_all=True)
    async with everything.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "1 of 3" in text(everything, "review-counter")


async def test_nothing_to_review(store, make):
    store.add("Someday", final_step="decide")
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Nothing to review" in text(app, "review-title")


def footer_keys(app) -> set[str]:
    """The keys the active screen's footer offers."""
    from textual.widgets._footer import FooterKey

    return {key.key for key in app.screen.query(FooterKey)}


async def test_left_to_do_lists_only_unchecked_steps(store, make):
    store.add("Blog post", final_step="publish", steps=["outline", "draft", "edit"])
    store.check(1, 1)
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        left = text(app, "review-left")
        assert "Left to do" in left
        assert "draft" in left and "edit" in left
        assert "outline" not in left  # checked: counted in the reason (1/3 steps), not "left"
        assert "1/3 steps" in text(app, "review-why")


async def test_the_finished_review_offers_only_the_way_back(store, make):
    review_store(store)
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert {"y", "s", "n", "z", "e", "d"} <= footer_keys(app)
        await press(pilot, "n", "n", "n")
        assert "Review finished" in text(app, "review-title")
        await pilot.pause()
        assert not {"y", "s", "n", "z", "e", "d"} & footer_keys(app)
        assert "escape" in footer_keys(app)
        await press(pilot, "y", "s", "z", "e", "d")  # nothing happens, nothing opens
        assert isinstance(app.screen, ReviewScreen)


async def test_q_leaves_review_like_escape(store, make):
    review_store(store)
    app = make(store, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "q")
        assert isinstance(app.screen, BoardScreen)
        assert app.is_running
        await press(pilot, "r")
        await press(pilot, "n", "n", "n", "q")  # from the finished review too
        assert isinstance(app.screen, BoardScreen)
        assert app.is_running
