"""One task's detail as its own screen: what ``enter`` opens where the board has no room for the pane.

At 80 columns the board's list needs every column, so the detail pane is
hidden; this screen shows the same ``TaskDetail`` full size (title, reason,
final step, the checklist to toggle, due, tags, notes and history). Its keys
act on the task it shows, through the board's own actions, so a change made
here is made exactly as on the board, and the board redraws this screen after
every reload (its own changes and other programs' alike).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen

from lastmile_tui.ui import keys
from lastmile_tui.ui.widgets.detail import TaskDetail
from lastmile_tui.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from lastmile_tui.ui.host import Host, TaskActions


class TaskDetailScreen(Screen[None]):
    """Everything about one task; escape or q goes back to the board."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    KEYS = keys.DETAIL
    BINDINGS = KEYS.bindings()

    def __init__(self, board: TaskActions, task_id: int) -> None:
        super().__init__()
        self.board = board
        self.task_id = task_id

    @property
    def lastmile(self) -> Host:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TaskDetail(id="detail-full")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        steps = self.query_one("#detail-steps")
        (steps if steps.display else self.query_one(TaskDetail)).focus()

    def reload(self) -> None:
        """Read the task again (the board calls this after every reload)."""
        self.query_one(TaskDetail).load(self.lastmile.store, self.task_id)

    @on(TaskDetail.StepToggled)
    def _on_step_toggled(self, event: TaskDetail.StepToggled) -> None:
        event.stop()
        self.board.act_on(event.task_id, "check" if event.done else "uncheck", event.number)

    def action_task(self, action: str) -> None:
        self.board.act_on(self.task_id, action)

    def action_undo(self) -> None:
        self.board.action_undo()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        from lastmile_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(keys.help_sections(keys.DETAIL, keys.BOARD)))
