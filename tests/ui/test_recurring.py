"""Recurring tasks in the app: the form's Repeat field (with its preview), the detail's repeat
line, and completing an occurrence, which makes the next one and says so."""

from __future__ import annotations

from textual.widgets import Input

from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.task_form import TaskFormScreen
from tests.ui.conftest import press


async def test_the_form_makes_a_task_repeat_and_completing_it_makes_the_next(seeded, make):
    app = make(seeded)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await press(pilot, "e")  # Send invoice: on the last mile, due fri
        assert isinstance(app.screen, TaskFormScreen)
        app.screen.query_one("#repeat", Input).value = "fortnite"
        await pilot.pause()
        assert "cannot read 'fortnite' as a repeat" in str(app.screen.query_one("#repeat-note").render())
        app.screen.query_one("#repeat", Input).value = "weekly"
        await pilot.pause()
        assert "→ repeats weekly" in str(app.screen.query_one("#repeat-note").render())
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BoardScreen)
        task = seeded.get(1)
        assert task.repeat is not None and task.repeat.describe() == "weekly"
        meta = " ".join(str(w.render()) for w in app.screen.query("#detail-meta"))
        assert "Repeats  weekly · next" in meta and "repeats repeats" not in meta.lower()
        await press(pilot, "c")
        await press(pilot, "y")
        messages = [n.message for n in app._notifications]
        assert any("Done: Send invoice" in m and "next: task 4" in m for m in messages), messages
    following = seeded.get(4)
    assert following.title == "Send invoice" and not following.final_confirmed
    assert following.steps[0].done_at is None and following.series == seeded.get(1).uid
