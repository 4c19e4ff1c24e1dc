"""User text that looks like Textual markup is shown as typed, never parsed (issue 9, item 4).

Before the fix a title ``[/]`` crashed the app with a MarkupError in the
"Done: ..." notification after ``c y``, and ``[@click=app.quit]x`` became a
clickable action in a notification.
"""

from __future__ import annotations

from textual.widgets import Input
from textual.widgets._toast import Toast

from lastmile_tui.domain.task import Status
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from lastmile_tui.ui.screens.task_form import TaskFormScreen
from tests.ui.conftest import press

TITLES = ["[/]", "[@click=app.quit]x", "[b]bold"]
FINALS = ["[/b] send", "[@click=app.quit]go", "[$accent]ship"]


def toasts(app) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


def seed(store):
    for title, final in zip(TITLES, FINALS, strict=True):
        task = store.add(title, final_step=final, steps=["[/]", "[i]two"], tags=["[x]"],
                         notes="[/] notes [@click=app.quit]q")
        store.check(task.id, 1)


async def test_markup_like_titles_pass_through_every_flow_as_plain_text(store, make):
    seed(store)
    app = make(store)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await pilot.pause()
        # space: "Only the final step is left: <final step>" as a notification
        await press(pilot, "space")
        assert any("Only the final step is left: [/b] send" in t for t in toasts(app))
        # c y: "Done: [/] ✓" (this crashed the app) and j afterwards
        await press(pilot, "c")
        await press(pilot, "y")
        await press(pilot, "j")
        assert store.get(1).status is Status.DONE
        assert any("Done: [/] ✓" in t for t in toasts(app))
        # the detail pane shows the highlighted task's text as typed
        detail = "\n".join(
            str(app.screen.query_one(f"#detail-{part}").render())
            for part in ("title", "final", "notes")
        )
        assert "[@click=app.quit]x" in detail or "[b]bold" in detail
        assert "[/] notes [@click=app.quit]q" in detail
        # edit: the form holds the raw text; saving an edit notifies with it
        await press(pilot, "g", "e")
        assert isinstance(app.screen, TaskFormScreen)
        assert app.screen.query_one("#title", Input).value in TITLES
        app.screen.query_one("#tags", Input).value = "[/],x"
        await press(pilot, "ctrl+s")  # refused: the error note quotes the tag as typed
        assert isinstance(app.screen, TaskFormScreen)
        assert "[/],x" in str(app.screen.query_one("#tags-note").render())
        app.screen.query_one("#tags", Input).value = "[x]"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BoardScreen)
        # drop: "Dropped: <title>"
        app.screen.query_one("#tasks").focus()
        title = store.get(app.screen.current_id).title
        await press(pilot, "D")
        await press(pilot, "enter")
        assert any(f"Dropped: {title}" in t for t in toasts(app))
        # review: title, final step and steps as typed; y completes and notifies
        await press(pilot, "r")
        assert isinstance(app.screen, ReviewScreen)
        shown = "\n".join(
            str(app.screen.query_one(f"#review-{part}").render()) for part in ("title", "final", "left")
        )
        assert any(t in shown for t in TITLES) and any(f in shown for f in FINALS)
        assert "[i]two" in shown
        await press(pilot, "y")
        await press(pilot, "y")
        await press(pilot, "escape")
        # the click action in a notification is inert text: clicking does not quit
        for toast in app.screen.query(Toast):
            await pilot.click(toast)
        await pilot.pause()
        assert app.is_running
    assert app.return_code in (None, 0)
    assert sum(store.get(i).status is Status.OPEN for i in (1, 2, 3)) == 0


async def test_ctrl_c_still_says_how_to_quit_in_plain_words(store, make):
    app = make(store)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await press(pilot, "ctrl+c")
        assert any(t.startswith("Press ") and "[b]" not in t and "to quit" in t
                   for t in (n.message for n in app._notifications))
        assert app.is_running
