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
from textual.binding import Binding
from textual.screen import Screen

from lastmile_tui.domain.errors import LastmileError
from lastmile_tui.ui.widgets.detail import HISTORY_ROWS, TaskDetail
from lastmile_tui.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from lastmile_tui.ui.app import LastmileApp
    from lastmile_tui.ui.screens.board import BoardScreen


class TaskDetailScreen(Screen[None]):
    """Everything about one task; escape or q goes back to the board."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    BINDINGS = [
        Binding("escape", "back", "Back", id="detail_back"),
        Binding("q", "back", "Back", id="detail_back_q", show=False),
        Binding("space", "task('check_next')", "Check step", id="detail_check_next"),
        Binding("c", "task('complete')", "Complete", id="detail_complete"),
        Binding("x", "task('complete')", "Complete", id="detail_complete_x", show=False),
        Binding("e", "task('edit')", "Edit", id="detail_edit"),
        Binding("f", "task('final_step')", "Final step", id="detail_final_step"),
        Binding("D", "task('drop')", "Drop", id="detail_drop"),
        Binding("u", "undo", "Undo", id="detail_undo", show=False),
        Binding("question_mark", "help", "Help", id="detail_help"),
    ]

    HELP: list[tuple[str, str]] = [
        ("j / k, ↓ / ↑", "move through the steps"),
        ("enter", "toggle the highlighted step"),
        ("space", "check the next unchecked step"),
        ("c / x", "complete: asks “Did you do this?” about the final step"),
        ("e · f", "edit the task · set or change its final step"),
        ("D", "drop it, with a reason"),
        ("u", "undo the last change (as on the board)"),
        ("escape / q", "back to the board"),
    ]

    def __init__(self, board: BoardScreen, task_id: int) -> None:
        super().__init__()
        self.board = board
        self.task_id = task_id

    @property
    def lastmile(self) -> LastmileApp:
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
        store = self.lastmile.store
        detail = self.query_one(TaskDetail)
        try:
            task = store.get(self.task_id)
        except LastmileError:  # gone: an undo of its adding, or another program
            detail.show(None, [], store.clock())
            return
        detail.show(task, store.history(self.task_id, limit=HISTORY_ROWS), store.clock())

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

        self.app.push_screen(HelpScreen([("Task detail", self.HELP), ("Board", self.board.HELP)]))
