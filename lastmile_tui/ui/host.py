"""What the screens and the dialog flows need of the app and of the board, as protocols.

``app.py`` imports the screens; the screens and ``flows.py`` name these types
instead of importing ``app.py`` (or the board), so the ui's imports run one
way even for the type checker: app → screens → flows → host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from lastmile_tui.config import Config
    from lastmile_tui.domain.review import ReviewAim
    from lastmile_tui.store.store import Store

T = TypeVar("T")


class Host(Protocol):
    """The running app as the screens see it (``LastmileApp`` is one)."""

    store: Store
    config: Config

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None: ...

    async def push_screen_wait(self, screen: Screen[T]) -> T: ...

    def reload_board(self) -> None:
        """Re-read the board under whatever screen is on top."""
        ...

    def refresh_header(self) -> None:
        """Redraw the board's header (the sync's words changed)."""
        ...

    def sync_header(self) -> tuple[str, str] | None:
        """What the board's header says of the sync, and its style; None when none is set up."""
        ...

    def action_review(self, include_reviewed: bool = False) -> None:
        """Open review mode."""
        ...

    def start_review(self, *, include_reviewed: bool = False, aim: ReviewAim | None = None) -> None:
        """Open review mode on the tasks *aim* admits."""
        ...


class SyncHost(Host, Protocol):
    """The app as its syncs see it: a Host that runs timers and thread workers."""

    def set_interval(self, interval: float, callback: Any = None, **kwargs: Any) -> Any: ...

    def run_worker(self, work: Any, **kwargs: Any) -> Any: ...


class TaskActions(Protocol):
    """The board's actions on one task, as the detail screen borrows them (``BoardScreen`` is one)."""

    def act_on(self, task_id: int, action: str, *args: int) -> None: ...

    def action_undo(self) -> None: ...
