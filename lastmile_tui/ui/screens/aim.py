"""Aim a review: one line in the board's filter syntax (``+work send``), plus ``due:3d`` and
``last-mile`` (the CLI's ``--due-within 3d`` and ``--last-mile``); empty reviews everything."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from lastmile_tui.domain.review import ReviewAim, parse_aim
from lastmile_tui.ui.screens.one_line import OneLineDialog


class AimScreen(OneLineDialog[ReviewAim]):
    """Dismisses the aim (empty: the whole review), or None to stay on the board."""

    FIELD = "aim"
    OK_BUTTON = "start"

    def __init__(self, start: str = "") -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Review which tasks?"
            yield Label("Words and +tags as in the board's filter; due:3d for tasks due within "
                        "three days; last-mile for those with only the final step left. "
                        "Empty: everything.", markup=False, classes="lead")
            yield Input(value=self.start, placeholder="e.g. +work due:3d last-mile", id="aim")
            yield Label("", id="aim-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Review (enter)", id="start", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def answer(self, text: str) -> ReviewAim:
        return parse_aim(text)
