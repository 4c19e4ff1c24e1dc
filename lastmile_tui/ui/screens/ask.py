"""A yes/no question before doing something a person may not expect (e.g. undoing a change
made outside this window)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label

from lastmile_tui.ui.screens.dialog import Dialog


class AskScreen(Dialog[bool]):
    """Only ``y`` (or the yes button) says yes; any other key says no, so nothing happens by accident."""

    AUTO_FOCUS = "#no"

    def __init__(self, heading: str, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.heading, self.question, self.yes, self.no = heading, question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.heading)
            yield Label(Content(self.question), id="question", classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button(Content(f"{self.yes} (y)"), id="yes", variant="warning")
                yield Button(Content(f"{self.no} (n)"), id="no")
            yield Label("y yes · n / esc / any other key: no", classes="hint")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self._close(event.key == "y")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._close(event.button.id == "yes")
