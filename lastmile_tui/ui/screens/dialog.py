"""What every dialog shares: the dialog stylesheet, dismissing once, and (for forms) OK or cancel."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button

R = TypeVar("R")
T = TypeVar("T")


class Dialog(ModalScreen[R]):
    CSS_PATH = "dialog.tcss"

    def _close(self, result: R) -> None:
        """Dismiss only once: a key typed ahead could otherwise pop the screen below as well."""
        if self.is_active:
            self.dismiss(result)


class FormDialog(Dialog["T | None"], Generic[T]):
    """The OK button (``OK_BUTTON``) submits; escape or any other button cancels with None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    OK_BUTTON = "save"

    def submit(self) -> None:
        """Dismiss with the result, or show what is wrong and stay open."""
        raise NotImplementedError

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.OK_BUTTON:
            self.submit()
        else:
            self._close(None)

    def action_cancel(self) -> None:
        self._close(None)
