"""The Textual app. The store is injected, so tests and screenshots use a temp database."""

from __future__ import annotations

from textual.app import App
from textual.notifications import SeverityLevel
from textual.worker import Worker

from lastmile_tui.config import Config
from lastmile_tui.domain.review import ReviewAim
from lastmile_tui.store.store import Store
from lastmile_tui.ui import keys
from lastmile_tui.ui.commands import LastmileCommands
from lastmile_tui.ui.screens.board import BoardScreen
from lastmile_tui.ui.screens.detail import TaskDetailScreen
from lastmile_tui.ui.screens.review import ReviewScreen
from lastmile_tui.ui.screens.stats import StatsScreen
from lastmile_tui.ui.sync import AppSync


class LastmileApp(App[None]):
    """lastmile's daily face: the board, review mode and their dialogs."""

    CSS_PATH = "app.tcss"
    CSS = keys.footer_css(BoardScreen, TaskDetailScreen, ReviewScreen, StatsScreen)
    """Which footer keys a narrow or a wide screen leaves out, from ``keys.py``."""
    TITLE = "lastmile"
    COMMANDS = App.COMMANDS | {LastmileCommands}
    COMMAND_PALETTE_BINDING = keys.PALETTE_KEY
    BINDINGS = keys.APP.bindings()

    def __init__(
        self,
        store: Store,
        *,
        config: Config | None = None,
        review: bool = False,
        review_all: bool = False,
        review_aim: ReviewAim | None = None,
        poll_interval: float = 1.0,
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config or Config()
        self._start_in_review = review
        self._review_all = review_all
        self._review_aim = review_aim
        self._poll_interval = poll_interval
        self.sync = AppSync(self, self.config.path)

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.push_screen(BoardScreen())
        if self._start_in_review:
            self.start_review(include_reviewed=self._review_all, aim=self._review_aim)
        self.store.changed_elsewhere()  # the mark to poll from
        self.set_interval(self._poll_interval, self._poll_database)
        self.sync.start()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: they carry titles, steps and error messages that
        quote what people typed, and ``[/]`` must not crash the app nor ``[@click=app.quit]``
        become an action. (``Widget.notify`` passes ``markup=True``; it is ignored on purpose.)"""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """ctrl+c: say how to quit, in plain text (Textual's own message is markup)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted and theme != self.config.theme:
            self.config.theme = theme
            if (problem := self.config.save()) is not None:
                self.notify(problem, severity="warning", markup=False)

    def _poll_database(self) -> None:
        """Pick up writes from other processes (e.g. ``lastmile add`` in another terminal)."""
        if self.store.changed_elsewhere():
            self.reload_board()

    def reload_board(self) -> None:
        """Re-read the board (under any screen on top of it) after a change; not while closing
        (a poll or a sync that ends as the app quits finds the board's widgets gone)."""
        if not self.is_running:
            return
        self.sync.read_last_sync()  # a lastmile sync in another terminal counts
        for screen in self.screen_stack:
            if isinstance(screen, BoardScreen):
                screen.reload()

    def refresh_header(self) -> None:
        if not self.is_running:
            return
        for screen in self.screen_stack:
            if isinstance(screen, BoardScreen):
                screen.refresh_header()

    def sync_header(self) -> tuple[str, str] | None:
        return self.sync.header()

    def action_sync_now(self) -> None:
        """Sync with the CalDAV server of config.toml's ``[sync]``, in a thread worker."""
        self.sync.now()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.sync.on_state_changed(event.worker, event.state)

    def action_review(self, include_reviewed: bool = False) -> None:
        self.push_screen(ReviewScreen(include_reviewed=include_reviewed))

    def start_review(self, *, include_reviewed: bool = False, aim: ReviewAim | None = None) -> None:
        """Review the day's queue, narrowed by *aim* (``lastmile review +work``, the board's R)."""
        self.push_screen(ReviewScreen(include_reviewed=include_reviewed, aim=aim))


def make_app(store: Store, **kwargs: object) -> LastmileApp:
    """The one factory for the CLI, the tests and the screenshot script."""
    return LastmileApp(store, **kwargs)  # type: ignore[arg-type]
