"""Drop a task: close it honestly without pretending it was finished."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from lastmile_tui.domain.task import clean_text
from lastmile_tui.ui.screens.one_line import OneLineDialog


@dataclass(frozen=True)
class DropAnswer:
    """The person chose to drop; ``reason`` is None when they gave none."""

    reason: str | None


class DropScreen(OneLineDialog[DropAnswer]):
    """Ask for an optional reason; dismisses a DropAnswer, or None to keep the task open."""

    FIELD = "reason"
    OK_BUTTON = "drop"

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

    def answer(self, text: str) -> DropAnswer:
        return DropAnswer(clean_text(text, "reason", 500) or None)
