"""The app the snapshot tests photograph: the demo list, a clock that never moves, a fixed theme.

Everything that could differ between two runs is pinned here: the clock (so
"due tomorrow", idle times and history stamps never change), the theme, the
config file (in the temp dir, never the developer's), live refresh (an hour
apart, so it never fires) and the text cursor (no blinking).

Try it by hand: ``python tests/snapshots/snapshot_app.py``.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, TextArea

from lastmile_tui.config import Config
from lastmile_tui.demo import DEMO_NOW, seed_demo
from lastmile_tui.store.store import Store
from lastmile_tui.ui.app import LastmileApp, make_app

SIZE = (120, 35)
SMALL = (80, 24)
THEME = "textual-dark"
NO_POLLING = 3600.0


CLAIMED = "Pay the electricity bill"
"""The demo task a phone completes when a snapshot asks for a claim."""


def build_app(folder: Path, *, review: bool = False, claim: bool = False) -> LastmileApp:
    """A fresh demo database in *folder* and the real app on it (not yet running); with *claim*,
    one task arrives completed elsewhere, as a sync brings it."""
    store = Store(folder / "lastmile.db", clock=lambda: DEMO_NOW)
    seed_demo(store)
    if claim:
        from tests.oracles.store import claim as completed_on_a_phone

        with store._reading() as conn:
            (task_id,) = conn.execute("SELECT id FROM task WHERE title = ?", (CLAIMED,)).fetchone()
        completed_on_a_phone(store, task_id)
    config = Config(theme=THEME, path=folder / "config.toml")
    return make_app(store, config=config, review=review, poll_interval=NO_POLLING)


def still_cursors(app: LastmileApp) -> None:
    """A blinking cursor would be caught on or off at random: keep it on."""
    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            assert isinstance(widget, Input | TextArea)
            widget.cursor_blink = False


async def settle(pilot: Pilot, until: type[Screen] | None = None, tries: int = 50) -> None:
    """Let the app finish what it started (workers push dialogs a moment later)."""
    app = pilot.app
    assert isinstance(app, LastmileApp)
    for _ in range(tries):
        await pilot.pause()
        if until is None or isinstance(app.screen, until):
            break
    else:
        raise AssertionError(f"{until.__name__ if until else 'the app'} did not appear; "
                             f"the screen is {type(app.screen).__name__}")
    still_cursors(app)
    await pilot.pause()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        build_app(Path(tmp)).run()
