"""Drop a task: close it honestly without pretending it was finished."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from lastmile_tui.domain.task import InvalidInput, clean_text


@dataclass(frozen=True)
class DropAnswer:
    """The person chose to drop; ``reason`` is None when they gave none."""

    reason: str | None


class DropScreen(ModalScreen[DropAnswer | None]):
    """Ask for an optional reason; dismisses a DropAnswer, or None to keep the task open."""

    CSS_PATH = "dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.task_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Drop the task"
            yield Label(self.task_title, markup=False, classes="dialog-title")
            yield Label(
                "Dropping closes this task without finishing it: it will not count as done. "
                "You can reopen it later.",
                classes="lead",
            )
            yield Input(placeholder="why? (optional)", id="reason")
            yield Label("", id="reason-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Drop (enter)", id="drop", variant="warning")
                yield Button("Keep it (esc)", id="cancel")

    def on_input_submitted(self) -> None:
        self._drop()

    def on_input_changed(self) -> None:
        self._error("")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "drop":
            self._drop()
        else:
            self._close(None)

    def action_cancel(self) -> None:
        self._close(None)

    def _drop(self) -> None:
        try:
            reason = clean_text(self.query_one("#reason", Input).value, "reason", 500)
        except InvalidInput as err:
            self._error(str(err))
            return
        self._close(DropAnswer(reason or None))

    def _error(self, text: str) -> None:
        label = self.query_one("#reason-error", Label)
        label.update(text)
        label.display = bool(text)

    def _close(self, result: DropAnswer | None) -> None:
        """Dismiss only once: a key typed ahead could otherwise pop the screen below as well."""
        if self.is_active:
            self.dismiss(result)
