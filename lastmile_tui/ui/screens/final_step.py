"""Name a task's final step: a task without one has no finish line and cannot be completed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from lastmile_tui.domain.task import InvalidInput, clean_final_step


class FinalStepScreen(ModalScreen[str | None]):
    """One input for the final step; dismisses the cleaned text, or None when cancelled."""

    CSS_PATH = "dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, current: str = "", reason: str | None = None) -> None:
        super().__init__()
        self.task_title = title
        self.current = current
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Final step"
            yield Label(self.task_title, markup=False, classes="dialog-title")
            if self.reason:
                yield Label(self.reason, markup=False, classes="lead")
            yield Input(
                self.current,
                placeholder="the one action that makes it done, e.g. email the PDF",
                id="final",
            )
            yield Label("", id="final-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save (enter)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_input_submitted(self) -> None:
        self._save()

    def on_input_changed(self) -> None:
        self._error("")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._save()
        else:
            self._close(None)

    def action_cancel(self) -> None:
        self._close(None)

    def _save(self) -> None:
        try:
            text = clean_final_step(self.query_one("#final", Input).value)
            if not text:
                raise InvalidInput("the final step must not be blank")
        except InvalidInput as err:
            self._error(str(err))
            return
        self._close(text)

    def _error(self, text: str) -> None:
        label = self.query_one("#final-error", Label)
        label.update(text)
        label.display = bool(text)

    def _close(self, result: str | None) -> None:
        """Dismiss only once: a key typed ahead could otherwise pop the screen below as well."""
        if self.is_active:
            self.dismiss(result)
