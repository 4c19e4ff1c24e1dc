"""Name a task's final step: a task without one has no finish line and cannot be completed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from lastmile_tui.domain.errors import InvalidInput
from lastmile_tui.domain.task import clean_final_step
from lastmile_tui.ui.screens.one_line import OneLineDialog


class FinalStepScreen(OneLineDialog[str]):
    """One input for the final step; dismisses the cleaned text, or None when cancelled."""

    FIELD = "final"

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

    def answer(self, text: str) -> str:
        final = clean_final_step(text)
        if not final:
            raise InvalidInput("the final step must not be blank")
        return final
