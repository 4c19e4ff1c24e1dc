"""The key reference: what each key does, grouped by where it works."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Label

from lastmile_tui.ui.keys import HELP_DIALOG, help_hint
from lastmile_tui.ui.screens.dialog import Dialog

Section = tuple[str, list[tuple[str, str]]]


class HelpScreen(Dialog[None]):
    """Shows the given sections of (key, what it does); escape, q or ? close it."""

    BINDINGS = HELP_DIALOG.bindings()

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Keys"
            with VerticalScroll(id="sections"):
                for heading, keys in self.sections:
                    yield Label(heading, markup=False, classes="section")
                    with Grid(classes="keys"):
                        for key, meaning in keys:
                            yield Label(key, markup=False, classes="key")
                            yield Label(meaning, markup=False)
            yield Label(help_hint(), markup=False, classes="hint")

    def action_close(self) -> None:
        self._close(None)
