"""The finishing guard's face: a task is only done once a person says they did the final step."""

from __future__ import annotations

from typing import Literal, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from lastmile_tui.ui.screens.dialog import Dialog

Answer = TypeVar("Answer")


class _AboutAFinalStep(Dialog[Answer]):
    """A question about one task's final step: the task, the step, and a note on its unchecked
    steps (advice only: the final step is the rule)."""

    def __init__(self, title: str, final_step: str, steps_note: str = "") -> None:
        super().__init__()
        self.task_title = title
        self.final_step = final_step
        self.steps_note = steps_note

    def about(self, lead: str = "") -> ComposeResult:
        yield Label(self.task_title, markup=False, classes="dialog-title")
        if lead:
            yield Label(lead, classes="lead")
        yield Static(self.final_step, markup=False, id="final-step")
        if self.steps_note:
            yield Label(f"Note: {self.steps_note}.", id="steps-note", classes="hint")


class ConfirmFinalScreen(_AboutAFinalStep[bool]):
    """Ask "Did you do this?" about the final step; only ``y`` (or clicking Confirm) says yes.

    Every other key, enter on a focused button included, answers no, so a
    stray keystroke can never complete a task.
    """

    AUTO_FOCUS = "#cancel"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Finish the task"
            yield from self.about()
            yield Label("Did you do this?", id="question")
            with Horizontal(classes="buttons"):
                yield Button("Confirm (y)", id="confirm", variant="success")
                yield Button("Not yet (n)", id="cancel")
            yield Label("y confirm · n / esc / any other key: leave it open", classes="hint")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self._close(event.key == "y")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._close(event.button.id == "confirm")


class ConfirmAllScreen(ConfirmFinalScreen):
    """Several tasks' final steps in one question: the same keys, and only ``y`` says yes to all."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__("", "")
        self.pairs = pairs

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"Finish {len(self.pairs)} tasks"
            with VerticalScroll(id="final-steps"):
                for title, final_step in self.pairs:
                    yield Label(title, markup=False, classes="dialog-title")
                    yield Static(final_step, markup=False, classes="final-step")
            yield Label("Did you do every one of these?", id="question")
            with Horizontal(classes="buttons"):
                yield Button("Confirm all (y)", id="confirm", variant="success")
                yield Button("Not yet (n)", id="cancel")
            yield Label("y confirm all · n / esc / any other key: leave them all open",
                        classes="hint")


ClaimAnswer = Literal["yes", "not_yet"]


class ConfirmClaimScreen(_AboutAFinalStep["ClaimAnswer | None"]):
    """Another app says the task is done: "Completed elsewhere — did you do this?" about its final
    step. ``y`` (or Yes) confirms and finishes it; ``n`` (or Not yet) turns the claim down; escape
    or any other key leaves it waiting, so a stray keystroke changes nothing."""

    AUTO_FOCUS = "#later"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Completed elsewhere"
            yield from self.about("Another app marked it done. Its final step:")
            yield Label("Completed elsewhere — did you do this?", id="question")
            with Horizontal(classes="buttons"):
                yield Button("Yes, finish it (y)", id="confirm", variant="success")
                yield Button("Not yet (n)", id="not-yet", variant="warning")
                yield Button("Later (esc)", id="later")
            # one line at 80 columns, even with the steps' note above (two lines were cut off there)
            yield Label("y finish it · n not yet (reopened on the server) · esc: later",
                        classes="hint")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self._close({"y": "yes", "n": "not_yet"}.get(event.key))  # type: ignore[arg-type]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._close({"confirm": "yes", "not-yet": "not_yet"}.get(event.button.id or ""))  # type: ignore[arg-type]
