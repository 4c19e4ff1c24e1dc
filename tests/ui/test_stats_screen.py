"""The Stats screen through the pilot: S opens it, enter opens a stalled task, r reviews it."""

from __future__ import annotations

from textual.widgets import Digits, OptionList, Sparkline

from lastmile_tui.domain.task import Status
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.confirm import ConfirmFinalScreen
from lastmile_tui.ui.screens.detail import TaskDetailScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from lastmile_tui.ui.screens.stats import StatsScreen
from tests.ui.conftest import press


def stats_store(store):
    store.add("Fix the tap [/]", final_step="turn [b]on[/b] the water", steps=["buy a washer"],
              tags=["home"])
    store.check(1, 1)
    store.add("Call Ana", final_step="call her", tags=["[red]x"])
    store.add("Send invoice", final_step="email it", tags=["work"])
    store.complete(3, confirm=True)
    return store


async def test_s_opens_stats_and_enter_and_r_act_on_the_stalled_task(store, make):
    stats_store(store)
    app = make(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "S")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert str(screen.query_one("#stats-finished-digits", Digits).value) == "1"
        assert list(screen.query_one(Sparkline).data or [])[-1] == 1
        stalled = screen.query_one("#stats-stalled", OptionList)
        assert stalled.option_count == 2
        assert "Fix the tap [/] → turn [b]on[/b] the water" in str(stalled.get_option_at_index(0).prompt)
        await press(pilot, "enter")
        assert isinstance(app.screen, TaskDetailScreen) and app.screen.task_id == 1
        await press(pilot, "escape")
        assert app.screen is screen
        await press(pilot, "r")
        assert isinstance(app.screen, ReviewScreen) and app.screen.queue == [1]
        await press(pilot, "y")
        assert isinstance(app.screen, ConfirmFinalScreen)
        await press(pilot, "y")
        await pilot.pause()
        assert store.get(1).status is Status.DONE
        await press(pilot, "escape")
        assert app.screen is screen
        assert stalled.option_count == 1  # reread on return: the task just finished left the list
        assert str(screen.query_one("#stats-finished-digits", Digits).value) == "2"
        await press(pilot, "q")
        assert isinstance(app.screen, BoardScreen)


async def test_stats_is_in_the_board_palette_and_help():
    from lastmile_tui.ui import keys

    assert ("Statistics", "stats") in [(t, a) for t, a, _ in keys.BOARD.palette_entries()]
    assert any("statistics" in text for _keys, text in keys.BOARD.help_lines())
