"""What the one-input dialogs (final step, drop) share: submit, inline error, cancel, dismiss once."""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from lastmile_tui.domain.task import InvalidInput

T = TypeVar("T")


class OneLineDialog(ModalScreen[T | None]):
    """Subclasses compose an Input ``#<FIELD>``, a Label ``#<FIELD>-error`` and an OK button."""

    CSS_PATH = "dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    FIELD = "value"
    OK_BUTTON = "save"

    def answer(self, text: str) -> T:
        """The result for *text*; raise InvalidInput to show an error and stay open."""
        raise NotImplementedError

    def on_input_submitted(self) -> None:
        self._submit()

    def on_input_changed(self) -> None:
        self._error("")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.OK_BUTTON:
            self._submit()
        else:
            self._close(None)

    def action_cancel(self) -> None:
        self._close(None)

    def _submit(self) -> None:
        try:
            result = self.answer(self.query_one(f"#{self.FIELD}", Input).value)
        except InvalidInput as err:
            self._error(str(err))
            return
        self._close(result)

    def _error(self, text: str) -> None:
        label = self.query_one(f"#{self.FIELD}-error", Label)
        label.update(text)
        label.display = bool(text)

    def _close(self, result: T | None) -> None:
        """Dismiss only once: a key typed ahead could otherwise pop the screen below as well."""
        if self.is_active:
            self.dismiss(result)
