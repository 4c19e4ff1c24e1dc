"""What the one-input dialogs (final step, drop) share: submit on enter, an inline error."""

from __future__ import annotations

from typing import TypeVar

from textual.content import Content
from textual.widgets import Input, Label

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.ui.screens.dialog import FormDialog

T = TypeVar("T")


class OneLineDialog(FormDialog[T]):
    """Subclasses compose an Input ``#<FIELD>``, a Label ``#<FIELD>-error`` and an OK button."""

    FIELD = "value"

    def answer(self, text: str) -> T:
        """The result for *text*; raise InvalidInput to show an error and stay open."""
        raise NotImplementedError

    def on_input_submitted(self) -> None:
        self.submit()

    def on_input_changed(self) -> None:
        self._error("")

    def submit(self) -> None:
        try:
            result = self.answer(self.query_one(f"#{self.FIELD}", Input).value)
        except InvalidInput as err:
            self._error(str(err))
            return
        self._close(result)

    def _error(self, text: str) -> None:
        label = self.query_one(f"#{self.FIELD}-error", Label)
        label.update(Content(text))  # error messages quote what was typed: never markup
        label.display = bool(text)
